/**
 * The operator packages the fleet installs, as data: which catalog, package, channel and namespace, and which bundle
 * needs them. The hub bundle installs its own (MCE/ACM, hub LVMS); the day-2 bundles install the rest on the edge.
 * The hub mirror (ImageSetConfiguration) derives its package list from here, so a package is never listed twice.
 */
import { gpuOperatorOf } from '../../model/contrib';
import type { EdgeCluster, Fleet, FleetConfig, Topology } from '../../model/types';
import { CatalogKey, FIXED_CHANNELS, requireAcm, requireOcp, requireStorage } from '../../model/versions';

export type { CatalogKey };

/** Catalogs we mirror and the CatalogSource names they are served under; the index of each minor is in the version table. */
export const CATALOGS: Readonly<Record<CatalogKey, { readonly source: string; readonly index: (c: FleetConfig) => string }>> = {
  redhat: { source: 'redhat-operators', index: (c) => requireOcp(c.ocpMinor).catalogs.redhat },
  certified: { source: 'certified-operators', index: (c) => requireOcp(c.ocpMinor).catalogs.certified },
};

/** The namespace of the OLM catalog sources. */
export const MARKETPLACE_NAMESPACE = 'openshift-marketplace';

/** Bundles that install operators: `hub-*` run on the hub, the others are day-2 bundles of edge clusters. */
export type OperatorBundle = 'hub-mce' | 'hub-acm' | 'hub-storage' | 'hub-gitops' | 'lvms' | 'odf' | 'lso' | 'nmstate' | 'metallb' | 'quay' | 'gpu';

export interface OperatorPackage {
  /** OLM package name (Subscription `spec.name`). */
  readonly name: string;
  readonly catalog: CatalogKey;
  readonly channel: (c: FleetConfig) => string;
  /**
   * Channel on one edge cluster when the cluster's input chooses it (the GPU operator version in `contrib`).
   * @default - `channel`
   */
  readonly clusterChannel?: (cluster: Pick<EdgeCluster, 'contrib'>) => string;
  /** Release (`X.Y.Z`) a cluster installs first, which the mirror must hold. @default - the channel head */
  readonly clusterStartingVersion?: (cluster: Pick<EdgeCluster, 'contrib'>) => string | undefined;
  /** Namespace the operator is installed into. */
  readonly namespace: string;
  /** OperatorGroup target: own namespace, or all namespaces (no targetNamespaces). */
  readonly allNamespaces?: boolean;
  /** Bundles that install it. */
  readonly bundles: readonly OperatorBundle[];
  /**
   * Packages that OLM resolves as dependencies; the mirror needs them, no Subscription names them.
   * @default - none
   */
  readonly dependencies?: (c: FleetConfig) => readonly string[];
}

/**
 * The GPU operator channel of a cluster. NVIDIA publishes one channel per minor (`v23.9`, `v24.3`, older `v1.10`)
 * next to `stable`, so `contrib.gpu-operator.version: v23.9.1` maps to `v23.9`; no version follows `stable`.
 */
export function gpuChannel(cluster: Pick<EdgeCluster, 'contrib'>): string {
  const version = gpuOperatorOf(cluster)?.version;
  if (version === undefined) return FIXED_CHANNELS['gpu-operator-certified'].channel;
  const [major, minor] = version.split('.');
  return `v${major}.${minor}`;
}


/** A channel from the version table: fixed per package, or per OpenShift/ODF/ACM minor. */
const fixed = (name: string) => () => FIXED_CHANNELS[name].channel;

