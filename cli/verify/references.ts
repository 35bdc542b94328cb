/**
 * Reference checks over the objects that land on one cluster (the hub, or one edge cluster's delivered manifests):
 * every name one object uses to find another must resolve inside the list, or be declared external (Secrets
 * created out of band). Returns one message per broken reference, so a test can assert an empty list and
 * `ztpfw verify` can print them. Lookups go through indexes: a 1000-cluster fleet has tens of thousands of objects.
 */

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec?: any;
  readonly data?: Readonly<Record<string, string>>;
}

/** An object the check may assume exists although it is not in the list (`namespace` omitted: cluster-scoped). */
export interface ExternalRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface ReferenceOptions {
  readonly external?: readonly ExternalRef[];
  /**
   * The cluster these objects land on cannot reach the default OperatorHub catalogs, so a Subscription must name a
   * rendered CatalogSource. A rendered `OperatorHub` that disables the default sources has the same effect.
   * @default false
   */
  readonly disconnected?: boolean;
  /**
   * Namespaces that exist on the target cluster without being rendered.
   * @default PLATFORM_NAMESPACES
   */
  readonly platformNamespaces?: ReadonlySet<string>;
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** Kubernetes label-selector semantics (matchLabels AND matchExpressions; an empty selector matches everything). */
export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>> = {}): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const BMH_ROLE = 'bmac.agent-install.openshift.io/role';
const INFRAENV_LABEL = 'infraenvs.agent-install.openshift.io';
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterImageSet', 'ManagedCluster', 'ManagedClusterSet', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'AgentServiceConfig', 'MultiClusterEngine', 'MultiClusterHub', 'StorageClass', 'Provisioning',
  'NodeNetworkConfigurationPolicy', 'NMState', 'MachineConfig', 'ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ImageContentSourcePolicy',
  'OperatorHub', 'Image', 'LocalVolumeDiscovery', 'PersistentVolume']);

/** Names of the CatalogSources OpenShift's OperatorHub provides in `openshift-marketplace` unless disabled. */
export const DEFAULT_CATALOG_SOURCES: ReadonlySet<string> = new Set(['redhat-operators', 'certified-operators', 'community-operators', 'redhat-marketplace']);
const MARKETPLACE_NAMESPACE = 'openshift-marketplace';

/** Pod-carrying kinds and where their pod spec sits. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function id(o: K8sObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** Namespaces every OpenShift cluster has: objects may be placed in them without rendering them. */
export const PLATFORM_NAMESPACES: ReadonlySet<string> = new Set([
  'openshift-config', 'openshift-config-managed', 'openshift-marketplace',
  // Created by the OpenShift GitOps operator (its default Argo CD instance), which dist/argocd/operator installs.
  'openshift-gitops',
]);

/** Namespaces an OpenShift cluster (hub or edge) always has, for objects delivered onto it. */
export const OPENSHIFT_NAMESPACES: ReadonlySet<string> = new Set([
  ...PLATFORM_NAMESPACES, 'default', 'kube-system', 'kube-public', 'openshift', 'openshift-operators', 'openshift-machine-config-operator',
  'openshift-machine-api', 'openshift-ingress', 'openshift-ingress-operator', 'openshift-monitoring', 'openshift-image-registry',
  'openshift-cluster-node-tuning-operator', 'openshift-network-operator', 'openshift-dns', 'openshift-dns-operator',
  'openshift-kube-apiserver', 'openshift-kube-apiserver-operator', 'openshift-kube-controller-manager', 'openshift-kube-scheduler',
  'openshift-apiserver', 'openshift-oauth-apiserver', 'openshift-authentication', 'openshift-authentication-operator', 'openshift-etcd',
  'openshift-console', 'openshift-cluster-version', 'openshift-operator-lifecycle-manager', 'openshift-ovn-kubernetes', 'openshift-multus',
  'openshift-service-ca', 'openshift-user-workload-monitoring', 'openshift-infra', 'openshift-node', 'openshift-cluster-storage-operator',
  'openshift-cluster-csi-drivers', 'openshift-kni-infra', 'openshift-insights', 'openshift-network-diagnostics', 'openshift-host-network',
]);

/** Objects by kind and by `kind ns/name`, so that resolving a reference costs a map lookup. */
class ObjectIndex {
  private readonly byKind = new Map<string, K8sObject[]>();
  private readonly byKey = new Map<string, K8sObject>();
  private readonly external = new Set<string>();

