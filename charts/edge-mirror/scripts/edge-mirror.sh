#!/bin/bash
# Copies the edge's image set from the hub registry into its own Quay (oc-mirror v2, mirror to mirror). The image
# set names the upstream sources; registries.conf sends every one of them to where the hub's oc-mirror put it, so
# the edge reads the hub layout and never the internet. TLS is verified against the system roots plus the CAs the
# init container wrote. Success means oc-mirror exited 0 AND logged no image it failed to copy (oc-mirror v2 carries
# on past single images and lists them in its error log).
# Env: EDGE_MIRROR (<quay route>/ztpfw), MAX_ATTEMPTS, RETRY_SECONDS, SYSTEM_CA_BUNDLE (default: the RHEL bundle);
#      CONFIG_DIR, AUTH_DIR, WORKSPACE (the pod's mounts by default).
set -euo pipefail
config=${CONFIG_DIR:-/config}
auth=${AUTH_DIR:-/tmp/auth}
workspace=${WORKSPACE:-/workspace}
export XDG_RUNTIME_DIR="$auth"
export REGISTRY_AUTH_FILE="$auth/containers/auth.json"
export CONTAINERS_REGISTRIES_CONF="$config/registries.conf"
mkdir -p "$HOME/.config/containers" "$workspace/cache"
cp "$config/registries.conf" "$HOME/.config/containers/registries.conf"
cat "${SYSTEM_CA_BUNDLE:-/etc/pki/tls/certs/ca-bundle.crt}" "$auth/ca.pem" > "$auth/ca-bundle.pem"
export SSL_CERT_FILE="$auth/ca-bundle.pem"

attempt=1
while :; do
  # Error logs of an earlier attempt must not decide this one.
  find "$workspace" -name 'mirroring_errors*' -delete
  if oc-mirror --v2 --config "$config/imageset-config.yaml" --workspace "file://$workspace/work" --cache-dir "$workspace/cache" "docker://${EDGE_MIRROR}"; then
    failed=$(find "$workspace" -name 'mirroring_errors*' -size +0c)
    if [ -z "$failed" ]; then
      break
    fi
    echo "oc-mirror left images out (see $failed)" >&2
  fi
  if [ "$attempt" -ge "${MAX_ATTEMPTS:-3}" ]; then
    echo "error: the edge mirror is incomplete after $attempt attempts; the edge keeps pulling from the hub" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  echo "retrying the mirror ($attempt/${MAX_ATTEMPTS:-3}) in ${RETRY_SECONDS:-60}s"
  sleep "${RETRY_SECONDS:-60}"
done
echo "mirror complete: ${EDGE_MIRROR}"
