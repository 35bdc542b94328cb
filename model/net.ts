/** Small IPv4 helpers for the internal network plan. Pure functions, no dependencies. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
  /** The CIDR as written, normalised (`192.168.7.0/24`). */
  readonly text: string;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses a dotted IPv4 address; `undefined` when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n`; `undefined` when malformed or when host bits are set. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix < 1 || prefix > 30) return undefined;
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) return undefined;
  return { network: ip, prefix, text: `${formatIpv4(ip)}/${prefix}` };
}

/** Number of addresses in the network. */
export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** True when `ip` is a usable host address of `cidr` (not the network or broadcast address). */
export function cidrContainsHost(cidr: Ipv4Cidr, ip: number): boolean {
  return ip > cidr.network && ip < cidr.network + cidrSize(cidr) - 1;
}

/** The address `offset` hosts after the network address (`192.168.7.0/24` + 10 = `192.168.7.10`). */
export function hostAt(cidr: Ipv4Cidr, offset: number): string {
  return formatIpv4(cidr.network + offset);
}

/** True when the two networks share any address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + cidrSize(a);
  const bEnd = b.network + cidrSize(b);
  return a.network < bEnd && b.network < aEnd;
}

/**
 * Ranges no network or address of a cluster may use: the IPv4 special-purpose blocks that cannot carry node or
 * service traffic (RFC 6890 registry) and the subnets OVN-Kubernetes uses inside every cluster (openshift-docs
 * `networking/networking_overview/cidr-range-definitions.adoc`: join 100.64.0.0/16, transit switch 100.88.0.0/16 from
 * 4.14, masquerade 169.254.169.0/29 before 4.17 and 169.254.0.0/17 from 4.17, both inside link-local).
 */
export const RESERVED_IPV4: readonly { readonly cidr: Ipv4Cidr; readonly what: string }[] = [
  ['0.0.0.0/8', '"this network" (RFC 1122), not a host range'],
  ['100.64.0.0/16', 'the OVN-Kubernetes join subnet, used inside every cluster'],
  ['100.88.0.0/16', 'the OVN-Kubernetes transit switch subnet, used inside every cluster'],
  ['127.0.0.0/8', 'loopback (RFC 1122)'],
  ['169.254.0.0/16', 'link-local (RFC 3927), which holds the OVN-Kubernetes masquerade subnet'],
  ['224.0.0.0/4', 'multicast (RFC 5771)'],
  ['240.0.0.0/4', 'reserved (RFC 1112), with the broadcast address 255.255.255.255'],
].map(([text, what]) => {
  const [ip, prefix] = text.split('/');
  return { cidr: { network: parseIpv4(ip)!, prefix: Number(prefix), text }, what };
});

/** The reserved range `cidr` overlaps, or undefined. */
export function reservedOverlap(cidr: Ipv4Cidr): { readonly cidr: Ipv4Cidr; readonly what: string } | undefined {
  return RESERVED_IPV4.find((r) => cidrsOverlap(cidr, r.cidr));
}

/** The reserved range holding address `ip`, or undefined. */
export function reservedRangeOf(ip: number): { readonly cidr: Ipv4Cidr; readonly what: string } | undefined {
  return RESERVED_IPV4.find((r) => ip >= r.cidr.network && ip < r.cidr.network + cidrSize(r.cidr));
}
