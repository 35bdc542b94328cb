#!/bin/bash
# Adds the hub mirror's credentials to this cluster's pull secret on the hub (<cluster>/assisted-deployment-pull-secret)
# before its InfraEnv and ClusterDeployment exist. The Assisted Service puts that Secret into the discovery ISO and
# into the installed cluster's global pull secret, so the discovery agent, the installation, every day-2 pull on the
# edge and the edge mirror Job all authenticate to the mirror. The password is generated in the hub
# (ztpfw-registry/registry-credentials) and only ever copied into this Secret; nothing secret is printed or in git.
# Patches only when the entry is missing or different. Waits for the Secret, which `ztpfw secrets` creates out of band.
# Env: CLUSTER, PULL_SECRET, REGISTRY_AUTH_KEY (host[:port] as image references name it), WAIT_ATTEMPTS, WAIT_SECONDS.
set -euo pipefail
set +x
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

attempt=1
until oc get secret "$PULL_SECRET" -n "$CLUSTER" -o jsonpath='{.data.\.dockerconfigjson}' > "$work/current.b64" 2>/dev/null && [ -s "$work/current.b64" ]; do
  if [ "$attempt" -ge "${WAIT_ATTEMPTS:-60}" ]; then
    echo "error: Secret $CLUSTER/$PULL_SECRET (type kubernetes.io/dockerconfigjson) is missing or empty; create it with: ztpfw secrets --cluster $CLUSTER --pull-secret FILE --apply" >&2
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
  echo "$CLUSTER/$PULL_SECRET already holds credentials for $REGISTRY_AUTH_KEY"
  exit 0
fi
jq -c --arg r "$REGISTRY_AUTH_KEY" --rawfile a "$work/auth" '.auths[$r] = {auth: $a}' "$work/current.json" > "$work/merged.json"
jq -n --rawfile d <(base64 -w0 < "$work/merged.json") '{data: {".dockerconfigjson": $d}}' > "$work/patch.json"
oc patch secret "$PULL_SECRET" -n "$CLUSTER" --type=merge --patch-file="$work/patch.json" >/dev/null
echo "added the hub mirror credentials for $REGISTRY_AUTH_KEY to $CLUSTER/$PULL_SECRET"
