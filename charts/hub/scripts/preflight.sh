#!/bin/bash
# Hub pre-flight: refuses to start the hub bring-up on a hub that cannot carry it. Read-only.
# Env: EXPECTED_APPS_DOMAIN, REGISTRY_MODE (internal|custom|none), REGISTRY_HOST, STORAGE_CLASS (may be empty),
#      HUB_LVMS (true|false), CO_ATTEMPTS, OCP_VERSION (of the edge clusters), ANY_CLUSTER_FIPS (true when a
#      cluster has FIPS: true), FIPS_FILE (the kernel's FIPS switch; tests point it elsewhere).
set -euo pipefail

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# Every node Ready=True (the original counted NotReady nodes as ready and only accepted 1 or 3 nodes).
nodes=$(oc get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}')
not_ready=$(printf '%s\n' "$nodes" | awk 'NF && $2 != "True" {print $1}')
if [ -z "$nodes" ]; then
  fail "no nodes found"
elif [ -n "$not_ready" ]; then
  fail "nodes not Ready: $(echo "$not_ready" | tr '\n' ' ')"
else
  ok "$(printf '%s\n' "$nodes" | awk 'NF' | wc -l) node(s) Ready"
fi

# Every ClusterOperator Available=True and Degraded=False, waiting for a settling cluster.
attempt=1
while :; do
  bad=$(oc get clusteroperators -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Available")].status}{" "}{.status.conditions[?(@.type=="Degraded")].status}{"\n"}{end}' \
    | awk 'NF && ($2 != "True" || $3 == "True") {print $1}')
  if [ -z "$bad" ]; then ok "all ClusterOperators Available and not Degraded"; break; fi
  if [ "$attempt" -ge "${CO_ATTEMPTS:-30}" ]; then fail "ClusterOperators not healthy: $(echo "$bad" | tr '\n' ' ')"; break; fi
  attempt=$((attempt + 1))
  sleep 20
done

# OpenShift 4.12 or newer on the hub (LVMS, MCE 2.2).
version=$(oc get clusterversion version -o jsonpath='{.status.desired.version}')
major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
if [ "${major:-0}" -gt 4 ] || { [ "${major:-0}" -eq 4 ] && [ "${minor:-0}" -ge 12 ]; }; then
  ok "hub runs OpenShift $version"
else
  fail "hub runs OpenShift '$version'; 4.12 or newer is needed"
fi

# metal3: the Provisioning API that the bare-metal flow needs is served.
if oc get customresourcedefinition provisionings.metal3.io >/dev/null 2>&1; then
  ok "metal3 Provisioning API present"
else
  fail "metal3 Provisioning API (provisionings.metal3.io) missing: the hub cannot run BareMetalHosts"
fi

# Bare-metal provisioning: the cluster-baremetal-operator runs metal3 only on these platforms; on all but BareMetal
# and None only with provisioningNetwork Disabled (cluster-baremetal-operator controllers/provisioning_enabled.go).
platform=$(oc get infrastructure cluster -o jsonpath='{.status.platformStatus.type}')
case "$platform" in
  BareMetal|None|OpenStack|VSphere|AWS|Azure|GCP|KubeVirt)
    if oc get provisioning provisioning-configuration >/dev/null 2>&1; then
      ok "hub platform $platform; its Provisioning is kept (provisioningNetwork: $(oc get provisioning provisioning-configuration -o jsonpath='{.spec.provisioningNetwork}'))"
    else
      ok "hub platform $platform without a Provisioning: the provisioning Job creates one with provisioningNetwork Disabled"
    fi ;;
  *) fail "hub platform '${platform}': the cluster-baremetal-operator does not run metal3 there, so no BareMetalHost would ever boot; use a hub on BareMetal or None (assisted/agent-based install), or one of OpenStack, VSphere, AWS, Azure, GCP, KubeVirt" ;;
esac

