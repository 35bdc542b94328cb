/**
 * Reference checks over a list of rendered objects: every name one object uses to find another must resolve inside
 * the list, or be declared external (Secrets created out of band). Returns one message per broken reference, so a
 * test can assert an empty list and a command can print them.
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
  'CustomResourceDefinition', 'AgentServiceConfig', 'MultiClusterEngine', 'MultiClusterHub', 'StorageClass', 'Provisioning']);

function id(o: K8sObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** Namespaces every OpenShift cluster has: objects may be placed in them without rendering them. */
export const PLATFORM_NAMESPACES: ReadonlySet<string> = new Set([
  'openshift-config', 'openshift-config-managed', 'openshift-marketplace',
  // Created by the OpenShift GitOps operator (its default Argo CD instance), which dist/argocd/operator installs.
  'openshift-gitops',
]);

export function checkReferences(objects: readonly K8sObject[], options: ReferenceOptions = {}): string[] {
  const problems: string[] = [];
  const external = options.external ?? [];
  const find = (kind: string, name: string | undefined, namespace?: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  const exists = (kind: string, name: string | undefined, namespace?: string) =>
    find(kind, name, namespace) !== undefined || external.some((e) => e.kind === kind && e.name === name && e.namespace === namespace);
  const need = (from: K8sObject, what: string, kind: string, name: string | undefined, namespace?: string) => {
    if (name === undefined || name === '') problems.push(`${id(from)}: ${what} is empty`);
    else if (!exists(kind, name, namespace)) {
      problems.push(`${id(from)}: ${what} names ${kind} ${namespace ? `${namespace}/` : ''}${name}, which is neither rendered nor declared external`);
    }
  };
  const of = (kind: string) => objects.filter((o) => o.kind === kind);

  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (ns !== undefined && !CLUSTER_SCOPED.has(o.kind) && !PLATFORM_NAMESPACES.has(ns)) need(o, 'metadata.namespace', 'Namespace', ns);
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
    const infraEnvs = of('InfraEnv').filter((ie) => ie.spec?.clusterRef?.name === cdName && ie.spec?.clusterRef?.namespace === ns);
    const hosts = of('BareMetalHost').filter((b) => infraEnvs.some((ie) => ie.metadata.namespace === b.metadata.namespace && ie.metadata.name === b.metadata.labels?.[INFRAENV_LABEL]));
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
  for (const ie of of('InfraEnv')) {
    const ns = ie.metadata.namespace;
    need(ie, 'spec.pullSecretRef', 'Secret', ie.spec?.pullSecretRef?.name, ns);
    if (ie.spec?.clusterRef) need(ie, 'spec.clusterRef', 'ClusterDeployment', ie.spec.clusterRef.name, ie.spec.clusterRef.namespace);
    const selector = ie.spec?.nmStateConfigLabelSelector as LabelSelector | undefined;
    const own = nmstates.filter((n) => n.metadata.namespace === ns).map(id).sort();
    if (!selector) {
      if (own.length > 0) problems.push(`${id(ie)}: has no nmStateConfigLabelSelector, so ${own.join(', ')} never reach its discovery ISO`);
      continue;
    }
    // assisted-service matches NMStateConfigs by label in every namespace, so a loose selector picks up other clusters' nodes.
    const picked = nmstates.filter((n) => selects(selector, n.metadata.labels)).map(id).sort();
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
    if (!of('ClusterDeployment').some((cd) => cd.metadata.name === mc.metadata.name && cd.metadata.namespace === mc.metadata.name)) {
      problems.push(`${id(mc)}: no ClusterDeployment ${mc.metadata.name}/${mc.metadata.name}, so nothing installs or imports this cluster`);
    }
  }
  return problems;
}
