/**
 * Argo CD family: the bootstrap a factory engineer applies once (`dist/argocd/`). It installs the OpenShift GitOps
 * operator (`argocd/operator/`), then wires the repository: an AppProject for the bootstrap and one for the hub, one
 * AppProject per edge cluster (`argocd/projects/`, one file each, no listing file, so pull requests that add different
 * clusters never touch the same file), each with resource whitelists derived from what the other families rendered,
 * the application controller's RBAC for exactly those kinds, Applications for the bootstrap, the hub bundle and the
 * cluster projects, and an ApplicationSet that yields one Application per `clusters/<cluster>` folder, in that
 * cluster's own project. Rendered only when the fleet config sets GIT_REPO_URL.
 */
import { ApiObject, App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as argo from '../../imports/argocd';
import type { Fleet, GitSource } from '../../model/types';
import { ARGOCD_NAMESPACE, clusterSingleton, CONTROLLER_SERVICE_ACCOUNT } from '../common/argocd';
import { renderedCharts, ZtpChart } from '../common/chart';
import { POLICY_NAMESPACE, resourceOf } from '../common/day2';
import { CREDENTIALS_NAMESPACE, DETACH_HOOK, DETACHED_ANNOTATION, LIFECYCLE_KINDS, POLICY_READ_RULES } from '../common/lifecycle';
import { OperatorInstall } from '../common/olm';
import { operatorPackage } from '../common/operators';
import { setWave, Wave } from '../common/waves';
import { HUB_HEALTH_CHECKS } from './health';

export { ARGOCD_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT } from '../common/argocd';
/** The default `ArgoCD` instance the OpenShift GitOps operator creates in that namespace. */
export const ARGOCD_INSTANCE = 'openshift-gitops';
export const GITOPS_PACKAGE = 'openshift-gitops-operator';
const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * AppProject and Application names. Cluster Applications are named after their cluster, their projects by
 * `clusterProjectName`; CLUSTERS is the ApplicationSet, PROJECTS the Application that syncs the cluster projects.
 */
export const ArgoNames = {
  BOOTSTRAP: 'ztpfw-argocd',
  HUB: 'ztpfw-hub',
  CLUSTERS: 'ztpfw-clusters',
  PROJECTS: 'ztpfw-cluster-projects',
} as const;

const CLUSTER_PROJECT_PREFIX = 'ztpfw-cluster-';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The ClusterRole of everything the application controller applies (with the GitOps operator's own roles). */
export const CONTROLLER_ROLE = 'ztpfw-argocd-application-controller';

/** The AppProject of one edge cluster's Application. */
export function clusterProjectName(cluster: string): string {
  return `${CLUSTER_PROJECT_PREFIX}${cluster}`;
}

/** Folder (under the output folder) of the per-cluster AppProjects: synced as a plain directory, no kustomization. */
export const CLUSTER_PROJECTS_DIR = 'argocd/projects';

/** A kind as an AppProject whitelist and an RBAC rule name it. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface RenderedKinds {
  readonly kinds: readonly GroupKind[];
  /** Namespaces of the namespaced objects. */
  readonly namespaces: readonly string[];
  /**
   * Roles and ClusterRoles with fixed names (the hub's, and those in each cluster's own namespace, named alike in
   * every cluster): the controller needs `escalate` on exactly these to create them. Per-cluster roles in shared
   * namespaces are not here: the controller holds what they grant (charts/common/argocd.ts `controllerGrant`).
   */
  readonly roles: readonly string[];
  /** Roles the bindings among those grant: the controller needs `bind` on exactly these. */
  readonly boundRoles: readonly string[];
}

/** The kinds and namespaces of every object the charts below `prefix` (`hub`, `clusters`) rendered. */
export function renderedKinds(app: App, prefix: string): RenderedKinds {
  return renderedKindsBy(app, (dir) => (dir === prefix || dir.startsWith(`${prefix}/`) ? prefix : undefined)).get(prefix) ?? { kinds: [], namespaces: [], roles: [], boundRoles: [] };
}

/** The kinds and namespaces each edge cluster's folder (`clusters/<cluster>` and below) rendered, by cluster. */
export function renderedKindsByCluster(app: App): Map<string, RenderedKinds> {
  return renderedKindsBy(app, (dir) => /^clusters\/([^/]+)/.exec(dir)?.[1]);
}

/** Kinds and namespaces of the objects of every chart, grouped by `keyOf(outputDir)` (undefined: not counted). */
function renderedKindsBy(app: App, keyOf: (outputDir: string) => string | undefined): Map<string, RenderedKinds> {
  const found = new Map<string, { kinds: Map<string, GroupKind>; namespaces: Set<string>; roles: Set<string>; boundRoles: Set<string> }>();
  // Summaries, not the tree: `ztpfw synth` streams charts out of the tree as they complete.
  for (const chart of renderedCharts(app)) {
    const key = keyOf(chart.outputDir);
    if (key === undefined) continue;
    const entry = found.get(key) ?? { kinds: new Map<string, GroupKind>(), namespaces: new Set<string>(), roles: new Set<string>(), boundRoles: new Set<string>() };
    found.set(key, entry);
    // A cluster folder's own namespace: its roles are named alike in every cluster (`clusters/<cluster>/…`).
    const own = /^clusters\/([^/]+)/.exec(chart.outputDir)?.[1];
    for (const obj of chart.objects) {
      const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
      const ns = obj.namespace;
      if (ns) entry.namespaces.add(ns);
      entry.kinds.set(`${group}/${obj.kind}`, { group, kind: obj.kind, namespaced: ns !== undefined });
      if (obj.name === undefined || (own !== undefined && ns !== own)) continue;
      if (obj.roleRef) entry.boundRoles.add(obj.roleRef.name);
      else entry.roles.add(obj.name);
    }
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return new Map([...found].map(([k, v]) => [k, { kinds: sortKinds([...v.kinds.values()]), namespaces: sorted(v.namespaces), roles: sorted(v.roles), boundRoles: sorted(v.boundRoles) }]));
}

function sortKinds(kinds: readonly GroupKind[]): GroupKind[] {
  const byKey = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, k]));
  return [...byKey.values()].sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
}

