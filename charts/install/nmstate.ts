/**
 * NMState of one node, as the NMStateConfig the Assisted Installer bakes into the discovery ISO and carries over
 * to the installed system. Plain data; the chart wraps it.
 */
import type { EdgeNode } from '../../model/types';

export interface NodeNetwork {
  /** `spec.config`: an NMState document. */
  readonly config: Record<string, unknown>;
  /** `spec.interfaces`: MAC ↔ name pairs assisted-service uses to find the host the config belongs to. */
  readonly interfaces: readonly { readonly name: string; readonly macAddress: string }[];
}

const DHCP = { enabled: true, dhcp: true, 'auto-dns': true, 'auto-gateway': true, 'auto-routes': true };

/**
 * - Dual-NIC: DHCP on the external NIC, the static internal address alone on the internal NIC (IPv6 off there).
 * - Single-NIC: DHCP and the static internal address together on the external NIC (the original's HEAD design;
 *   the discovery/installed dispatcher script re-adds the address where NetworkManager drops it).
 * - `ignore_ifaces`: each NIC is held up with IPv4 and IPv6 disabled, so it never takes a DHCP address or a default
 *   route that would compete with the factory NIC. (`state: absent` only removes a profile: the generated keyfiles
 *   then hold nothing for the NIC and NetworkManager's automatic DHCP profile would claim it again.)
 * Link speed, duplex and MTU are left to autonegotiation (the original forced 10G/1G, wrong on most hardware).
 */
export function nodeNetwork(node: EdgeNode): NodeNetwork {
  const staticAddress = [{ ip: node.internalIp, 'prefix-length': node.internalPrefix }];
  const ext: Record<string, unknown> = {
    name: node.extNic.name,
    type: 'ethernet',
    state: 'up',
    'mac-address': node.extNic.mac,
    ipv4: node.intNic ? { ...DHCP } : { ...DHCP, address: staticAddress },
  };
  const ifaces: Record<string, unknown>[] = [ext];
  if (node.intNic) {
    ifaces.push({
      name: node.intNic.name,
      type: 'ethernet',
      state: 'up',
      'mac-address': node.intNic.mac,
      ipv4: { enabled: true, dhcp: false, address: staticAddress },
      ipv6: { enabled: false },
    });
  }
  for (const name of node.ignoreIfaces) {
    ifaces.push({ name, type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } });
  }
  const interfaces = [{ name: node.extNic.name, macAddress: node.extNic.mac }];
  if (node.intNic) interfaces.push({ name: node.intNic.name, macAddress: node.intNic.mac });
  return { config: { interfaces: ifaces }, interfaces };
}
