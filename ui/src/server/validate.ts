/**
 * Input checks shared by the backend (authoritative) and the page (immediate feedback). Every function returns the
 * problems as sentences for the page; an empty list means valid.
 */

/** `a.b.c.d` with each part 0–255 and no leading zeros; the address as a 32-bit number, or undefined. */
export function parseIPv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (const part of m.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, ...rest] = text.split('/');
  if (rest.length || len === undefined || !/^\d{1,2}$/.test(len)) return undefined;
  const prefix = Number(len);
  const ip = parseIPv4(addr);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: ip - (ip % size), prefix };
}

export function inCidr(ip: number, cidr: Cidr): boolean {
  const size = 2 ** (32 - cidr.prefix);
  return ip >= cidr.base && ip < cidr.base + size;
}

/** Addresses a MetalLB pool may not hand out as a /32 for a public endpoint. */
function reserved(ip: number): string | undefined {
  const first = Math.floor(ip / 2 ** 24);
  if (ip === 0) return 'is the unspecified address';
  if (first === 127) return 'is a loopback address';
  if (first >= 224 && first <= 239) return 'is a multicast address';
  if (first >= 240) return 'is a reserved address';
  if (first === 169 && Math.floor(ip / 2 ** 16) % 256 === 254) return 'is a link-local address';
  return undefined;
}

export interface AddressInput {
  readonly api: string;
  readonly ingress: string;
}

/**
 * The API and ingress addresses: IPv4, usable, outside the cluster's internal network (that network is isolated
 * between the nodes; the addresses are announced on the external one), and distinct.
 */
export function addressProblems(input: AddressInput, internalNetwork: string): { api: string[]; ingress: string[] } {
  const net = parseCidr(internalNetwork);
  const out = { api: [] as string[], ingress: [] as string[] };
  const parsed: Partial<Record<'api' | 'ingress', number>> = {};
  for (const key of ['api', 'ingress'] as const) {
    const label = key === 'api' ? 'The API address' : 'The ingress address';
    const text = (input[key] ?? '').trim();
    if (!text) {
      out[key].push(`${label} is required.`);
      continue;
    }
    const ip = parseIPv4(text);
    if (ip === undefined) {
      out[key].push(`${label} must be an IPv4 address such as 10.0.0.10.`);
      continue;
    }
    const why = reserved(ip);
    if (why) {
      out[key].push(`${label} ${text} ${why}.`);
      continue;
    }
    if (net && inCidr(ip, net)) {
      out[key].push(`${label} ${text} is inside the cluster's internal network ${internalNetwork}; use an address of the network the site reaches the cluster on.`);
      continue;
    }
    parsed[key] = ip;
  }
  if (parsed.api !== undefined && parsed.api === parsed.ingress) out.ingress.push('The ingress address must differ from the API address.');
  return out;
}

/** The longest host name the UI derives from a domain (`downloads-openshift-console.apps.<domain>`). */
const LONGEST_PREFIX = 'downloads-openshift-console.apps.';

/** A cluster domain such as `edge.example.com`: DNS labels, lower case, at least two, room for the derived names. */
export function domainProblems(domain: string): string[] {
  const d = domain.trim();
  if (!d) return ['The domain is required.'];
  if (d !== d.toLowerCase()) return ['Use lower-case letters in the domain.'];
  const labels = d.split('.');
  if (labels.length < 2) return ['Enter a full domain with at least two parts, such as edge.example.com.'];
  for (const l of labels) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(l)) {
      return [`"${l.slice(0, 70)}" is not a valid domain part: letters, digits and "-", at most 63, not starting or ending with "-".`];
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1])) return ['The last part of the domain cannot be a number.'];
  if (LONGEST_PREFIX.length + d.length > 253) return [`The domain is too long: ${LONGEST_PREFIX}<domain> must fit in 253 characters.`];
  return [];
}

/**
 * User names as the original UI accepted them (lower-case DNS label), which OpenShift user names and the
 * ClusterRoleBinding name derived from it both allow.
 */
export function usernameProblems(username: string): string[] {
  if (!username) return ['The username is required.'];
  if (username === 'kubeadmin') return ['"kubeadmin" is reserved by OpenShift; choose another name.'];
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(username)) {
    return ['Use lower-case letters, digits and "-", starting with a letter and not ending with "-" (at most 63).'];
  }
  return [];
}

/** bcrypt reads at most 72 bytes; 8 is the floor a site engineer is asked for. */
export function passwordProblems(password: string): string[] {
  const bytes = new TextEncoder().encode(password ?? '').length;
  const out: string[] = [];
  if (bytes < 8) out.push('The password must have at least 8 characters.');
  if (bytes > 72) out.push('The password may have at most 72 bytes.');
  if (!/[A-Za-z]/.test(password ?? '') || !/[0-9]/.test(password ?? '')) out.push('The password must contain a letter and a digit.');
  // A raw control character would end up in a file the OAuth server reads line by line.
  if (/[\u0000-\u001f\u007f]/.test(password ?? '')) out.push('The password may not contain control characters.');
  return out;
}
