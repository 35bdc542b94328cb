#!/bin/bash
# Adds the hub mirror's credentials (ztpfw-registry/registry-credentials, generated in the hub or created by the
# factory for a custom REGISTRY) to a pull secret, only when the entry is missing or different. Used for the hub's
# global pull secret (openshift-config/pull-secret: every change makes the MCO roll the nodes) and for each cluster's
# pull secret on the hub (<cluster>/assisted-deployment-pull-secret: the Assisted Service puts it into the discovery
# ISO and the installed cluster's global pull secret, so discovery, install, day-2 pulls and the edge mirror Job all
# authenticate to the mirror). Credentials stay in 0600 files; nothing secret is printed or in git.
# Env: SECRET_NAMESPACE, SECRET_NAME (the pull secret), REGISTRY_AUTH_KEY (host[:port] as image references name it),
#   WAIT_ATTEMPTS, WAIT_SECONDS (for a pull secret created out of band; default: no waiting), MISSING_HINT (how to
#   create a missing pull secret; optional).
set -euo pipefail
set +x
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target="$SECRET_NAMESPACE/$SECRET_NAME"

attempt=1
until oc get secret "$SECRET_NAME" -n "$SECRET_NAMESPACE" -o jsonpath='{.data.\.dockerconfigjson}' > "$work/current.b64" 2>/dev/null && [ -s "$work/current.b64" ]; do
  if [ "$attempt" -ge "${WAIT_ATTEMPTS:-1}" ]; then
    echo "error: Secret $target (type kubernetes.io/dockerconfigjson) is missing or empty${MISSING_HINT:+; $MISSING_HINT}" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "${WAIT_SECONDS:-10}"
done
base64 -d < "$work/current.b64" > "$work/current.json"

oc get secret registry-credentials -n ztpfw-registry -o jsonpath='{.data.username}' | base64 -d > "$work/user"
oc get secret registry-credentials -n ztpfw-registry -o jsonpath='{.data.password}' | base64 -d > "$work/pass"
if [ ! -s "$work/user" ] || [ ! -s "$work/pass" ]; then
  echo "error: Secret ztpfw-registry/registry-credentials needs non-empty keys username and password" >&2
  exit 1
fi
{ cat "$work/user"; printf ':'; cat "$work/pass"; } | base64 -w0 > "$work/auth"

if jq -e --arg r "$REGISTRY_AUTH_KEY" --rawfile a "$work/auth" '.auths[$r].auth == $a' "$work/current.json" >/dev/null; then
  echo "$target already holds credentials for $REGISTRY_AUTH_KEY"
  exit 0
fi
jq -c --arg r "$REGISTRY_AUTH_KEY" --rawfile a "$work/auth" '.auths[$r] = {auth: $a}' "$work/current.json" > "$work/merged.json"
jq -n --rawfile d <(base64 -w0 < "$work/merged.json") '{data: {".dockerconfigjson": $d}}' > "$work/patch.json"
oc patch secret "$SECRET_NAME" -n "$SECRET_NAMESPACE" --type=merge --patch-file="$work/patch.json" >/dev/null
echo "added the hub mirror credentials for $REGISTRY_AUTH_KEY to $target"
