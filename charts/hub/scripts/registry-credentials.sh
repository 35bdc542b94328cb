#!/bin/bash
# Stores the generated registry credentials once: an existing registry-credentials Secret is kept (re-runs never
# rotate the password under running clients). Reads /credentials from the init container; prints no secret.
set -euo pipefail
if oc get secret registry-credentials -n ztpfw-registry >/dev/null 2>&1; then
  echo "registry credentials already exist; keeping them"
  exit 0
fi
# The htpasswd Secret first: registry-credentials is written last and marks the work as done.
oc create secret generic registry-auth -n ztpfw-registry \
  --from-file=htpasswd=/credentials/htpasswd --from-file=http-secret=/credentials/http-secret \
  --dry-run=client -o yaml | oc apply -f - >/dev/null
oc create secret generic registry-credentials -n ztpfw-registry --type=kubernetes.io/basic-auth \
  --from-file=username=/credentials/username --from-file=password=/credentials/password >/dev/null
echo "registry credentials created"
