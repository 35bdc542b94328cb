/**
 * Ignition fragments for the Assisted Installer, built as data and serialised with JSON.stringify: the discovery
 * ISO override of an InfraEnv and the per-node override of a BareMetalHost. File contents travel as base64 `data:`
 * URLs, so no script text ever passes through a YAML or JSON template.
 */
import type { EdgeCluster, EdgeNode } from '../../model/types';

/** Ignition spec version of the discovery ISO override; assisted-service accepts 3.1.0 and later. */
export const DISCOVERY_IGNITION_VERSION = '3.1.0';
/** Ignition spec version of the per-host override merged into the installed system's pointer config. */
export const HOST_IGNITION_VERSION = '3.2.0';

/** Where the internal-address dispatcher script is installed (NetworkManager runs pre-up.d scripts synchronously). */
export const DISPATCHER_PATH = '/etc/NetworkManager/dispatcher.d/pre-up.d/99-ztpfw-internal-address';
export const KUBELET_DROP_IN_PATH = '/etc/systemd/system/kubelet.service.d/30-ztpfw-nodenet.conf';
export const CRIO_DROP_IN_PATH = '/etc/systemd/system/crio.service.d/30-ztpfw-nodenet.conf';

const MODE_EXECUTABLE = 0o755;
const MODE_CONFIG = 0o644;

export interface IgnitionSource {
  readonly source: string;
}

export interface IgnitionFile {
  readonly path: string;
  readonly mode: number;
  /** Ignition's key is `overwrite` (the original wrote `override`, which Ignition ignores). */
  readonly overwrite?: boolean;
  readonly contents?: IgnitionSource;
  readonly append?: readonly IgnitionSource[];
}

export interface IgnitionUnit {
  readonly name: string;
  readonly mask?: boolean;
  readonly enabled?: boolean;
  readonly contents?: string;
}

export interface IgnitionConfig {
  readonly ignition: { readonly version: string };
  readonly storage?: { readonly files: readonly IgnitionFile[] };
  readonly systemd?: { readonly units: readonly IgnitionUnit[] };
}

/** A `data:` URL carrying `text` base64-encoded (RFC 2397), the form Ignition reads inline file contents from. */
export function dataUrl(text: string): string {
  return `data:text/plain;charset=utf-8;base64,${Buffer.from(text, 'utf8').toString('base64')}`;
}

/** Decodes a `data:` URL made by `dataUrl` (tests and the reference checks read file contents back with it). */
export function decodeDataUrl(url: string): string {
  const m = /^data:[^,]*;base64,(.*)$/s.exec(url);
  if (!m) throw new Error(`not a base64 data URL: ${url.slice(0, 40)}`);
  return Buffer.from(m[1], 'base64').toString('utf8');
}

/** One line of the dispatcher table: an interface name or MAC, and the address to add to it. */
export interface InternalAddressEntry {
  /** Lower-case MAC (`52:54:00:…`) or an interface name (`br-ex`). */
  readonly match: string;
  /** `ip/prefix`. */
  readonly address: string;
}

/**
 * The NetworkManager pre-up dispatcher that gives a single-NIC node its internal address as a second address on
 * the NIC that also takes the factory address by DHCP. The table is matched against the interface's name and MAC,
 * so one ISO serves every node of a cluster (the original read a placeholder `<nic>.0` connection instead).
 */
export function internalAddressScript(entries: readonly InternalAddressEntry[]): string {
  const table = entries.map((e) => `${e.match} ${e.address}`).join('\n');
  return [
    '#!/bin/bash',
    '# Installed by ztpfw. Single-NIC nodes keep their internal (relocation-proof) address as a secondary',
    '# address on the interface that takes the factory address by DHCP.',
    'iface="$1"',
    'action="$2"',
    '[ "$action" = "pre-up" ] || exit 0',
    'mac="$(cat "/sys/class/net/${iface}/address" 2>/dev/null || true)"',
    'while read -r match address; do',
    '  [ -n "$match" ] || continue',
    '  if [ "$match" = "$iface" ] || [ "$match" = "$mac" ]; then',
    '    if ip -4 -o addr show dev "$iface" | grep -qF " ${address} "; then exit 0; fi',
    '    if [ -n "${CONNECTION_UUID:-}" ]; then',
    '      nmcli connection modify "$CONNECTION_UUID" +ipv4.addresses "$address" || true',
    '    fi',
    '    ip addr add "$address" dev "$iface" || true',
    '    exit 0',
    '  fi',
    "done <<'ZTPFW_TABLE'",
    table,
    'ZTPFW_TABLE',
    '',
  ].join('\n');
}

/**
 * Address the discovery ISO maps the API name to. SNO has no API VIP: its API is the node itself (the original
 * wrote the unused VIP for SNO too).
 */
export function discoveryApiAddress(cluster: EdgeCluster): string {
  return cluster.topology === 'sno' ? cluster.nodes[0].internalIp : cluster.apiVip;
}

/** The InfraEnv `ignitionConfigOverride` of a cluster (applies to every host booting its discovery ISO). */
export function discoveryIgnition(cluster: EdgeCluster): IgnitionConfig {
  const singleNic = cluster.nodes.filter((n) => n.intNic === undefined);
  const files: IgnitionFile[] = [];
  if (singleNic.length > 0) {
    const entries = singleNic.map((n) => ({ match: n.extNic.mac, address: `${n.internalIp}/${n.internalPrefix}` }));
    files.push({ path: DISPATCHER_PATH, mode: MODE_EXECUTABLE, overwrite: true, contents: { source: dataUrl(internalAddressScript(entries)) } });
  }
  files.push({ path: '/etc/hosts', mode: MODE_CONFIG, append: [{ source: dataUrl(`${discoveryApiAddress(cluster)} ${cluster.apiFqdn}\n`) }] });
  return { ignition: { version: DISCOVERY_IGNITION_VERSION }, storage: { files } };
}

/**
 * The per-node override (BareMetalHost annotation) that lets an installed node survive relocation to a network
 * with other external addresses: kubelet and CRI-O bound to the internal address, and on single-NIC nodes the
 * internal address re-added to br-ex, which takes over the NIC once OVN-Kubernetes runs. (The image store is kept
 * across unclean shutdowns by the reference `99-crio-disable-wipe-*` MachineConfigs in the extra manifests.)
 */
export function hostIgnition(node: EdgeNode): IgnitionConfig {
  const ip = node.internalIp;
  const files: IgnitionFile[] = [
    { path: KUBELET_DROP_IN_PATH, mode: MODE_CONFIG, overwrite: true, contents: { source: dataUrl(`[Service]\nEnvironment="KUBELET_NODE_IP=${ip}" "KUBELET_NODE_IPS=${ip}"\n`) } },
    { path: CRIO_DROP_IN_PATH, mode: MODE_CONFIG, overwrite: true, contents: { source: dataUrl(`[Service]\nEnvironment="CONTAINER_STREAM_ADDRESS=${ip}"\n`) } },
  ];
  if (node.intNic === undefined) {
    const script = internalAddressScript([{ match: 'br-ex', address: `${ip}/${node.internalPrefix}` }]);
    files.push({ path: DISPATCHER_PATH, mode: MODE_EXECUTABLE, overwrite: true, contents: { source: dataUrl(script) } });
  }
  return {
    ignition: { version: HOST_IGNITION_VERSION },
    storage: { files },
  };
}
