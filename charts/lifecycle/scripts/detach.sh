#!/bin/bash
# Detach one edge cluster from the hub (runs on the hub as an Argo CD PreSync hook of the cluster's application,
# so nothing is pruned, least of all the ManagedCluster, unless this script succeeds).
#   1. verify every day-2 bundle of the cluster is applied (ManifestWork Applied+Available, or Policy Compliant)
#   2. copy the admin kubeconfig, kubeadmin password and SSH key pair into ONE Secret in $CREDENTIALS_NAMESPACE
#   3. check the saved kubeconfig reaches the edge API
#   4. put the SSH key pair (when the factory keeps one) on the edge as $EDGE_SSH_NAMESPACE/$EDGE_SSH_SECRET, where the
#      site's setup UI offers the private key for download (the original did the same when it detached a cluster)
# Secret material only moves between files in a memory volume and the API; nothing is echoed (no `set -x`).
# Inputs (env): CLUSTER, DELIVERY (manifestwork|policy), POLICY_NAMESPACE, EXPECTED_BUNDLES (space separated),
#   CREDENTIALS_NAMESPACE, CREDENTIALS_SECRET, KUBECONFIG_SECRET, PASSWORD_SECRET, SSH_SECRET, EDGE_SSH_NAMESPACE,
#   EDGE_SSH_SECRET; SECRETS_DIR (the memory volume, /secrets by default).
set -euo pipefail
umask 077
secrets=${SECRETS_DIR:-/secrets}

fail() { echo "detach ${CLUSTER}: $*" >&2; exit 1; }

# Re-run after a completed detach (every later sync of the application runs this hook again): nothing to do.
if ! oc get managedcluster "${CLUSTER}" -o name >/dev/null 2>&1; then
  if oc get secret "${CREDENTIALS_SECRET}" -n "${CREDENTIALS_NAMESPACE}" -o name >/dev/null 2>&1; then
    echo "detach ${CLUSTER}: already detached; credentials in ${CREDENTIALS_NAMESPACE}/${CREDENTIALS_SECRET}"
    exit 0
  fi
  fail "no ManagedCluster and no saved credentials: the cluster was never registered or its credentials were lost"
fi

# 1. Day-2 configuration applied.
condition() { # kind name type
  oc get "$1" "$2" -n "${CLUSTER}" -o "jsonpath={.status.conditions[?(@.type==\"$3\")].status}"
}
for bundle in ${EXPECTED_BUNDLES}; do
  selector="ztpfw.io/cluster=${CLUSTER},ztpfw.io/bundle=${bundle}"
  if [ "${DELIVERY}" = policy ]; then
    states=$(oc get policies.policy.open-cluster-management.io -n "${POLICY_NAMESPACE}" -l "${selector}" \
      -o 'jsonpath={range .items[*]}{.metadata.name}={.status.compliant}{"\n"}{end}')
    [ -n "${states}" ] || fail "bundle ${bundle}: no Policy found in ${POLICY_NAMESPACE}"
    while IFS='=' read -r name state; do
      [ "${state}" = Compliant ] || fail "bundle ${bundle}: Policy ${name} is '${state:-unknown}', not Compliant"
    done <<<"${states}"
  else
    works=$(oc get manifestworks.work.open-cluster-management.io -n "${CLUSTER}" -l "${selector}" -o 'jsonpath={.items[*].metadata.name}')
    [ -n "${works}" ] || fail "bundle ${bundle}: no ManifestWork found in ${CLUSTER}"
    for work in ${works}; do
      for type in Applied Available; do
        [ "$(condition manifestworks.work.open-cluster-management.io "${work}" "${type}")" = True ] \
          || fail "bundle ${bundle}: ManifestWork ${work} is not ${type}"
      done
    done
  fi
  echo "detach ${CLUSTER}: bundle ${bundle} applied"
done

# 2. Credentials into one Secret.
read_key() { # secret key file; a dot in the key is escaped, or jsonpath would read it as a nested field
  oc get secret "$1" -n "${CLUSTER}" -o "jsonpath={.data.${2//./\\.}}" | base64 -d >"$3"
  [ -s "$3" ] || fail "Secret ${CLUSTER}/$1 has no key $2"
}
read_key "${KUBECONFIG_SECRET}" kubeconfig "${secrets}/kubeconfig"
read_key "${PASSWORD_SECRET}" password "${secrets}/kubeadmin-password"
args=(--from-file=kubeconfig="${secrets}/kubeconfig" --from-file=kubeadmin-password="${secrets}/kubeadmin-password")
if oc get secret "${SSH_SECRET}" -n "${CLUSTER}" -o name >/dev/null 2>&1; then
  read_key "${SSH_SECRET}" id_rsa.key "${secrets}/ssh-privatekey"
  args+=(--from-file=ssh-privatekey="${secrets}/ssh-privatekey")
else
  echo "detach ${CLUSTER}: no Secret ${SSH_SECRET}; no SSH private key saved (the nodes trust SSH_PUBLIC_KEY only)"
fi

# 3. The saved kubeconfig must work before the hub lets go of the cluster.
oc --kubeconfig="${secrets}/kubeconfig" get --raw /readyz >/dev/null || fail "the saved kubeconfig does not reach the edge API"

# 4. The SSH key pair onto the edge, for the setup UI's download step (with the admin kubeconfig: the edge's own API).
if [ -s "${secrets}/ssh-privatekey" ]; then
  edge=(--from-file=id_rsa.key="${secrets}/ssh-privatekey")
  oc get secret "${SSH_SECRET}" -n "${CLUSTER}" -o 'jsonpath={.data.id_rsa\.pub}' | base64 -d >"${secrets}/ssh-publickey"
  if [ -s "${secrets}/ssh-publickey" ]; then edge+=(--from-file=id_rsa.pub="${secrets}/ssh-publickey"); fi
  oc create secret generic "${EDGE_SSH_SECRET}" -n "${EDGE_SSH_NAMESPACE}" "${edge[@]}" --dry-run=client -o json \
    | oc --kubeconfig="${secrets}/kubeconfig" apply --server-side --field-manager=ztpfw-detach -f - >/dev/null \
    || fail "could not put the SSH key pair on the edge as ${EDGE_SSH_NAMESPACE}/${EDGE_SSH_SECRET}"
  echo "detach ${CLUSTER}: SSH key pair on the edge as ${EDGE_SSH_NAMESPACE}/${EDGE_SSH_SECRET} (the setup UI offers it)"
fi

oc create secret generic "${CREDENTIALS_SECRET}" -n "${CREDENTIALS_NAMESPACE}" "${args[@]}" --dry-run=client -o json \
  | oc apply --server-side --field-manager=ztpfw-detach -f - >/dev/null
echo "detach ${CLUSTER}: credentials saved in ${CREDENTIALS_NAMESPACE}/${CREDENTIALS_SECRET}; the ManagedCluster is pruned next"
