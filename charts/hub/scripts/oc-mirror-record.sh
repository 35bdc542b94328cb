#!/bin/bash
# Runs only after oc-mirror succeeded (init containers run in order, each must exit 0): records the sha256 of the
# mirrored ImageSetConfiguration in the marker ConfigMap, so a retried or repeated sync skips the finished mirror.
# A changed ImageSetConfiguration has another hash and is mirrored again (oc-mirror then copies only what is new).
# Env: MARKER_CONFIGMAP.
set -euo pipefail
if [ -e /auth/mirror-done ]; then
  echo "mirror was already complete; marker unchanged"
  exit 0
fi
hash=$(cat /auth/imageset.sha256)
oc create configmap "$MARKER_CONFIGMAP" -n ztpfw-hub --from-literal=hash="$hash" \
  --from-literal=completed="$(date -u +%Y-%m-%dT%H:%M:%SZ)" --dry-run=client -o yaml | oc apply -f -
echo "recorded the completed mirror of ImageSetConfiguration sha256 $hash"
