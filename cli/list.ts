/**
 * `ztpfw list`: the fleet at a glance, one row per cluster (name, topology, STATE, delivery, bundles, nodes, OCP), as
 * aligned text, a markdown table or JSON. Read from the validated input, nothing rendered.
 */
import { deliveredBundles } from '../charts/common/day2';
import type { EdgeCluster, Fleet } from '../model/types';

export type ListFormat = 'text' | 'markdown' | 'json';

export interface ClusterRow {
  readonly name: string;
  /** Input file the cluster is defined in. */
  readonly file: string;
  readonly topology: EdgeCluster['topology'];
  readonly state: EdgeCluster['state'];
  readonly delivery: EdgeCluster['day2Delivery'];
  /** `DAY2_BUNDLES`, plus `gpu` when `contrib.gpu-operator` is set. */
  readonly bundles: readonly string[];
  /** Active nodes by role (nodes marked `state: remove` not counted). */
  readonly masters: number;
  readonly workers: number;
  /** Host names of nodes marked `state: remove`. */
  readonly removing: readonly string[];
  /** `OC_OCP_VERSION` the cluster installs. */
  readonly ocp: string;
}

export function clusterRows(fleet: Fleet): ClusterRow[] {
  return fleet.clusters.map((c) => ({
    name: c.name,
    file: c.file,
    topology: c.topology,
    state: c.state,
    delivery: c.day2Delivery,
    bundles: deliveredBundles(c),
    masters: c.nodes.filter((n) => n.role === 'master').length,
    workers: c.nodes.filter((n) => n.role === 'worker').length,
    removing: c.removedNodes,
    ocp: fleet.config.ocpVersion,
  }));
}

const HEADER = ['CLUSTER', 'TOPOLOGY', 'STATE', 'DELIVERY', 'BUNDLES', 'NODES', 'OCP'] as const;
const MD_HEADER = ['Cluster', 'Topology', 'STATE', 'Delivery', 'Bundles', 'Nodes', 'OCP'] as const;

/** `3+2`, `1`, `3+1 (1 removing)`. */
function nodes(r: ClusterRow): string {
  return `${r.masters}${r.workers ? `+${r.workers}` : ''}${r.removing.length ? ` (${r.removing.length} removing)` : ''}`;
}

function cells(r: ClusterRow): string[] {
  return [r.name, r.topology, r.state, r.delivery, r.bundles.join(',') || '-', nodes(r), r.ocp];
}

/**
 * A markdown table (header and separator first) of `rows`, then a row per cluster in `removed` (in the base, gone from
 * the input); at most `max` cluster rows, the rest counted on a last line.
 */
export function markdownRows(rows: readonly ClusterRow[], removed: readonly string[] = [], max = Infinity): string[] {
  const line = (c: readonly string[]) => `| ${c.join(' | ')} |`;
  const all = [
    ...rows.map((r) => line(cells(r).map((x, i) => (i === 0 ? `\`${x}\`` : x)))),
    ...removed.map((name) => line([`\`${name}\``, '(removed)', ...MD_HEADER.slice(2).map(() => '')])),
  ];
  const more = all.length - max;
  return [line(MD_HEADER), line(MD_HEADER.map(() => '---')), ...all.slice(0, max), ...(more > 0 ? ['', `and ${more} more (\`ztpfw list\` shows the whole fleet)`] : [])];
}

export function formatList(rows: readonly ClusterRow[], format: ListFormat, input: string): string {
  if (format === 'json') return `${JSON.stringify({ input, clusters: rows }, null, 2)}\n`;
  if (format === 'markdown') return `${markdownRows(rows).join('\n')}\n`;
  const table = [[...HEADER], ...rows.map(cells)];
  const width = HEADER.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return `${table.map((row) => row.map((x, i) => (i === row.length - 1 ? x : x.padEnd(width[i]))).join('  ')).join('\n')}\n`;
}