# FIPS: the hub's own FIPS mode decides which installer the Assisted Service runs (assisted-service
# internal/oc/release.go GetReleaseBinaryPath, docs/operator.md "Running on FIPS mode clusters"): from 4.16 a hub
# that is not in FIPS mode runs the statically linked openshift-install, which refuses `fips: true`; a FIPS hub
# installs FIPS clusters only from 4.16 on.
hub_fips=false
[ "$(cat "${FIPS_FILE:-/proc/sys/crypto/fips_enabled}" 2>/dev/null || echo 0)" = 1 ] && hub_fips=true
if [ "${ANY_CLUSTER_FIPS:-false}" != true ]; then
  ok "no cluster installs in FIPS mode (hub FIPS mode: $hub_fips)"
else
  ocp_major=${OCP_VERSION%%.*}; ocp_rest=${OCP_VERSION#*.}; ocp_minor=${ocp_rest%%.*}
  if [ "$ocp_major" -gt 4 ] || { [ "$ocp_major" -eq 4 ] && [ "$ocp_minor" -ge 16 ]; }; then from416=true; else from416=false; fi
  if [ "$from416" = true ] && [ "$hub_fips" != true ]; then
    fail "clusters with FIPS: true (the default unless the fleet or the cluster sets FIPS: false) with OpenShift $OCP_VERSION need a hub in FIPS mode (from 4.16 a non-FIPS hub runs the static openshift-install, which refuses fips: true); install the hub in FIPS mode, or set FIPS: false for these clusters"
  elif [ "$from416" = false ] && [ "$hub_fips" = true ]; then
    fail "clusters with FIPS: true (the default unless the fleet or the cluster sets FIPS: false) with OpenShift $OCP_VERSION: a hub in FIPS mode installs FIPS clusters only from OpenShift 4.16; use 4.16 or newer, or a hub that is not in FIPS mode"
  else
    ok "clusters with FIPS: true and OpenShift $OCP_VERSION on a hub with FIPS mode $hub_fips"
  fi
fi

# The registry and HTTPD routes are published under the hub ingress domain the fleet config names.
domain=$(oc get ingresses.config.openshift.io cluster -o jsonpath='{.spec.domain}')
if [ "$REGISTRY_MODE" = internal ] && [ "$domain" != "$EXPECTED_APPS_DOMAIN" ]; then
  fail "hub ingress domain is '$domain' but HUB_APPS_DOMAIN is '$EXPECTED_APPS_DOMAIN' (set HUB_APPS_DOMAIN: $domain)"
else
  ok "hub ingress domain $domain"
fi

# PVCs can bind: either LVMS is deployed by this bundle or the named/default StorageClass exists.
if [ "$HUB_LVMS" = true ]; then
  ok "hub storage comes from LVMS (needs one free disk per hub node)"
elif [ -n "${STORAGE_CLASS:-}" ]; then
  if oc get storageclass "$STORAGE_CLASS" >/dev/null 2>&1; then ok "StorageClass $STORAGE_CLASS exists"; else fail "StorageClass $STORAGE_CLASS (HUB_STORAGE_CLASS) does not exist"; fi
else
  defaults=$(oc get storageclasses -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.annotations.storageclass\.kubernetes\.io/is-default-class}{"\n"}{end}' | awk '$2 == "true" {print $1}')
  if [ -n "$defaults" ]; then ok "default StorageClass $defaults"; else fail "no default StorageClass: set HUB_LVMS: true or HUB_STORAGE_CLASS"; fi
fi

# A custom registry: its name resolves and the factory created its credentials Secret.
if [ "$REGISTRY_MODE" = custom ]; then
  if getent hosts "$REGISTRY_HOST" >/dev/null; then ok "registry $REGISTRY_HOST resolves"; else fail "registry host $REGISTRY_HOST does not resolve from the hub"; fi
  if oc get secret registry-credentials -n ztpfw-registry >/dev/null 2>&1; then
    ok "Secret ztpfw-registry/registry-credentials present"
  else
    fail "Secret ztpfw-registry/registry-credentials (keys username, password) missing: create it for the custom REGISTRY"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "pre-flight: $failures check(s) failed" >&2
  exit 1
fi
echo "pre-flight: all checks passed"
