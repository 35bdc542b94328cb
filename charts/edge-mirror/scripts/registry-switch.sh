#!/bin/bash
# Switches the edge from the hub mirror to its own Quay, and only after its mirror is complete:
# 1. waits for the mirror Job to be Complete (a Failed mirror Job stops here: nothing is applied);
# 2. checks that every image the switched edge pulls (release, catalogs, its own images) is in its Quay;
# 3. applies the edge-shaped mirror sets, OperatorHub and catalogs (server-side, taking the fields over from the
#    hub-shaped delivery), then deletes the hub-shaped mirror sets.
# Credentials go to the in-memory /tmp only; nothing secret is printed.
# Env: NAMESPACE, MIRROR_JOB, REGISTRY_NAMESPACE, ADMIN_SECRET, QUAY_HOST, CA_CONFIGMAP, HUB_MIRROR_NAME,
#      HUB_MIRROR_RESOURCES (resource.group list), FIELD_MANAGER, WAIT_SECONDS, SWITCH_DIR (default /switch),
#      SYSTEM_CA_BUNDLE (default: the RHEL bundle).
set -euo pipefail
umask 077
switch_dir=${SWITCH_DIR:-/switch}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The mirror Job.
deadline=$((SECONDS + WAIT_SECONDS))
while :; do
  oc get job "$MIRROR_JOB" -n "$NAMESPACE" -o json > "$work/job.json"
  complete=$(jq -r '[.status.conditions[]? | select(.type == "Complete" and .status == "True")] | length' "$work/job.json")
  failed=$(jq -r '[.status.conditions[]? | select(.type == "Failed" and .status == "True")] | length' "$work/job.json")
  if [ "$complete" != 0 ]; then
    break
  fi
  if [ "$failed" != 0 ]; then
    echo "error: the mirror Job $NAMESPACE/$MIRROR_JOB failed; the edge keeps pulling from the hub. Delete the Job to mirror again." >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: the mirror Job $NAMESPACE/$MIRROR_JOB is not complete after ${WAIT_SECONDS}s" >&2
    exit 1
  fi
  echo "waiting for the mirror Job $NAMESPACE/$MIRROR_JOB"
  sleep 30
done

# 2. Every image the switch points at is in the edge Quay.
oc get secret "$ADMIN_SECRET" -n "$REGISTRY_NAMESPACE" -o json > "$work/admin.json"
jq --arg host "$QUAY_HOST" '(.data.username | @base64d) as $u | (.data.password | @base64d) as $p
  | {auths: {($host): {auth: ("\($u):\($p)" | @base64)}}}' "$work/admin.json" > "$work/auth.json"
rm -f "$work/admin.json"
oc get configmap "$CA_CONFIGMAP" -n openshift-config -o json | jq -r --arg k "$QUAY_HOST" '.data[$k] // ""' > "$work/quay-ca.pem"
if ! grep -q 'BEGIN CERTIFICATE' "$work/quay-ca.pem"; then
  echo "error: $CA_CONFIGMAP has no CA for $QUAY_HOST" >&2
  exit 1
fi
cat "${SYSTEM_CA_BUNDLE:-/etc/pki/tls/certs/ca-bundle.crt}" "$work/quay-ca.pem" > "$work/ca-bundle.pem"
missing=0
while read -r image; do
  [ -n "$image" ] || continue
  if ! SSL_CERT_FILE="$work/ca-bundle.pem" oc image info --registry-config="$work/auth.json" --filter-by-os=linux/amd64 "$image" > /dev/null; then
    echo "error: $image is not in the edge registry" >&2
    missing=$((missing + 1))
  fi
done < "$switch_dir/verify-images.txt"
if [ "$missing" -ne 0 ]; then
  echo "error: $missing image(s) missing from the edge registry; nothing switched" >&2
  exit 1
fi

# 3. The switch.
for file in "$switch_dir"/*.yaml; do
  oc apply --server-side --force-conflicts --field-manager="$FIELD_MANAGER" -f "$file"
done
for resource in $HUB_MIRROR_RESOURCES; do
  oc delete "$resource" "$HUB_MIRROR_NAME" --ignore-not-found
done
echo "the edge pulls from $QUAY_HOST"