  constructor(objects: readonly K8sObject[], external: readonly ExternalRef[]) {
    for (const o of objects) {
      const list = this.byKind.get(o.kind);
      if (list) list.push(o);
      else this.byKind.set(o.kind, [o]);
      const k = ObjectIndex.key(o.kind, o.metadata.name, o.metadata.namespace);
      if (!this.byKey.has(k)) this.byKey.set(k, o);
      // A lookup without a namespace matches any namespace: index the first object under that key too.
      const any = ObjectIndex.key(o.kind, o.metadata.name, undefined, true);
      if (!this.byKey.has(any)) this.byKey.set(any, o);
    }
    for (const e of external) this.external.add(ObjectIndex.key(e.kind, e.name, e.namespace));
  }

  private static key(kind: string, name: string | undefined, namespace: string | undefined, anyNamespace = false): string {
    return `${kind}\u0000${anyNamespace ? '*' : namespace ?? ''}\u0000${name}`;
  }

  of(kind: string): readonly K8sObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** `namespace` undefined: any namespace (cluster-scoped kinds have none). */
  find(kind: string, name: string | undefined, namespace?: string): K8sObject | undefined {
    return this.byKey.get(ObjectIndex.key(kind, name, namespace, namespace === undefined));
  }

  exists(kind: string, name: string | undefined, namespace?: string): boolean {
    return this.find(kind, name, namespace) !== undefined || this.external.has(ObjectIndex.key(kind, name, namespace));
  }
}

export function checkReferences(objects: readonly K8sObject[], options: ReferenceOptions = {}): string[] {
  const problems: string[] = [];
  const index = new ObjectIndex(objects, options.external ?? []);
  const platform = options.platformNamespaces ?? PLATFORM_NAMESPACES;
  const need = (from: K8sObject, what: string, kind: string, name: string | undefined, namespace?: string) => {
    if (name === undefined || name === '') problems.push(`${id(from)}: ${what} is empty`);
    else if (!index.exists(kind, name, namespace)) {
      problems.push(`${id(from)}: ${what} names ${kind} ${namespace ? `${namespace}/` : ''}${name}, which is neither rendered nor declared external`);
    }
  };
  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (ns !== undefined && !CLUSTER_SCOPED.has(o.kind) && !platform.has(ns)) need(o, 'metadata.namespace', 'Namespace', ns);
  }

  checkInstallChain(index, problems, need);
  checkPods(index, problems, need, platform);
  checkOlm(index, problems, need, options);
  checkPolicies(index, problems, need);
  return problems;
}

type Need = (from: K8sObject, what: string, kind: string, name: string | undefined, namespace?: string) => void;

