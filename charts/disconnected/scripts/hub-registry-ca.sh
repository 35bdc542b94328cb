#!/bin/bash
# Makes the edge trust the hub mirror registry for image imports and builds, not only on the nodes: writes the
# registry's CA under its key into the trusted-CA ConfigMap that image.config names (merge-patched, so the keys
# other bundles write stay).
# CA_SOURCE=install: the CA the cluster was installed with (the Assisted Service copies the hub's mirror-ref
# ca-bundle.crt into openshift-config/user-ca-bundle); file: the fleet's REGISTRY_CA, mounted at /ca/ca.crt.
# Env: CA_SOURCE, REGISTRY_KEY, CA_CONFIGMAP.
set -euo pipefail
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case "$CA_SOURCE" in
  install) oc get configmap user-ca-bundle -n openshift-config -o jsonpath='{.data.ca-bundle\.crt}' > "$work/ca.crt" ;;
  file) cp /ca/ca.crt "$work/ca.crt" ;;
  *) echo "error: unknown CA_SOURCE '$CA_SOURCE'" >&2; exit 1 ;;
esac
if ! grep -q 'BEGIN CERTIFICATE' "$work/ca.crt"; then
  echo "error: no CA certificate for $REGISTRY_KEY (CA_SOURCE=$CA_SOURCE)" >&2
  exit 1
fi
if ! oc get configmap "$CA_CONFIGMAP" -n openshift-config -o name >/dev/null 2>&1; then
  oc create configmap "$CA_CONFIGMAP" -n openshift-config
fi
jq -n --rawfile ca "$work/ca.crt" --arg key "$REGISTRY_KEY" '{data: {($key): $ca}}' > "$work/trust.json"
oc patch configmap "$CA_CONFIGMAP" -n openshift-config --type=merge --patch-file="$work/trust.json"
echo "openshift-config/$CA_CONFIGMAP trusts $REGISTRY_KEY"
