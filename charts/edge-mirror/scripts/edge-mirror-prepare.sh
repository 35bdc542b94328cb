#!/bin/bash
# Init container of the edge mirror (tools image): writes what oc-mirror needs into the pod's in-memory /tmp, never
# to disk and never to the log:
# - /tmp/auth/containers/auth.json: the edge's global pull secret (it already holds the hub registry credentials)
#   plus the edge Quay super-user that the registry bundle's bootstrap Job generated;
# - /tmp/auth/ca.pem: the CAs of the edge Quay Route and, unless publicly trusted, of the hub registry.
# Waits for the super-user's password, which the bootstrap Job stores once Quay is Available.
# Env: REGISTRY_NAMESPACE, ADMIN_SECRET, QUAY_HOST, CA_CONFIGMAP, HUB_CA_KEY (empty: public CA), WAIT_SECONDS,
#      AUTH_DIR (default /tmp/auth).
set -euo pipefail
auth=${AUTH_DIR:-/tmp/auth}
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

deadline=$((SECONDS + WAIT_SECONDS))
until [ -n "$(oc get secret "$ADMIN_SECRET" -n "$REGISTRY_NAMESPACE" -o jsonpath='{.data.password}' 2>/dev/null)" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: no Quay super-user in $REGISTRY_NAMESPACE/$ADMIN_SECRET after ${WAIT_SECONDS}s (is the registry bundle applied?)" >&2
    exit 1
  fi
  sleep 30
done

mkdir -p "$auth/containers"
oc get secret pull-secret -n openshift-config -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d > "$work/pull-secret.json"
oc get secret "$ADMIN_SECRET" -n "$REGISTRY_NAMESPACE" -o json > "$work/admin.json"
jq -n --slurpfile pull "$work/pull-secret.json" --slurpfile admin "$work/admin.json" --arg host "$QUAY_HOST" '
  ($admin[0].data.username | @base64d) as $user | ($admin[0].data.password | @base64d) as $pass
  | $pull[0] * {auths: {($host): {auth: ("\($user):\($pass)" | @base64)}}}' > "$auth/containers/auth.json"

oc get configmap "$CA_CONFIGMAP" -n openshift-config -o json > "$work/cas.json"
jq -r --arg k "$QUAY_HOST" '.data[$k] // ""' "$work/cas.json" > "$auth/ca.pem"
if ! grep -q 'BEGIN CERTIFICATE' "$auth/ca.pem"; then
  echo "error: $CA_CONFIGMAP has no CA for the edge Quay $QUAY_HOST" >&2
  exit 1
fi
if [ -n "$HUB_CA_KEY" ]; then
  jq -r --arg k "$HUB_CA_KEY" '.data[$k] // ""' "$work/cas.json" > "$work/hub-ca.pem"
  if ! grep -q 'BEGIN CERTIFICATE' "$work/hub-ca.pem"; then
    echo "error: $CA_CONFIGMAP has no CA for the hub registry ($HUB_CA_KEY)" >&2
    exit 1
  fi
  cat "$work/hub-ca.pem" >> "$auth/ca.pem"
fi
echo "credentials for the hub registry and $QUAY_HOST ready"