/** ClusterDeployment ⇄ AgentClusterInstall, InfraEnv, BareMetalHost, NMStateConfig, image set, ManagedCluster. */
function checkInstallChain(index: ObjectIndex, problems: string[], need: Need): void {
  const of = (kind: string) => index.of(kind);
  const find = (kind: string, name: string | undefined, namespace?: string) => index.find(kind, name, namespace);
  // BareMetalHosts by the InfraEnv they boot into, NMStateConfigs by namespace: the per-cluster views below.
  const hostsByInfraEnv = new Map<string, K8sObject[]>();
  for (const b of of('BareMetalHost')) {
    const k = `${b.metadata.namespace}/${b.metadata.labels?.[INFRAENV_LABEL]}`;
    hostsByInfraEnv.set(k, [...(hostsByInfraEnv.get(k) ?? []), b]);
  }
  const infraEnvsByCluster = new Map<string, K8sObject[]>();
  for (const ie of of('InfraEnv')) {
    const k = `${ie.spec?.clusterRef?.namespace}/${ie.spec?.clusterRef?.name}`;
    infraEnvsByCluster.set(k, [...(infraEnvsByCluster.get(k) ?? []), ie]);
  }

  for (const aci of of('AgentClusterInstall')) {
    const ns = aci.metadata.namespace;
    const cdName = aci.spec?.clusterDeploymentRef?.name;
    need(aci, 'spec.clusterDeploymentRef', 'ClusterDeployment', cdName, ns);
    const cd = find('ClusterDeployment', cdName, ns);
    const back = cd?.spec?.clusterInstallRef;
    if (cd && (back?.name !== aci.metadata.name || back?.kind !== 'AgentClusterInstall' || `${back?.group}/${back?.version}` !== aci.apiVersion)) {
      problems.push(`${id(aci)}: its ClusterDeployment ${cd.metadata.name} has clusterInstallRef ${JSON.stringify(back)}, not this AgentClusterInstall`);
    }
    if (aci.spec?.imageSetRef) need(aci, 'spec.imageSetRef', 'ClusterImageSet', aci.spec.imageSetRef.name);
    else problems.push(`${id(aci)}: spec.imageSetRef is missing`);
    const cms = [aci.spec?.manifestsConfigMapRef, ...(aci.spec?.manifestsConfigMapRefs ?? [])].filter((r) => r !== undefined);
    for (const ref of cms) need(aci, 'manifestsConfigMapRef', 'ConfigMap', ref.name, ns);

    // Hosts of this cluster: BMHs attached to an InfraEnv whose clusterRef is this ACI's ClusterDeployment.
    const infraEnvs = infraEnvsByCluster.get(`${ns}/${cdName}`) ?? [];
    const hosts = infraEnvs.flatMap((ie) => hostsByInfraEnv.get(`${ie.metadata.namespace}/${ie.metadata.name}`) ?? []);
    const masters = hosts.filter((b) => (b.metadata.annotations?.[BMH_ROLE] ?? 'master') === 'master').length;
    const workers = hosts.filter((b) => b.metadata.annotations?.[BMH_ROLE] === 'worker').length;
    const wantMasters = aci.spec?.provisionRequirements?.controlPlaneAgents;
    const wantWorkers = aci.spec?.provisionRequirements?.workerAgents ?? 0;
    if (wantMasters !== masters) problems.push(`${id(aci)}: controlPlaneAgents is ${wantMasters} but ${masters} master BareMetalHost(s) boot into its InfraEnv`);
    if (wantWorkers !== workers) problems.push(`${id(aci)}: workerAgents is ${wantWorkers} but ${workers} worker BareMetalHost(s) boot into its InfraEnv`);
  }

  for (const cd of of('ClusterDeployment')) {
    const ns = cd.metadata.namespace;
    need(cd, 'spec.pullSecretRef', 'Secret', cd.spec?.pullSecretRef?.name, ns);
    const ref = cd.spec?.clusterInstallRef;
    if (ref) need(cd, 'spec.clusterInstallRef', ref.kind, ref.name, ns);
  }

  const nmstates = of('NMStateConfig');
  const nmstatesByNamespace = new Map<string, K8sObject[]>();
  for (const n of nmstates) nmstatesByNamespace.set(n.metadata.namespace ?? '', [...(nmstatesByNamespace.get(n.metadata.namespace ?? '') ?? []), n]);
  // Selectors are almost always a single matchLabels pair: bucket NMStateConfigs by label pair to avoid a full scan.
  const byLabel = new Map<string, K8sObject[]>();
  for (const n of nmstates) {
    for (const [k, v] of Object.entries(n.metadata.labels ?? {})) byLabel.set(`${k}=${v}`, [...(byLabel.get(`${k}=${v}`) ?? []), n]);
  }
  const candidates = (selector: LabelSelector): readonly K8sObject[] => {
    const first = Object.entries(selector.matchLabels ?? {})[0];
    return first ? byLabel.get(`${first[0]}=${first[1]}`) ?? [] : nmstates;
  };
  for (const ie of of('InfraEnv')) {
    const ns = ie.metadata.namespace;
    need(ie, 'spec.pullSecretRef', 'Secret', ie.spec?.pullSecretRef?.name, ns);
    if (ie.spec?.clusterRef) need(ie, 'spec.clusterRef', 'ClusterDeployment', ie.spec.clusterRef.name, ie.spec.clusterRef.namespace);
    const selector = ie.spec?.nmStateConfigLabelSelector as LabelSelector | undefined;
    const own = (nmstatesByNamespace.get(ns ?? '') ?? []).map(id).sort();
    if (!selector) {
      if (own.length > 0) problems.push(`${id(ie)}: has no nmStateConfigLabelSelector, so ${own.join(', ')} never reach its discovery ISO`);
      continue;
    }
    // assisted-service matches NMStateConfigs by label in every namespace, so a loose selector picks up other clusters' nodes.
    const picked = candidates(selector).filter((n) => selects(selector, n.metadata.labels)).map(id).sort();
    const extra = picked.filter((p) => !own.includes(p));
    const missing = own.filter((p) => !picked.includes(p));
    if (extra.length > 0) problems.push(`${id(ie)}: nmStateConfigLabelSelector also selects ${extra.join(', ')} of another namespace`);
    if (missing.length > 0) problems.push(`${id(ie)}: nmStateConfigLabelSelector misses ${missing.join(', ')}`);
  }

  for (const bmh of of('BareMetalHost')) {
    const ns = bmh.metadata.namespace;
    const ieName = bmh.metadata.labels?.[INFRAENV_LABEL];
    need(bmh, `label ${INFRAENV_LABEL}`, 'InfraEnv', ieName, ns);
    need(bmh, 'spec.bmc.credentialsName', 'Secret', bmh.spec?.bmc?.credentialsName, ns);
    const ie = find('InfraEnv', ieName, ns);
    if (ie?.spec?.nmStateConfigLabelSelector) {
      const nm = find('NMStateConfig', bmh.metadata.name, ns);
      const mac = String(bmh.spec?.bootMACAddress ?? '').toLowerCase();
      const macs: string[] = (nm?.spec?.interfaces ?? []).map((i: { macAddress: string }) => i.macAddress.toLowerCase());
      if (!nm) problems.push(`${id(bmh)}: no NMStateConfig ${ns}/${bmh.metadata.name} describes this host's network`);
      else if (!macs.includes(mac)) problems.push(`${id(bmh)}: boot MAC ${mac} is not among the interfaces of ${id(nm)} (${macs.join(', ')})`);
      else if (!selects(ie.spec.nmStateConfigLabelSelector, nm.metadata.labels)) problems.push(`${id(bmh)}: ${id(nm)} is not selected by ${id(ie)}`);
    }
  }

  for (const kac of of('KlusterletAddonConfig')) {
    need(kac, 'metadata.name', 'ManagedCluster', kac.metadata.name);
    if (kac.spec?.clusterName !== undefined && kac.spec.clusterName !== kac.metadata.name) {
      problems.push(`${id(kac)}: spec.clusterName ${kac.spec.clusterName} differs from its name`);
    }
  }
  for (const mc of of('ManagedCluster')) {
    if (!find('ClusterDeployment', mc.metadata.name, mc.metadata.name)) {
      problems.push(`${id(mc)}: no ClusterDeployment ${mc.metadata.name}/${mc.metadata.name}, so nothing installs or imports this cluster`);
    }
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function podSpecOf(o: K8sObject): any {
  const p = POD_SPEC_PATHS[o.kind];
  if (!p || !(o.apiVersion === 'v1' || o.apiVersion.startsWith('apps/') || o.apiVersion.startsWith('batch/'))) return undefined;
  let cur: any = o;
  for (const seg of p) cur = cur?.[seg];
  return cur;
}

/**
 * ConfigMaps, ServiceAccounts and PersistentVolumeClaims a workload mounts or reads. Secrets of pods are not
 * checked: serving certificates and credentials are created at runtime (service CA, the hub's own Jobs).
 */
function checkPods(index: ObjectIndex, _problems: string[], need: Need, platform: ReadonlySet<string>): void {
  for (const kind of Object.keys(POD_SPEC_PATHS)) {
    for (const o of index.of(kind)) {
      const spec = podSpecOf(o);
      const ns = o.metadata.namespace;
      if (!spec || ns === undefined || platform.has(ns)) continue;
      if (spec.serviceAccountName && spec.serviceAccountName !== 'default') need(o, 'serviceAccountName', 'ServiceAccount', spec.serviceAccountName, ns);
      for (const v of spec.volumes ?? []) {
        if (v.configMap && !v.configMap.optional) need(o, `volume ${v.name}`, 'ConfigMap', v.configMap.name, ns);
        if (v.persistentVolumeClaim) need(o, `volume ${v.name}`, 'PersistentVolumeClaim', v.persistentVolumeClaim.claimName, ns);
        for (const src of v.projected?.sources ?? []) {
          if (src.configMap && !src.configMap.optional) need(o, `volume ${v.name}`, 'ConfigMap', src.configMap.name, ns);
        }
      }
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        for (const e of c.envFrom ?? []) if (e.configMapRef && !e.configMapRef.optional) need(o, `container ${c.name} envFrom`, 'ConfigMap', e.configMapRef.name, ns);
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef;
          if (ref && !ref.optional) need(o, `container ${c.name} env ${e.name}`, 'ConfigMap', ref.name, ns);
        }
      }
    }
  }
  for (const route of index.of('Route')) {
    if (route.spec?.to?.kind === 'Service') need(route, 'spec.to', 'Service', route.spec.to.name, route.metadata.namespace);
  }
  for (const rb of index.of('RoleBinding')) {
    if ((rb as any).roleRef?.kind === 'Role') need(rb, 'roleRef', 'Role', (rb as any).roleRef.name, rb.metadata.namespace);
  }
  for (const b of [...index.of('RoleBinding'), ...index.of('ClusterRoleBinding')]) {
    for (const s of (b as any).subjects ?? []) {
      if (s.kind === 'ServiceAccount' && s.namespace !== undefined && !platform.has(s.namespace) && index.exists('Namespace', s.namespace)) {
        need(b, 'subjects', 'ServiceAccount', s.name, s.namespace);
      }
    }
  }
}

