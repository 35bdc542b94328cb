#!/bin/bash
# Mirrors the ImageSetConfiguration (/config/imageset-config.yaml) into the hub registry. TLS is verified against
# the system roots plus the registry CA. oc-mirror keeps its metadata in the registry, so a re-run only copies
# what is new; the workspace is scratch space. The tool is the newest oc-mirror (version table), which needs --v1 or
# --v2 from 4.21 on; --v1 unpacks the v1 binary into TMPDIR and runs it from there, so TMPDIR is on the workspace.
# Env: MIRROR_REGISTRY (host[:port]), OC_MIRROR_FLAG (--v1), MAX_ATTEMPTS.
set -euo pipefail
if [ -e /auth/mirror-done ]; then echo "already mirrored; nothing to do"; exit 0; fi
export XDG_RUNTIME_DIR=/auth
mkdir -p "$HOME/.docker"
cp /auth/containers/auth.json "$HOME/.docker/config.json"
cat /etc/pki/tls/certs/ca-bundle.crt /auth/ca.crt > /workspace/ca.pem
export SSL_CERT_FILE=/workspace/ca.pem
cd /workspace
mkdir -p /workspace/tmp
export TMPDIR=/workspace/tmp
attempt=1
until oc-mirror "${OC_MIRROR_FLAG:---v1}" --config /config/imageset-config.yaml "docker://${MIRROR_REGISTRY}" --max-per-registry 10; do
  if [ "$attempt" -ge "${MAX_ATTEMPTS:-3}" ]; then
    echo "error: oc-mirror failed $attempt times" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  echo "oc-mirror failed; retrying ($attempt/${MAX_ATTEMPTS:-3}) in 60s"
  sleep 60
done
echo "mirror complete"
