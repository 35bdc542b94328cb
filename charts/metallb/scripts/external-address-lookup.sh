#!/bin/bash
# Runs on the edge cluster when the fleet does not name the external API/ingress addresses (API_EXTERNAL_IP,
# INGRESS_EXTERNAL_IP): resolves API_NAME and INGRESS_NAME in the factory DNS and writes one /32 MetalLB pool each.
#
# The cluster's own resolvers answer these names with *internal* addresses (on-prem CoreDNS with the VIPs on
# multi-node clusters, the single-node dnsmasq on SNO), and MetalLB announcing an internal address on br-ex would
# take the API down. So the names are asked to the DNS servers the nodes learnt by DHCP (NodeNetworkState, from the
# nmstate bundle) first, and every answer is checked: exactly one IPv4 address, outside INTERNAL_NETWORK, loopback
# and link-local, and different for the API and the ingress. Anything else fails the Job with a message that names
# the keys to set instead. Re-running it is safe: the pools are applied, not created.
#
# Inputs (environment): API_NAME, INGRESS_NAME, INTERNAL_NETWORK (a.b.c.d/len), NAMESPACE, API_POOL, INGRESS_POOL.
set -euo pipefail

: "${API_NAME:?}" "${INGRESS_NAME:?}" "${INTERNAL_NETWORK:?}" "${NAMESPACE:?}" "${API_POOL:?}" "${INGRESS_POOL:?}"

log() { printf '%s\n' "$*" >&2; }

ip_to_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  echo $(((a << 24) + (b << 16) + (c << 8) + d))
}

# in_network ADDRESS CIDR: true when ADDRESS lies inside CIDR.
in_network() {
  local net="${2%/*}" len="${2#*/}" mask
  mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
  [ $(($(ip_to_int "$1") & mask)) -eq $(($(ip_to_int "$net") & mask)) ]
}

is_ipv4() {
  local part
  local -a parts
  [[ "$1" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
  IFS=. read -r -a parts <<<"$1"
  for part in "${parts[@]}"; do [ "$part" -le 255 ] || return 1; done
}

# Prints why ADDRESS cannot be an external address, or nothing when it can.
unusable() {
  if in_network "$1" "$INTERNAL_NETWORK"; then echo "it is inside the internal network $INTERNAL_NETWORK"
  elif in_network "$1" 127.0.0.0/8; then echo "it is a loopback address"
  elif in_network "$1" 169.254.0.0/16; then echo "it is a link-local address"
  fi
}

# DNS servers the nodes took from DHCP; empty when the NMState API is not there.
upstream_servers() {
  oc get nodenetworkstates -o json 2>/dev/null \
    | jq -r '[.items[].status.currentState["dns-resolver"].running.server // [] | .[]] | unique | .[]' 2>/dev/null \
    || true
}

# resolve NAME: prints the one usable address of NAME, trying each upstream server, then the pod's resolver.
resolve() {
  local name="$1" server answers reason
  local -a servers
  mapfile -t servers < <(upstream_servers)
  servers+=("")
  for server in "${servers[@]}"; do
    if [ -n "$server" ]; then
      answers="$(dig +short +time=3 +tries=2 A "$name" "@$server" 2>/dev/null | sort -u || true)"
    else
      answers="$(dig +short +time=3 +tries=2 A "$name" 2>/dev/null | sort -u || true)"
    fi
    # CNAME targets come first in +short output; keep the addresses only
    answers="$(grep -E '^[0-9.]+$' <<<"$answers" || true)"
    if [ -z "$answers" ]; then
      log "${server:-pod resolver}: no A record for $name"
      continue
    fi
    if [ "$(wc -l <<<"$answers")" -ne 1 ]; then
      log "${server:-pod resolver}: $name has several addresses ($(tr '\n' ' ' <<<"$answers")); MetalLB needs exactly one"
      continue
    fi
    if ! is_ipv4 "$answers"; then
      log "${server:-pod resolver}: $name resolved to $answers, not an IPv4 address"
      continue
    fi
    reason="$(unusable "$answers")"
    if [ -n "$reason" ]; then
      log "${server:-pod resolver}: $name resolved to $answers, which is not usable: $reason"
      continue
    fi
    log "${server:-pod resolver}: $name is $answers"
    echo "$answers"
    return 0
  done
  return 1
}

fail() {
  log "error: $*"
  log "set API_EXTERNAL_IP and INGRESS_EXTERNAL_IP in the cluster's config: to name the addresses instead"
  exit 1
}

api_ip="$(resolve "$API_NAME")" || fail "no usable external address for $API_NAME"
ingress_ip="$(resolve "$INGRESS_NAME")" || fail "no usable external address for $INGRESS_NAME"
[ "$api_ip" != "$ingress_ip" ] || fail "$API_NAME and $INGRESS_NAME both resolve to $api_ip; MetalLB announces them from two pools"

pool() {
  jq -n --arg name "$1" --arg ns "$NAMESPACE" --arg address "$2/32" '{
    apiVersion: "metallb.io/v1beta1",
    kind: "IPAddressPool",
    metadata: {name: $name, namespace: $ns, labels: {"app.kubernetes.io/managed-by": "ztpfw-external-address-lookup"}},
    spec: {addresses: [$address], autoAssign: false}
  }'
}

jq -n --argjson api "$(pool "$API_POOL" "$api_ip")" --argjson ingress "$(pool "$INGRESS_POOL" "$ingress_ip")" \
  '{apiVersion: "v1", kind: "List", items: [$api, $ingress]}' \
  | oc apply -f -
log "pools $API_POOL ($api_ip/32) and $INGRESS_POOL ($ingress_ip/32) are in place"