export const OPERATOR_PACKAGES: readonly OperatorPackage[] = [
  { name: 'multicluster-engine', catalog: 'redhat', channel: (c) => c.mceChannel, namespace: 'multicluster-engine', bundles: ['hub-mce', 'hub-acm'] },
  { name: 'advanced-cluster-management', catalog: 'redhat', channel: (c) => requireAcm(c.acmVersion).acmChannel, namespace: 'open-cluster-management', bundles: ['hub-acm'] },
  // Argo CD, which syncs dist/ onto the hub: installed from the default catalog before the hub is disconnected, and
  // mirrored so its Subscription still resolves once the mirrored catalogs replace the defaults.
  { name: 'openshift-gitops-operator', catalog: 'redhat', channel: fixed('openshift-gitops-operator'), namespace: 'openshift-gitops-operator', allNamespaces: true, bundles: ['hub-gitops'] },
  { name: 'lvms-operator', catalog: 'redhat', channel: (c) => requireStorage(c.odfVersion).lvmsChannel, namespace: 'openshift-storage', bundles: ['hub-storage', 'lvms'] },
  {
    name: 'odf-operator', catalog: 'redhat', channel: (c) => requireStorage(c.odfVersion).odfChannel, namespace: 'openshift-storage', bundles: ['odf'],
    dependencies: (c) => requireStorage(c.odfVersion).odfDependencies,
  },
  { name: 'local-storage-operator', catalog: 'redhat', channel: fixed('local-storage-operator'), namespace: 'openshift-local-storage', bundles: ['lso'] },
  { name: 'kubernetes-nmstate-operator', catalog: 'redhat', channel: fixed('kubernetes-nmstate-operator'), namespace: 'openshift-nmstate', bundles: ['nmstate'] },
  { name: 'metallb-operator', catalog: 'redhat', channel: fixed('metallb-operator'), namespace: 'metallb', bundles: ['metallb'] },
  // The Quay channel follows the fleet's OpenShift minor: a newer index need not carry an older stable-3.x channel.
  { name: 'quay-operator', catalog: 'redhat', channel: (c) => requireOcp(c.ocpMinor).quay.channel, namespace: 'ztpfw-registry', bundles: ['quay'] },
  { name: 'nfd', catalog: 'redhat', channel: fixed('nfd'), namespace: 'openshift-nfd', bundles: ['gpu'] },
  {
    name: 'gpu-operator-certified', catalog: 'certified', channel: fixed('gpu-operator-certified'), namespace: 'nvidia-gpu-operator', bundles: ['gpu'],
    clusterChannel: (cluster) => gpuChannel(cluster),
    clusterStartingVersion: (cluster) => {
      const v = gpuOperatorOf(cluster)?.version;
      return v !== undefined && v.split('.').length === 3 ? v : undefined;
    },
  },
];

/**
 * Operator bundles of one edge cluster, from the day-2 bundles it enables (`DAY2_BUNDLES`), its topology and
 * `contrib:`. `storage` is LVMS + ODF MCG on SNO and LSO + ODF on compact/3+N; `registry` is the edge Quay.
 */
export function clusterBundles(cluster: Pick<EdgeCluster, 'topology' | 'contrib' | 'day2Bundles'>): OperatorBundle[] {
  const storage: Record<Topology, OperatorBundle[]> = { sno: ['lvms', 'odf'], compact: ['lso', 'odf'], standard: ['lso', 'odf'] };
  const out: OperatorBundle[] = [];
  for (const b of cluster.day2Bundles) {
    if (b === 'storage') out.push(...storage[cluster.topology]);
    else if (b === 'nmstate' || b === 'metallb') out.push(b);
    else if (b === 'registry') out.push('quay');
    // `ui` and `disconnected` install no operator.
  }
  if (cluster.contrib['gpu-operator'] !== undefined) out.push('gpu');
  return out;
}

/** Bundles the hub itself installs. */
export function hubBundles(config: FleetConfig): OperatorBundle[] {
  const bundles: OperatorBundle[] = [config.acmEnabled ? 'hub-acm' : 'hub-mce', 'hub-gitops'];
  if (config.hubLvms) bundles.push('hub-storage');
  return bundles;
}

/** Every bundle the fleet enables: the hub's own and the union of the edge clusters' day-2 bundles. */
export function fleetBundles(fleet: Pick<Fleet, 'config' | 'clusters'>): Set<OperatorBundle> {
  const out = new Set<OperatorBundle>(hubBundles(fleet.config));
  for (const c of fleet.clusters) for (const b of clusterBundles(c)) out.add(b);
  return out;
}