/** Sync options of every Application (as ZTP users know them from Red Hat's `clusters`/`policies` apps). */
export const SYNC_OPTIONS = ['PrunePropagationPolicy=background', 'RespectIgnoreDifferences=true', 'ApplyOutOfSyncOnly=true'] as const;

/**
 * Fields hub controllers own on objects we render: without these, self-heal would fight MCE/ACM.
 * - ManagedCluster: ACM's registration controller adds and rewrites labels (vendor, cloud, clusterID, …).
 * - AgentClusterInstall: assisted-service rejects spec changes once installation started; a node removed later
 *   changes the worker count we render, which must not be pushed to an installed cluster.
 * - BareMetalHost: BMAC detaches installed hosts itself, with its own annotation value.
 */
export const IGNORE_DIFFERENCES = [
  { group: 'cluster.open-cluster-management.io', kind: 'ManagedCluster', managedFieldsManagers: ['controller'] },
  { group: 'extensions.hive.openshift.io', kind: 'AgentClusterInstall', jsonPointers: ['/spec/provisionRequirements'] },
  { group: 'metal3.io', kind: 'BareMetalHost', jsonPointers: [`/metadata/annotations/${DETACHED_ANNOTATION.replace(/\//g, '~1')}`] },
] as const;

/**
 * Retries of a failed sync: without a limit (`-1`, argo-cd docs/user-guide/auto_sync.md), because an automated sync
 * never re-attempts a revision whose sync failed, and a cluster's CRDs only appear once the hub has mirrored and
 * installed MCE (the hub's oc-mirror alone may take 4 h); 30 s doubling up to 10 min between attempts. `refresh`
 * makes a retrying sync pick up a newer commit instead of retrying the old one forever.
 */
export const SYNC_RETRY = { limit: -1, refresh: true, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } } as const;

