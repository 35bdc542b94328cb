#!/bin/bash
# Gives oc-mirror what it needs without a cluster client: the hub's global pull secret (source registries plus our
# registry, merged by the pull-secret Job) and the registry CA, written to an in-memory volume. Prints no secret.
# Env: REGISTRY_KEY (key of the registry in ztpfw-registry-ca), CA_SOURCE (none: no CA to fetch).
set -euo pipefail
umask 077
mkdir -p /auth/containers
oc get secret pull-secret -n openshift-config -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d > /auth/containers/auth.json
: > /auth/ca.crt
if [ "$CA_SOURCE" != none ]; then
  oc get configmap ztpfw-registry-ca -n openshift-config -o json | jq -r --arg k "$REGISTRY_KEY" '.data[$k] // ""' > /auth/ca.crt
  grep -q 'BEGIN CERTIFICATE' /auth/ca.crt || { echo "error: ztpfw-registry-ca has no CA for $REGISTRY_KEY" >&2; exit 1; }
fi
echo "pull secret and registry CA ready"
