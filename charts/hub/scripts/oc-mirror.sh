#!/bin/bash
# Mirrors the ImageSetConfiguration (/config/imageset-config.yaml) into the hub registry. TLS is verified against
# the system roots plus the registry CA. oc-mirror keeps its metadata in the registry, so a re-run only copies
# what is new; the workspace is scratch space.
# Env: MIRROR_REGISTRY (host[:port]), MAX_ATTEMPTS.
set -euo pipefail
export XDG_RUNTIME_DIR=/auth
mkdir -p "$HOME/.docker"
cp /auth/containers/auth.json "$HOME/.docker/config.json"
cat /etc/pki/tls/certs/ca-bundle.crt /auth/ca.crt > /workspace/ca.pem
export SSL_CERT_FILE=/workspace/ca.pem
cd /workspace
attempt=1
until oc-mirror --config /config/imageset-config.yaml "docker://${MIRROR_REGISTRY}" --max-per-registry 10; do
  if [ "$attempt" -ge "${MAX_ATTEMPTS:-3}" ]; then
    echo "error: oc-mirror failed $attempt times" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  echo "oc-mirror failed; retrying ($attempt/${MAX_ATTEMPTS:-3}) in 60s"
  sleep 60
done
echo "mirror complete"