/** Automated sync with prune and self-heal, retried until the hub is ready (see SYNC_RETRY). */
function syncPolicy() {
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: [...SYNC_OPTIONS],
    retry: { ...SYNC_RETRY, backoff: { ...SYNC_RETRY.backoff } },
  };
}

function repoPath(git: GitSource, sub: string): string {
  return `${git.path}/${sub}`;
}

/** The OpenShift GitOps operator, in `argocd/operator/` (applied first: everything else needs its CRDs). */
export class GitopsOperatorChart extends ZtpChart {
  constructor(scope: App, fleet: Fleet) {
    super(scope, 'argocd-operator', { outputDir: 'argocd/operator' });
    const pkg = operatorPackage(GITOPS_PACKAGE);
    setWave(new k8s.KubeNamespace(this, 'namespace', { metadata: { name: pkg.namespace } }), Wave.NAMESPACE);
    new OperatorInstall(this, 'operator', { config: fleet.config, packageName: GITOPS_PACKAGE, wave: Wave.CONFIG });
  }
}

export interface ArgoBootstrapProps {
  readonly git: GitSource;
  readonly hub: RenderedKinds;
  /** All cluster folders together: what the application controller must be allowed to apply. */
  readonly clusters: RenderedKinds;
  /** Whether any cluster is rendered (the cluster projects folder exists). */
  readonly hasClusters: boolean;
}

/**
 * Namespaces every cluster project may sync to besides the cluster's own: detach hooks run in the credentials
 * namespace, and a cluster switched to Policy delivery has its Placement in the policy namespace. Granted always,
 * so these flips need no project change.
 */
const SHARED_CLUSTER_NAMESPACES = [CREDENTIALS_NAMESPACE, POLICY_NAMESPACE] as const;

/** Spec of an AppProject: one source repository, these destinations (in-cluster) and exactly these kinds. */
function projectSpec(description: string, git: GitSource, kinds: readonly GroupKind[], namespaces: readonly string[]) {
  return {
    description,
    sourceRepos: [git.repoUrl],
    destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: kinds.filter((k) => !k.namespaced).map(({ group, kind }) => ({ group, kind })),
    namespaceResourceWhitelist: kinds.filter((k) => k.namespaced).map(({ group, kind }) => ({ group, kind })),
    // Objects in these namespaces that git does not describe are shown, not deleted.
    orphanedResources: { warn: true },
  };
}

/**
 * One AppProject per edge cluster, one file each in `argocd/projects/` (no kustomization.yaml there: an Application
 * syncs the folder as a plain directory). Adding, changing or removing a cluster adds, changes or removes its own
 * file only, so two pull requests that touch different clusters never conflict. Each project allows exactly the
 * namespaces and kinds its cluster's folder renders (plus the shared namespaces and the lifecycle kinds): one
 * cluster's Application cannot write into another cluster's namespace, let alone a platform one.
 */
