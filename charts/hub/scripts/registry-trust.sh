#!/bin/bash
# Makes the hub trust the registry's CA and hands it to the Assisted Service. The CA is read at run time, since
# it only exists in the cluster (CA_SOURCE=ingress: the hub ingress CA that signs the registry Route;
# file: the REGISTRY_CA given in the fleet config, mounted at /ca/ca.crt; none: a publicly trusted registry).
# Writes: openshift-config/ztpfw-registry-ca (one key per registry, the ConfigMap `Image cluster`
# additionalTrustedCA names: CRI-O on every node trusts it without a drain or reboot), multicluster-engine/mirror-ref.
# No MachineConfig: a MachineConfig makes the MCO drain and reboot every hub node while the sync runs.
# Env: CA_SOURCE, REGISTRY_KEY (host or host..port). Mounted: /config/registries.conf.
set -euo pipefail
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case "$CA_SOURCE" in
  ingress) oc get configmap default-ingress-cert -n openshift-config-managed -o jsonpath='{.data.ca-bundle\.crt}' > "$work/ca.crt" ;;
  file) cp /ca/ca.crt "$work/ca.crt" ;;
  none) : > "$work/ca.crt" ;;
  *) echo "error: unknown CA_SOURCE '$CA_SOURCE'" >&2; exit 1 ;;
esac

if [ "$CA_SOURCE" = none ]; then
  oc create configmap mirror-ref -n multicluster-engine --from-file=registries.conf=/config/registries.conf \
    --dry-run=client -o yaml | oc label --local -f - app=assisted-service -o yaml | oc apply -f -
  exit 0
fi

if ! grep -q 'BEGIN CERTIFICATE' "$work/ca.crt"; then
  echo "error: no CA certificate found (CA_SOURCE=$CA_SOURCE)" >&2
  exit 1
fi

oc create configmap ztpfw-registry-ca -n openshift-config --from-file="${REGISTRY_KEY}=$work/ca.crt" \
  --dry-run=client -o yaml | oc apply -f -

oc create configmap mirror-ref -n multicluster-engine --from-file=registries.conf=/config/registries.conf \
  --from-file=ca-bundle.crt="$work/ca.crt" \
  --dry-run=client -o yaml | oc label --local -f - app=assisted-service -o yaml | oc apply -f -