/** Subscriptions name a CatalogSource that this cluster has: rendered here, or a default one when connected. */
function checkOlm(index: ObjectIndex, problems: string[], need: Need, options: ReferenceOptions): void {
  const defaultsOff = options.disconnected === true || index.of('OperatorHub').some((h) => h.metadata.name === 'cluster' && h.spec?.disableAllDefaultSources === true);
  for (const sub of index.of('Subscription')) {
    if (!sub.apiVersion.startsWith('operators.coreos.com/')) continue;
    const source = sub.spec?.source;
    const sourceNs = sub.spec?.sourceNamespace;
    if (!source) {
      problems.push(`${id(sub)}: spec.source is empty`);
      continue;
    }
    if (index.find('CatalogSource', source, sourceNs)) continue;
    if (DEFAULT_CATALOG_SOURCES.has(source) && sourceNs === MARKETPLACE_NAMESPACE && !defaultsOff) continue;
    const why = DEFAULT_CATALOG_SOURCES.has(source) ? ' (the default catalogs are disabled on this cluster: it is disconnected)' : '';
    need(sub, 'spec.source', 'CatalogSource', source, sourceNs);
    if (why && problems.length > 0 && problems[problems.length - 1].startsWith(id(sub))) problems[problems.length - 1] += why;
  }
}