export class ClusterProjectsChart extends ZtpChart {
  constructor(scope: App, git: GitSource, clusters: ReadonlyMap<string, RenderedKinds>) {
    super(scope, 'argocd-projects', { outputDir: CLUSTER_PROJECTS_DIR, kustomization: false });
    for (const [cluster, rendered] of [...clusters].sort(([a], [b]) => (a < b ? -1 : 1))) {
      // Detach hooks appear only when a cluster is detached: whitelisted always, so the flip needs no project change.
      const kinds = sortKinds([...rendered.kinds, ...LIFECYCLE_KINDS]);
      const namespaces = [...new Set([...rendered.namespaces, ...SHARED_CLUSTER_NAMESPACES])].sort();
      const p = new argo.AppProject(this, cluster, {
        metadata: {
          name: clusterProjectName(cluster),
          namespace: ARGOCD_NAMESPACE,
          labels: { 'ztpfw.io/cluster': cluster },
          // Argo CD's controller removes this finalizer only once no Application uses the project, so a removed
          // cluster's project outlives the Application that is still deleting the cluster's objects.
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: projectSpec(`ZTPFW edge cluster ${cluster} (dist/clusters/${cluster})`, git, kinds, namespaces),
      });
      setWave(p, Wave.CONFIG);
    }
  }
}

/** Projects, RBAC, Applications and the ApplicationSet, in `argocd/`. */
export class ArgoBootstrapChart extends ZtpChart {
  constructor(scope: App, props: ArgoBootstrapProps) {
    super(scope, 'argocd', { outputDir: 'argocd' });
    const { git } = props;
    const clusterKinds = sortKinds([...props.clusters.kinds, ...LIFECYCLE_KINDS]);

    // The bootstrap manages itself after the first `oc apply -k`, so a whitelist change arrives with its commit.
    const bootstrapKinds: GroupKind[] = sortKinds([
      { group: '', kind: 'Namespace', namespaced: false },
      { group: 'operators.coreos.com', kind: 'OperatorGroup', namespaced: true },
      { group: 'operators.coreos.com', kind: 'Subscription', namespaced: true },
      { group: 'argoproj.io', kind: 'AppProject', namespaced: true },
      { group: 'argoproj.io', kind: 'Application', namespaced: true },
      { group: 'argoproj.io', kind: 'ApplicationSet', namespaced: true },
      { group: 'argoproj.io', kind: 'ArgoCD', namespaced: true },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespaced: false },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', namespaced: false },
    ]);
    const gitopsNs = operatorPackage(GITOPS_PACKAGE).namespace;
    this.project(ArgoNames.BOOTSTRAP, 'ZTPFW bootstrap: the GitOps operator, these projects and applications', git, bootstrapKinds, [ARGOCD_NAMESPACE, gitopsNs]);
    this.project(ArgoNames.HUB, 'ZTPFW hub bundle (dist/hub)', git, props.hub.kinds, props.hub.namespaces);