export function packagesOf(bundles: Iterable<OperatorBundle>): OperatorPackage[] {
  const set = new Set(bundles);
  return OPERATOR_PACKAGES.filter((p) => p.bundles.some((b) => set.has(b)));
}

export function operatorPackage(name: string): OperatorPackage {
  const p = OPERATOR_PACKAGES.find((x) => x.name === name);
  if (!p) throw new Error(`unknown operator package ${name}`);
  return p;
}

export interface MirrorPackage {
  readonly name: string;
  readonly channels: string[];
  /** Lowest release to mirror per channel (default: the channel head only). */
  readonly minVersions?: Readonly<Record<string, string>>;
  /**
   * Highest release to mirror per channel. A release named in the input is pinned this way (min = max), so the
   * mirrored channel's head *is* that release and the Subscription needs no `startingCSV`.
   */
  readonly maxVersions?: Readonly<Record<string, string>>;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** What the mirror needs per catalog: package name → channels (dependencies mirror their default channel). */
export function mirrorPackages(fleet: Pick<Fleet, 'config' | 'clusters'>): Map<CatalogKey, MirrorPackage[]> {
  return packagesToMirror(fleet, fleetBundles(fleet));
}

/**
 * What one edge cluster's own mirror needs: the packages of its bundles only, with the channels and starting
 * releases the hub mirrored for it, so the edge copy is a subset of the hub's.
 */
export function clusterMirrorPackages(config: FleetConfig, cluster: EdgeCluster): Map<CatalogKey, MirrorPackage[]> {
  return packagesToMirror({ config, clusters: [cluster] }, new Set(clusterBundles(cluster)));
}

function packagesToMirror(fleet: Pick<Fleet, 'config' | 'clusters'>, bundles: ReadonlySet<OperatorBundle>): Map<CatalogKey, MirrorPackage[]> {
  const out = new Map<CatalogKey, MirrorPackage[]>();
  for (const p of packagesOf(bundles)) {
    const list = out.get(p.catalog) ?? [];
    out.set(p.catalog, list);
    // A channel chosen per cluster: mirror the channel of every cluster that installs the package.
    const users = p.clusterChannel ? fleet.clusters.filter((c) => clusterBundles(c).some((b) => p.bundles.includes(b))) : [];
    const channels = users.length ? [...new Set(users.map((c) => p.clusterChannel!(c)))].sort() : [p.channel(fleet.config)];
    // A cluster that starts from a named release needs that release in the mirror, not only the channel head.
    const minVersions: Record<string, string> = {};
    const maxVersions: Record<string, string> = {};
    for (const c of users) {
      const start = p.clusterStartingVersion?.(c);
      const ch = p.clusterChannel!(c);
      if (start && (minVersions[ch] === undefined || compareVersions(start, minVersions[ch]) < 0)) minVersions[ch] = start;
      if (start && (maxVersions[ch] === undefined || compareVersions(start, maxVersions[ch]) > 0)) maxVersions[ch] = start;
    }
    list.push({
      name: p.name,
      channels,
      ...(Object.keys(minVersions).length ? { minVersions } : {}),
      ...(Object.keys(maxVersions).length ? { maxVersions } : {}),
    });
    for (const d of p.dependencies?.(fleet.config) ?? []) {
      if (!list.some((x) => x.name === d)) list.push({ name: d, channels: [p.channel(fleet.config)] });
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

/** The `mirror.operators` section of an oc-mirror ImageSetConfiguration for these packages, catalogs in name order. */
export interface ImageSetOperatorCatalog {
  readonly catalog: string;
  readonly packages: readonly Record<string, unknown>[];
}

export function imageSetOperators(config: FleetConfig, packages: ReadonlyMap<CatalogKey, MirrorPackage[]>): ImageSetOperatorCatalog[] {
  return [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([catalog, list]) => ({
      catalog: CATALOGS[catalog].index(config),
      packages: list.map((p) => ({
        name: p.name,
        channels: p.channels.map((name) => ({
          name,
          ...(p.minVersions?.[name] ? { minVersion: p.minVersions[name] } : {}),
          ...(p.maxVersions?.[name] ? { maxVersion: p.maxVersions[name] } : {}),
        })),
      })),
    }));
}
