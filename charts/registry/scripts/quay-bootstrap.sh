#!/bin/bash
# Bootstraps the edge Quay without any credential in git:
# 1. the config bundle Secret, with a super-user name generated here (the QuayRegistry reads it);
# 2. the edge's trust in the Quay Route: the ingress CA under the Route host in the trusted-CA ConfigMap
#    (merge-patched, so the keys other bundles write stay);
# 3. once the QuayRegistry is Available: the super-user with a generated password (stored first, so a retry
#    never loses it), its API token, and the organisation the edge mirror fills.
# Env: NAMESPACE, QUAY_NAME, CONFIG_SECRET, ADMIN_SECRET, QUAY_HOST, CA_CONFIGMAP, ORGANIZATION, WAIT_SECONDS.
set -euo pipefail
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

random() { head -c 64 /dev/urandom | sha256sum | cut -c1-"$1"; }

# 1. Config bundle.
if ! oc get secret "$CONFIG_SECRET" -n "$NAMESPACE" -o name >/dev/null 2>&1; then
  cat > "$work/config.yaml" <<EOF
REGISTRY_TITLE: ZTPFW Registry
FEATURE_USER_INITIALIZE: true
FEATURE_USER_CREATION: false
BROWSER_API_CALLS_XHR_ONLY: false
SUPER_USERS:
  - ztpfw$(random 8)
EOF
  oc create secret generic "$CONFIG_SECRET" -n "$NAMESPACE" --from-file=config.yaml="$work/config.yaml"
fi
admin=$(oc get secret "$CONFIG_SECRET" -n "$NAMESPACE" -o jsonpath='{.data.config\.yaml}' | base64 -d | awk '/^SUPER_USERS:/ {getline; print $2; exit}')
if [ -z "$admin" ]; then
  echo "error: $CONFIG_SECRET names no super user" >&2
  exit 1
fi

# 2. Trust: the Route is served with the default ingress certificate.
oc get configmap default-ingress-cert -n openshift-config-managed -o jsonpath='{.data.ca-bundle\.crt}' > "$work/ca.crt"
if ! grep -q 'BEGIN CERTIFICATE' "$work/ca.crt"; then
  echo "error: no ingress CA in openshift-config-managed/default-ingress-cert" >&2
  exit 1
fi
if ! oc get configmap "$CA_CONFIGMAP" -n openshift-config -o name >/dev/null 2>&1; then
  oc create configmap "$CA_CONFIGMAP" -n openshift-config
fi
jq -n --rawfile ca "$work/ca.crt" --arg key "$QUAY_HOST" '{data: {($key): $ca}}' > "$work/trust.json"
oc patch configmap "$CA_CONFIGMAP" -n openshift-config --type=merge --patch-file="$work/trust.json"

# 3. Wait for Quay (the Job deadline bounds the whole run).
deadline=$((SECONDS + WAIT_SECONDS))
until [ "$(oc get quayregistry "$QUAY_NAME" -n "$NAMESPACE" -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>/dev/null)" = True ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: QuayRegistry $QUAY_NAME not Available after ${WAIT_SECONDS}s" >&2
    exit 1
  fi
  sleep 20
done

if ! oc get secret "$ADMIN_SECRET" -n "$NAMESPACE" -o name >/dev/null 2>&1; then
  printf '%s' "$admin" > "$work/username"
  random 32 > "$work/password"
  oc create secret generic "$ADMIN_SECRET" -n "$NAMESPACE" --from-file=username="$work/username" --from-file=password="$work/password"
fi
oc get secret "$ADMIN_SECRET" -n "$NAMESPACE" -o jsonpath='{.data.password}' | base64 -d > "$work/password"
oc get secret "$ADMIN_SECRET" -n "$NAMESPACE" -o jsonpath='{.data.token}' | base64 -d > "$work/token"
api="https://$QUAY_HOST/api/v1"

if [ ! -s "$work/token" ]; then
  jq -n --arg u "$admin" --rawfile p "$work/password" '{username: $u, password: $p, email: ($u + "@ztpfw.invalid"), access_token: true}' > "$work/init.json"
  if ! curl -sS --fail --cacert "$work/ca.crt" -H 'Content-Type: application/json' --data @"$work/init.json" -o "$work/init-response.json" "$api/user/initialize"; then
    echo "error: Quay refused the initialisation (already initialised?); log in as $admin with the password in $NAMESPACE/$ADMIN_SECRET" >&2
    exit 1
  fi
  jq -j '.access_token' "$work/init-response.json" > "$work/token"
  jq -n --rawfile t "$work/token" '{data: {token: ($t | @base64)}}' > "$work/token-patch.json"
  oc patch secret "$ADMIN_SECRET" -n "$NAMESPACE" --type=merge --patch-file="$work/token-patch.json"
fi

printf 'Authorization: Bearer %s\n' "$(cat "$work/token")" > "$work/auth-header"
if ! curl -sS --fail --cacert "$work/ca.crt" -H @"$work/auth-header" -o /dev/null "$api/organization/$ORGANIZATION"; then
  jq -n --arg o "$ORGANIZATION" '{name: $o, email: ($o + "@ztpfw.invalid")}' > "$work/org.json"
  curl -sS --fail --cacert "$work/ca.crt" -H @"$work/auth-header" -H 'Content-Type: application/json' --data @"$work/org.json" -o /dev/null "$api/organization/"
fi
echo "Quay $QUAY_HOST ready: super user $admin, organisation $ORGANIZATION"
