/**
 * Synthetic fleets for benchmarks and scale tests: a realistic mix of SNO (50 %), compact (30 %) and 3+1 (20 %)
 * clusters, single- and dual-NIC, a third of them on ACM Policy delivery (the hub runs ACM) and the rest on
 * ManifestWorks, with varying day-2 bundle sets. Every MAC, BMC address and external IP is unique; deterministic
 * for a given size.
 */
export interface GeneratedFleet {
  readonly text: string;
  readonly clusters: number;
}

/** What a generated cluster looks like, so a benchmark can report the mix it ran. */
export interface ClusterShape {
  readonly topology: 'sno' | 'compact' | 'standard';
  readonly dualNic: boolean;
  readonly delivery: 'manifestwork' | 'policy';
}

function mac(n: number): string {
  const hex = n.toString(16).padStart(8, '0');
  return `52:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
}

/** A unique IPv4 address in 10.0.0.0/8 for a running number (skipping .0 and .255 hosts). */
function ip(base: number, n: number): string {
  return `10.${base + Math.floor(n / 64516)}.${Math.floor(n / 254) % 254 + 1}.${(n % 254) + 1}`;
}

export function clusterName(i: number): string {
  return `edge-${String(i).padStart(4, '0')}`;
}

export function clusterShape(i: number): ClusterShape {
  return {
    topology: i % 10 < 5 ? 'sno' : i % 10 < 8 ? 'compact' : 'standard',
    dualNic: i % 2 === 1,
    delivery: i % 3 === 1 ? 'policy' : 'manifestwork',
  };
}

/**
 * Bundle sets in rotation: everything (the default), network + storage, network only. The fleet is disconnected
 * (the default), so every set keeps the `disconnected` bundle that gives the edge its mirrored catalogs.
 */
const BUNDLE_SETS: readonly (readonly string[] | undefined)[] = [undefined, ['nmstate', 'metallb', 'storage', 'disconnected'], ['nmstate', 'metallb', 'disconnected']];

/**
 * One cluster's `edgeclusters` item. `variant` changes what a user would plausibly edit on one cluster (a root disk
 * and an extra storage disk), so an incremental synth has something to rewrite.
 */
export function clusterYaml(i: number, variant = 0): string {
  const shape = clusterShape(i);
  const masters = shape.topology === 'sno' ? 1 : 3;
  const workers = shape.topology === 'standard' ? 1 : 0;
  const lines = [`  - ${clusterName(i)}:`, '      config:'];
  if (i % 7 === 0) lines.push('        tpm: true');
  lines.push(`        API_EXTERNAL_IP: ${ip(100, 2 * i)}`, `        INGRESS_EXTERNAL_IP: ${ip(100, 2 * i + 1)}`);
  if (shape.delivery === 'policy') lines.push('        DAY2_DELIVERY: policy');
  const bundles = BUNDLE_SETS[Math.floor(i / 3) % BUNDLE_SETS.length];
  if (bundles) lines.push(`        DAY2_BUNDLES: [${bundles.join(', ')}]`);
  let macNo = i * 16;
  let bmcNo = i * 8;
  const node = (key: string, master: boolean) => {
    lines.push(`      ${key}:`);
    lines.push('        nic_ext_dhcp: eno1', `        mac_ext_dhcp: "${mac(macNo++)}"`);
    if (shape.dualNic) lines.push('        nic_int_static: eno2', `        mac_int_static: "${mac(macNo++)}"`);
    lines.push(`        bmc_url: redfish-virtualmedia://${ip(0, bmcNo++)}/redfish/v1/Systems/1`);
    lines.push(`        root_disk: ${variant ? '/dev/nvme0n1' : '/dev/sda'}`);
    if (master) lines.push(`        storage_disk: [/dev/sdb${variant ? ', /dev/sdc' : ''}]`);
    if (i % 3 === 0) lines.push('        ignore_ifaces: eno3 eno4');
  };
  for (let m = 0; m < masters; m++) node(`master${m}`, true);
  for (let w = 0; w < workers; w++) node(`worker${w}`, false);
  return lines.join('\n');
}

/**
 * The release digest of generated and test fleets: a disconnected fleet must pin its release (README "Release through
 * the mirror"). Synthetic on purpose (a visible pattern, no real image has it): only the committed clusters/ and
 * examples/ name real releases, with their source.
 */
export const SYNTHETIC_RELEASE_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** A fleet of `size` clusters; `changed` is the index of a cluster rendered in its edited variant. */
export function generateFleet(size: number, changed?: number): GeneratedFleet {
  const head = [
    'config:',
    '  OC_OCP_VERSION: "4.14.12"',
    `  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"`,
    '  OC_ACM_VERSION: "2.9"',
    '  OC_ODF_VERSION: "4.14"',
    '  BASE_DOMAIN: factory.example.com',
    '  ACM_ENABLED: true',
    'edgeclusters:',
  ];
  const body = Array.from({ length: size }, (_, i) => clusterYaml(i, i === changed ? 1 : 0));
  return { text: `${[...head, ...body].join('\n')}\n`, clusters: size };
}