/** ACM: Policy dependencies, PlacementBindings, Placements and their cluster sets; ManifestWorks' clusters. */
function checkPolicies(index: ObjectIndex, problems: string[], need: Need): void {
  const bound = new Set<string>();
  for (const pb of index.of('PlacementBinding')) {
    const ns = pb.metadata.namespace;
    const ref = (pb as any).placementRef;
    if (ref?.kind === 'Placement') need(pb, 'placementRef', 'Placement', ref.name, ns);
    else if (ref?.kind === 'PlacementRule') need(pb, 'placementRef', 'PlacementRule', ref.name, ns);
    else problems.push(`${id(pb)}: placementRef kind ${JSON.stringify(ref?.kind)} is neither Placement nor PlacementRule`);
    for (const s of (pb as any).subjects ?? []) {
      if (s.kind === 'Policy' || s.kind === 'PolicySet') {
        need(pb, 'subjects', s.kind, s.name, ns);
        bound.add(`${s.kind} ${ns}/${s.name}`);
      }
    }
  }
  for (const p of index.of('Policy')) {
    if (!p.apiVersion.startsWith('policy.open-cluster-management.io/')) continue;
    const ns = p.metadata.namespace;
    if (!bound.has(`Policy ${ns}/${p.metadata.name}`)) problems.push(`${id(p)}: no PlacementBinding binds it, so it reaches no cluster`);
    for (const d of p.spec?.dependencies ?? []) {
      if (d.kind === 'Policy') need(p, 'spec.dependencies', 'Policy', d.name, d.namespace ?? ns);
    }
  }
  const clusters = index.of('ManagedCluster');
  for (const pl of index.of('Placement')) {
    if (!pl.apiVersion.startsWith('cluster.open-cluster-management.io/')) continue;
    const ns = pl.metadata.namespace;
    for (const set of pl.spec?.clusterSets ?? []) need(pl, 'spec.clusterSets', 'ManagedClusterSetBinding', set, ns);
    const predicates: any[] = pl.spec?.predicates ?? [];
    const picked = clusters.filter((c) => predicates.length === 0 || predicates.some((pr) => selects(pr.requiredClusterSelector?.labelSelector ?? {}, c.metadata.labels)));
    if (picked.length === 0) problems.push(`${id(pl)}: selects no rendered ManagedCluster`);
  }
  for (const mw of index.of('ManifestWork')) {
    need(mw, 'metadata.namespace (the cluster it delivers to)', 'ManagedCluster', mw.metadata.namespace);
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
