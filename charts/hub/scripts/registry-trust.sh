#!/bin/bash
# Makes the hub trust the registry's CA and hands it to the Assisted Service. The CA is read at run time, since
# it only exists in the cluster (CA_SOURCE=ingress: the hub ingress CA that signs the registry Route;
# file: the REGISTRY_CA given in the fleet config, mounted at /ca/ca.crt; none: a publicly trusted registry).
# Writes: openshift-config/ztpfw-registry-ca (one key per registry, the ConfigMap image.config trusts),
# MachineConfigs for the master and worker pools, multicluster-engine/mirror-ref.
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

# One MachineConfig per pool, each with its own name (a shared name let the last one win).
ca_b64=$(base64 -w0 < "$work/ca.crt")
for role in master worker; do
  oc apply -f - <<EOF
apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfig
metadata:
  name: 99-${role}-ztpfw-registry-ca
  labels:
    machineconfiguration.openshift.io/role: ${role}
spec:
  config:
    ignition:
      version: 3.2.0
    storage:
      files:
        - path: /etc/pki/ca-trust/source/anchors/ztpfw-registry-ca.crt
          mode: 420
          overwrite: true
          contents:
            source: data:text/plain;charset=utf-8;base64,${ca_b64}
EOF
done

oc create configmap mirror-ref -n multicluster-engine --from-file=registries.conf=/config/registries.conf \
  --from-file=ca-bundle.crt="$work/ca.crt" \
  --dry-run=client -o yaml | oc label --local -f - app=assisted-service -o yaml | oc apply -f -
