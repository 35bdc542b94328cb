#!/bin/bash
# Gives oc-mirror what it needs without a cluster client: the hub's global pull secret (source registries plus our
# registry, merged by the pull-secret Job) and the registry CA, written to an in-memory volume. Prints no secret.
# Then decides whether there is work: if the marker ConfigMap holds the sha256 of this very ImageSetConfiguration, a
# previous run mirrored it completely and /auth/mirror-done tells the next containers to skip.
# Env: REGISTRY_KEY (key of the registry in ztpfw-registry-ca), CA_SOURCE (none: no CA to fetch), MARKER_CONFIGMAP.
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

hash=$(sha256sum /config/imageset-config.yaml | cut -d' ' -f1)
printf '%s\n' "$hash" > /auth/imageset.sha256
done_hash=$(oc get configmap "$MARKER_CONFIGMAP" -n ztpfw-hub -o jsonpath='{.data.hash}' 2>/dev/null || true)
if [ "$done_hash" = "$hash" ]; then
  : > /auth/mirror-done
  echo "this ImageSetConfiguration (sha256 $hash) was mirrored completely before; skipping (delete ConfigMap ztpfw-hub/$MARKER_CONFIGMAP to mirror again)"
else
  echo "ImageSetConfiguration sha256 $hash: mirroring"
fi
