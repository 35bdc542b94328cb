/**
 * Synthetic fleets for benchmarks and scale tests: a realistic mix of SNO, compact and 3+1 clusters, single- and
 * dual-NIC, every MAC unique. Deterministic for a given size.
 */
export interface GeneratedFleet {
  readonly text: string;
  readonly clusters: number;
}

function mac(n: number): string {
  const hex = n.toString(16).padStart(8, '0');
  return `52:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
}

export function clusterName(i: number): string {
  return `edge-${String(i).padStart(4, '0')}`;
}

/** One cluster's `edgeclusters` item (without the leading list dash indentation). */
export function clusterYaml(i: number, variant = 0): string {
  const kind = i % 10 < 5 ? 'sno' : i % 10 < 8 ? 'compact' : 'standard';
  const dual = i % 2 === 1;
  const masters = kind === 'sno' ? 1 : 3;
  const workers = kind === 'standard' ? 1 : 0;
  const lines = [`  - ${clusterName(i)}:`];
  if (i % 7 === 0) lines.push('      config:', '        tpm: true');
  let macNo = i * 16;
  const node = (key: string, master: boolean) => {
    lines.push(`      ${key}:`);
    lines.push('        nic_ext_dhcp: eno1', `        mac_ext_dhcp: "${mac(macNo++)}"`);
    if (dual) lines.push('        nic_int_static: eno2', `        mac_int_static: "${mac(macNo++)}"`);
    lines.push(`        bmc_url: redfish-virtualmedia://10.${Math.floor(i / 250) % 250}.${i % 250}.${macNo % 250}/redfish/v1/Systems/1`);
    lines.push('        root_disk: /dev/sda');
    if (master) lines.push(`        storage_disk: [/dev/sdb${variant ? ', /dev/sdc' : ''}]`);
    if (i % 3 === 0) lines.push('        ignore_ifaces: eno3 eno4');
  };
  for (let m = 0; m < masters; m++) node(`master${m}`, true);
  for (let w = 0; w < workers; w++) node(`worker${w}`, false);
  return lines.join('\n');
}

export function generateFleet(size: number, changed?: number): GeneratedFleet {
  const head = [
    'config:',
    '  OC_OCP_VERSION: "4.14.12"',
    '  OC_ACM_VERSION: "2.9"',
    '  OC_ODF_VERSION: "4.14"',
    '  BASE_DOMAIN: factory.example.com',
    'edgeclusters:',
  ];
  const body = Array.from({ length: size }, (_, i) => clusterYaml(i, i === changed ? 1 : 0));
  return { text: `${[...head, ...body].join('\n')}\n`, clusters: size };
}
