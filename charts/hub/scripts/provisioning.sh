#!/bin/bash
# The metal3 Provisioning singleton BMAC needs on every hub platform. A hub installed as bare-metal IPI already has
# one (with its own provisioning network): it is kept, and the rendered Provisioning only adds watchAllNamespaces.
# Any other hub (platform None from the assisted or agent-based installer, vSphere, …) has none: it is created
# with provisioningNetwork Disabled, the one mode the cluster-baremetal-operator accepts without provisioning
# network settings (an empty mode means Managed, which needs provisioningIP, CIDR and DHCP range, so metal3 never
# starts). Sources: openshift/cluster-baremetal-operator api/v1alpha1/provisioning_validation.go,
# controllers/provisioning_enabled.go.
set -euo pipefail
if oc get provisioning provisioning-configuration >/dev/null 2>&1; then
  mode=$(oc get provisioning provisioning-configuration -o jsonpath='{.spec.provisioningNetwork}')
  echo "Provisioning provisioning-configuration exists (provisioningNetwork: ${mode:-Managed}); keeping its network settings"
  exit 0
fi
oc apply -f - <<'EOF'
apiVersion: metal3.io/v1alpha1
kind: Provisioning
metadata:
  name: provisioning-configuration
spec:
  provisioningNetwork: Disabled
  watchAllNamespaces: true
EOF
echo "created Provisioning provisioning-configuration (provisioningNetwork: Disabled, watchAllNamespaces: true)"
