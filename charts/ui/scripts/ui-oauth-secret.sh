#!/bin/bash
# Generates the OAuth client secret of the setup UI in the cluster (the original shipped a static one): once into
# the Secret the UI Deployment reads, then into OAuthClient/ztpfwoauth on every run, so a re-created client gets
# the same secret back. The rendered OAuthClient carries no secret; the delivery leaves this field alone.
# Env: NAMESPACE, SECRET_NAME, SECRET_KEY, CLIENT_NAME.
set -euo pipefail
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! oc get secret "$SECRET_NAME" -n "$NAMESPACE" -o name >/dev/null 2>&1; then
  head -c 64 /dev/urandom | sha256sum | cut -c1-48 | tr -d '\n' > "$work/secret"
  oc create secret generic "$SECRET_NAME" -n "$NAMESPACE" --from-file="$SECRET_KEY=$work/secret"
fi
oc get secret "$SECRET_NAME" -n "$NAMESPACE" -o json | jq -j --arg k "$SECRET_KEY" '.data[$k] | @base64d' > "$work/secret"
if [ ! -s "$work/secret" ]; then
  echo "error: $NAMESPACE/$SECRET_NAME has no key $SECRET_KEY" >&2
  exit 1
fi
jq -n --rawfile s "$work/secret" '{secret: $s}' > "$work/patch.json"
oc patch oauthclient "$CLIENT_NAME" --type=merge --patch-file="$work/patch.json"
echo "OAuthClient $CLIENT_NAME holds the secret of $NAMESPACE/$SECRET_NAME"