    // The controller applies every whitelisted kind. Creating a Role that grants what the controller does not hold
    // needs `escalate` on it, binding one needs `bind` on it (Kubernetes RBAC docs, "Privilege escalation prevention
    // and bootstrapping"): both only by name, for the fixed-name roles of the output (and the detach hook's, which
    // appears with a detach). Per-cluster roles in shared namespaces grant no more than the controller holds there.
    const all = sortKinds([...bootstrapKinds, ...props.hub.kinds, ...clusterKinds]);
    const byGroup = new Map<string, Set<string>>();
    for (const k of all) byGroup.set(k.group, (byGroup.get(k.group) ?? new Set()).add(resourceOf(k.kind)));
    const rules: k8s.PolicyRule[] = [...byGroup.entries()].map(([group, resources]) => ({
      apiGroups: [group],
      resources: [...resources].sort(),
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    }));
    const role = CONTROLLER_ROLE;
    const names = (pick: (k: RenderedKinds) => readonly string[]) => [...new Set([role, ...(props.hasClusters ? [DETACH_HOOK] : []), ...pick(props.hub), ...pick(props.clusters)])].sort();
    rules.push(
      ...POLICY_READ_RULES,
      { apiGroups: [RBAC_GROUP], resources: ['clusterroles', 'roles'], verbs: ['escalate'], resourceNames: names((k) => k.roles) },
      { apiGroups: [RBAC_GROUP], resources: ['clusterroles', 'roles'], verbs: ['bind'], resourceNames: names((k) => k.boundRoles) },
    );
    setWave(new k8s.KubeClusterRole(this, 'controller-role', { metadata: { name: role }, rules }), Wave.CONFIG);
    setWave(new k8s.KubeClusterRoleBinding(this, 'controller-binding', {
      metadata: { name: role },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: CONTROLLER_SERVICE_ACCOUNT, namespace: ARGOCD_NAMESPACE }],
    }), Wave.CONFIG);

    // Health checks for the hub operators' CRs, in the default instance the operator created: only this field is
    // ours (server-side apply), and the instance is never deleted or pruned with the bootstrap.
    const instance = new ApiObject(this, 'instance', {
      apiVersion: 'argoproj.io/v1beta1',
      kind: 'ArgoCD',
      metadata: { name: ARGOCD_INSTANCE, namespace: ARGOCD_NAMESPACE },
      spec: { resourceHealthChecks: HUB_HEALTH_CHECKS.map(({ group, kind, check }) => ({ group, kind, check })) },
    });
    setWave(instance, Wave.CONFIG);
    clusterSingleton(instance);

    this.application(ArgoNames.BOOTSTRAP, ArgoNames.BOOTSTRAP, git, repoPath(git, 'argocd'), []);
    this.application(ArgoNames.HUB, ArgoNames.HUB, git, repoPath(git, 'hub'), []);
    // The cluster projects, as a plain directory (no kustomization.yaml: see ClusterProjectsChart).
    if (props.hasClusters) this.application(ArgoNames.PROJECTS, ArgoNames.BOOTSTRAP, git, repoPath(git, CLUSTER_PROJECTS_DIR), [], { recurse: false });

    // One Application per cluster folder: a folder that appears is a new cluster, one that disappears is pruned.
    const appSet = new ApiObject(this, 'clusters', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: ArgoNames.CLUSTERS, namespace: ARGOCD_NAMESPACE },
      spec: {
        generators: [{ git: { repoURL: git.repoUrl, revision: git.revision, directories: [{ path: repoPath(git, 'clusters/*') }] } }],
        // No cascade: deleting this ApplicationSet (or the bootstrap app that owns it), or removing a cluster's folder,
        // deletes the cluster's Application only; its hosts and install objects stay (argo-cd
        // docs/operator-manual/applicationset/Application-Deletion.md: no resources finalizer on the Applications).
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: {
            name: '{{path.basename}}',
            labels: { 'ztpfw.io/cluster': '{{path.basename}}' },
          },
          spec: {
            // Each cluster's Application in its own project (ApplicationSets template `project` like any field).
            project: clusterProjectName('{{path.basename}}'),
            source: { repoURL: git.repoUrl, targetRevision: git.revision, path: '{{path}}' },
            destination: { server: IN_CLUSTER, namespace: '{{path.basename}}' },
            ignoreDifferences: IGNORE_DIFFERENCES.map((d) => ({ ...d })),
            syncPolicy: syncPolicy(),
          },
        },
      },
    });
    setWave(appSet, Wave.DAY2);
  }

  private project(name: string, description: string, git: GitSource, kinds: readonly GroupKind[], namespaces: readonly string[]): void {
    const p = new argo.AppProject(this, `project-${name}`, {
      metadata: { name, namespace: ARGOCD_NAMESPACE },
      spec: projectSpec(description, git, kinds, namespaces),
    });
    setWave(p, Wave.CONFIG);
  }

  private application(name: string, project: string, git: GitSource, path: string, ignore: readonly object[], directory?: argo.ApplicationSpecSourceDirectory): void {
    const a = new argo.Application(this, `app-${name}`, {
      // No resources finalizer: deleting an Application forgets it and leaves what it synced (no cascade to the hub
      // operators, the ApplicationSet or the clusters).
      metadata: { name, namespace: ARGOCD_NAMESPACE },
      spec: {
        project,
        source: { repoUrl: git.repoUrl, targetRevision: git.revision, path, ...(directory ? { directory } : {}) },
        destination: { server: IN_CLUSTER },
        ...(ignore.length ? { ignoreDifferences: ignore as never } : {}),
        syncPolicy: syncPolicy(),
      },
    });
    setWave(a, Wave.INSTALL);
  }
}

/** Must run after every other family: the projects whitelist what they rendered. */
export function argocdFamily(app: App, fleet: Fleet): void {
  const git = fleet.config.git;
  if (!git) return;
  new GitopsOperatorChart(app, fleet);
  const byCluster = renderedKindsByCluster(app);
  new ArgoBootstrapChart(app, { git, hub: renderedKinds(app, 'hub'), clusters: renderedKinds(app, 'clusters'), hasClusters: byCluster.size > 0 });
  if (byCluster.size > 0) new ClusterProjectsChart(app, git, byCluster);
}
