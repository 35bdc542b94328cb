#!/bin/bash
# Adds the registry credentials to the hub's global pull secret, only when they are missing or different (every
# change makes the MCO roll the nodes). Credentials stay in variables and 0600 files; nothing secret is printed.
# Env: REGISTRY_AUTH_KEY (host[:port] as clients name it).
set -euo pipefail
set +x
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

oc get secret registry-credentials -n ztpfw-registry -o jsonpath='{.data.username}' | base64 -d > "$work/user"
oc get secret registry-credentials -n ztpfw-registry -o jsonpath='{.data.password}' | base64 -d > "$work/pass"
if [ ! -s "$work/user" ] || [ ! -s "$work/pass" ]; then
  echo "error: Secret ztpfw-registry/registry-credentials needs non-empty keys username and password" >&2
  exit 1
fi
{ cat "$work/user"; printf ':'; cat "$work/pass"; } | base64 -w0 > "$work/auth"

oc get secret pull-secret -n openshift-config -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d > "$work/current.json"
if jq -e --arg r "$REGISTRY_AUTH_KEY" --rawfile a "$work/auth" '.auths[$r].auth == $a' "$work/current.json" >/dev/null; then
  echo "global pull secret already holds credentials for $REGISTRY_AUTH_KEY"
  exit 0
fi
jq -c --arg r "$REGISTRY_AUTH_KEY" --rawfile a "$work/auth" '.auths[$r] = {auth: $a}' "$work/current.json" > "$work/merged.json"
jq -n --rawfile d <(base64 -w0 < "$work/merged.json") '{data: {".dockerconfigjson": $d}}' > "$work/patch.json"
oc patch secret pull-secret -n openshift-config --type=merge --patch-file="$work/patch.json" >/dev/null
echo "added credentials for $REGISTRY_AUTH_KEY to the global pull secret"
