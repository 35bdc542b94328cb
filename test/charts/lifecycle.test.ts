/**
 * Lifecycle of an edge cluster (STATE install → configure → detach), node removal, and the Argo CD bootstrap that
 * syncs it all: exact render diffs between states, whitelists derived from what is rendered, real kustomize builds
 * of every Application path, schema validation of the objects that only some states render.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as YAML from 'yaml';
import { ARGOCD_NAMESPACE, ArgoNames, clusterProjectName } from '../../charts/argocd';
import { CREDENTIALS_NAMESPACE, DETACHED_ANNOTATION, REMOVE_AGENT_AND_NODE_ANNOTATION } from '../../charts/common/lifecycle';
import { resourceOf } from '../../charts/common/day2';
import { writeAtomically } from '../../cli/render';
import { loadFleet } from '../../model/loader';
import { kustomizeBuild } from '../support/kustomize';
import { checkReferences } from '../support/references';
import { Render, renderFleet } from '../support/render';
import { validateManifest } from '../support/schemas';
import { kubectlOrNotRun, shellcheck } from '../support/tools';
import { SYNTHETIC_RELEASE_DIGEST } from '../../hack/fleet-generator';

const GIT = 'https://git.factory.example.com/factory/fleet.git';

interface FleetOptions {
  readonly state?: string;
  readonly acm?: boolean;
  readonly delivery?: 'policy' | 'manifestwork';
  readonly worker0?: string;
  readonly worker1?: string;
  readonly git?: boolean;
}

/** A 3+2 cluster `c1` and an SNO `s1`; only c1's STATE varies. */
function fleetYaml(o: FleetOptions = {}): string {
  const node = (key: string, mac: string, extra = '') => `      ${key}:
        nic_ext_dhcp: eno1
        mac_ext_dhcp: "3c:ec:ef:10:${mac}"
        bmc_url: redfish-virtualmedia://10.10.${mac.replace(':', '.').replace(/^0/, '')}/redfish/v1/Systems/1
        bmc_secret: bmc-${key}
        root_disk: /dev/sda
        storage_disk: /dev/sdb
${extra}`;
  return `config:
  OC_OCP_VERSION: "4.14.12"
  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"
  OC_ACM_VERSION: "2.9"
  OC_ODF_VERSION: "4.14"
  BASE_DOMAIN: factory.example.com
  ACM_ENABLED: ${o.acm ?? true}
${o.git === false ? '' : `  GIT_REPO_URL: ${GIT}\n  GIT_REVISION: release-1\n`}edgeclusters:
  - c1:
      config:
${o.state ? `        STATE: ${o.state}\n` : ''}        DAY2_DELIVERY: ${o.delivery ?? 'policy'}
${node('master0', '01:01')}${node('master1', '01:02')}${node('master2', '01:03')}${node('worker0', '01:04', o.worker0 ? `        state: ${o.worker0}\n` : '')}${node('worker1', '01:05', o.worker1 ? `        state: ${o.worker1}\n` : '')}  - s1:
${node('master0', '02:01')}`;
}

const render = (o: FleetOptions = {}): Render => renderFleet({ yaml: fleetYaml(o) });
const byPath = (r: Render) => new Map(r.files.map((f) => [f.path, f.content]));
const obj = (r: Render, p: string) => r.objects.find((o) => o.path === p)?.obj;

/** Paths added, removed and changed between two renders. */
function fileDiff(a: Render, b: Render) {
  const A = byPath(a);
  const B = byPath(b);
  return {
    added: [...B.keys()].filter((k) => !A.has(k)).sort(),
    removed: [...A.keys()].filter((k) => !B.has(k)).sort(),
    changed: [...A.keys()].filter((k) => B.has(k) && A.get(k) !== B.get(k)).sort(),
  };
}

/** Leaf paths whose values differ between two JSON values. */
function leafDiff(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => leafDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
  }
  return [at];
}

describe('lifecycle states', () => {
  test('STATE defaults to configure; an unknown state is a located error', () => {
    expect(loadFleetText(fleetYaml()).fleet?.clusters.map((c) => c.state)).toStrictEqual(['configure', 'configure']);
    const bad = loadFleetText(fleetYaml({ state: 'detached' }));
    expect(bad.fleet).toBeUndefined();
    expect(bad.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toStrictEqual([
      '13:16: "STATE" must be "install", "configure", "standalone" or "detach", got "detached"',
    ]);
  });

  /** Files of the cluster's day-2 sub-folders (`clusters/c1/<bundle>/…`, `clusters/c1/day2/…`), whatever bundles exist. */
  const day2Files = (r: Render) => r.files.map((f) => f.path).filter((p) => /^clusters\/c1\/[^/]+\//.test(p) && !p.startsWith('clusters/c1/detach/')).sort();

  test('install renders no day-2 delivery; configure adds exactly the day-2 folders of the cluster', () => {
    const install = render({ state: 'install' });
    const configure = render({ state: 'configure' });
    expect(day2Files(install)).toStrictEqual([]);
    // The policy-mode cluster gets at least its Placement and the storage bundle.
    expect(day2Files(configure)).toEqual(expect.arrayContaining(['clusters/c1/day2/placement-c1-day2.yaml', 'clusters/c1/storage/kustomization.yaml']));
    expect(fileDiff(install, configure)).toStrictEqual({ added: day2Files(configure), removed: [], changed: ['clusters/c1/kustomization.yaml'] });
  });

  test('configure → detach reads as exactly the detach: registration out, hardware kept, hooks in', () => {
    const before = render({ state: 'configure' });
    const after = render({ state: 'detach' });
    const d = fileDiff(before, after);
    const hooks = [
      'clusterrole-ztpfw-detach-c1', 'clusterrolebinding-ztpfw-detach-c1', 'configmap-ztpfw-detach-scripts', 'job-ztpfw-detach',
      'role-c1-credentials-reader', 'role-ztpfw-detach', 'role-ztpfw-detach-c1', 'role-ztpfw-detach-c1-policies',
      'rolebinding-ztpfw-detach', 'rolebinding-ztpfw-detach-c1', 'rolebinding-ztpfw-detach-c1-policies', 'serviceaccount-ztpfw-detach',
    ];
    expect(d.added).toStrictEqual(['clusters/c1/detach/kustomization.yaml', ...hooks.map((h) => `clusters/c1/detach/${h}.yaml`)].sort());
    // Day-2 delivery goes (its Policies/ManifestWorks leave their objects on the edge), and the registration.
    expect(d.removed).toStrictEqual([
      ...day2Files(before),
      'clusters/c1/klusterletaddonconfig-c1.yaml',
      'clusters/c1/managedcluster-c1.yaml',
    ].sort());
    const bmhs = ['master-0', 'master-1', 'master-2', 'worker-0', 'worker-1'].map((n) => `clusters/c1/baremetalhost-ztpfw-c1-${n}.yaml`);
    expect(d.changed).toStrictEqual([...bmhs, 'clusters/c1/clusterdeployment-c1.yaml', 'clusters/c1/kustomization.yaml'].sort());
    // Nothing outside the cluster's folder moves: not the hub, not the other cluster, not the Argo CD projects.
    expect([...d.added, ...d.removed, ...d.changed].filter((p) => !p.startsWith('clusters/c1/'))).toStrictEqual([]);

    const cd = 'clusters/c1/clusterdeployment-c1.yaml';
    expect(leafDiff(obj(before, cd), obj(after, cd))).toStrictEqual(['/spec/preserveOnDelete']);
    expect(obj(after, cd).spec.preserveOnDelete).toBe(true);
    const esc = (a: string) => `/metadata/annotations/${a}`;
    for (const p of bmhs) {
      expect(leafDiff(obj(before, p), obj(after, p))).toStrictEqual([esc(DETACHED_ANNOTATION), esc(REMOVE_AGENT_AND_NODE_ANNOTATION)].sort());
      expect(obj(after, p).metadata.annotations[DETACHED_ANNOTATION]).toBe('{"deleteAction":"delete"}');
      expect(obj(before, p).metadata.annotations[REMOVE_AGENT_AND_NODE_ANNOTATION]).toBe('true');
    }
  });

  test('the detach hooks run before the sync, save into one RBAC-limited Secret, and check the day-2 bundles', () => {
    const r = render({ state: 'detach' });
    const hooks = r.objects.filter((o) => o.path.startsWith('clusters/c1/detach/'));
    for (const h of hooks) {
      expect(h.obj.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
      // Job last, everything it needs first.
      expect(h.obj.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(h.obj.kind === 'Job' ? '0' : '-1');
      expect(validateManifest(h.obj)).toStrictEqual([]);
    }
    const job = hooks.find((h) => h.obj.kind === 'Job')!.obj;
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({
      CLUSTER: 'c1', DELIVERY: 'policy', EXPECTED_BUNDLES: 'nmstate metallb storage registry ui disconnected',
      CREDENTIALS_NAMESPACE, CREDENTIALS_SECRET: 'c1-credentials',
      KUBECONFIG_SECRET: 'c1-admin-kubeconfig', PASSWORD_SECRET: 'c1-admin-password', SSH_SECRET: 'c1-keypair',
    });
    // Credentials only ever in memory.
    expect(job.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'secrets').emptyDir.medium).toBe('Memory');
    // Secrets: read by name in the cluster namespace; in the credentials namespace, only this cluster's Secret
    // beyond the unavoidable create.
    const roles = hooks.filter((h) => h.obj.kind === 'Role').map((h) => h.obj);
    const secretRules = roles.flatMap((ro) => ro.rules.filter((ru: { resources: string[] }) => ru.resources.includes('secrets')).map((ru: any) => ({ ns: ro.metadata.namespace, ...ru })));
    const expected = [
      { ns: CREDENTIALS_NAMESPACE, apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['c1-credentials'] },
      { ns: CREDENTIALS_NAMESPACE, apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch'], resourceNames: ['c1-credentials'] },
      { ns: CREDENTIALS_NAMESPACE, apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { ns: 'c1', apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['c1-admin-kubeconfig', 'c1-admin-password', 'c1-keypair'] },
    ];
    expect(secretRules).toHaveLength(expected.length);
    expect(secretRules).toEqual(expect.arrayContaining(expected));
    const script = hooks.find((h) => h.obj.kind === 'ConfigMap')!.obj.data['detach.sh'] as string;
    const code = script.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    expect(code).not.toMatch(/set -x|echo .*\$\{?secrets|cat .*\$\{?secrets/);
    // The Secret is applied server-side: client-side apply would copy the data into an annotation.
    expect(script).toContain('oc apply --server-side');
    expect(checkReferences(r.objects.map((o) => o.obj), { external: [...externalSecrets('c1'), ...externalSecrets('s1').filter((e) => e.name === 'bmc-master0' || e.name.startsWith('assisted'))] })).toStrictEqual([]);
  });

  test('golden: the cluster folder in each state', () => {
    for (const state of ['install', 'configure', 'detach']) {
      const files = render({ state }).files.filter((f) => f.path.startsWith('clusters/c1/'));
      expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toMatchSnapshot(state);
    }
  });
});

describe('node removal', () => {
  test('a worker with state: remove is not rendered (Argo CD prunes its BMH: BMAC removes Agent and Node)', () => {
    const before = render({ state: 'configure' });
    const after = render({ state: 'configure', worker1: 'remove' });
    const d = fileDiff(before, after);
    expect(d.removed).toStrictEqual(['clusters/c1/baremetalhost-ztpfw-c1-worker-1.yaml', 'clusters/c1/nmstateconfig-ztpfw-c1-worker-1.yaml']);
    expect(d.added).toStrictEqual([]);
    // The ACI's worker count follows (Argo CD ignores it on an installed cluster, see IGNORE_DIFFERENCES).
    // Install manifests: only the worker count and the discovery ISO's host list; day-2 bundles follow the node set.
    expect(d.changed.filter((p) => !/^clusters\/c1\/[^/]+\//.test(p))).toStrictEqual(['clusters/c1/agentclusterinstall-c1.yaml', 'clusters/c1/infraenv-c1.yaml', 'clusters/c1/kustomization.yaml']);
    expect(after.files.filter((f) => f.content.includes('ztpfw-c1-worker-1')).map((f) => f.path)).toStrictEqual([]);
    const aci = 'clusters/c1/agentclusterinstall-c1.yaml';
    expect(leafDiff(obj(before, aci), obj(after, aci))).toStrictEqual(['/spec/provisionRequirements/workerAgents']);
    // The discovery ISO no longer knows the removed host.
    const ie = 'clusters/c1/infraenv-c1.yaml';
    expect(leafDiff(obj(before, ie), obj(after, ie))).toStrictEqual(['/spec/ignitionConfigOverride']);
    expect(obj(after, ie).spec.ignitionConfigOverride).not.toContain('01:05');
    // The live BMH carried the annotation since the first sync: one commit removes the node.
    expect(obj(before, 'clusters/c1/baremetalhost-ztpfw-c1-worker-1.yaml').metadata.annotations[REMOVE_AGENT_AND_NODE_ANNOTATION]).toBe('true');
    const loaded = loadFleetText(fleetYaml({ worker1: 'remove' }));
    expect(loaded.fleet?.clusters[0].removedNodes).toStrictEqual(['ztpfw-c1-worker-1']);
  });

  test('removing every worker makes the cluster compact; a master cannot be removed', () => {
    const text = fleetYaml().replace('        storage_disk: /dev/sdb\n      worker0:', '        storage_disk: /dev/sdb\n        state: remove\n      worker0:');
    const r = loadFleetText(text);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col}: ${d.message}`)).toStrictEqual([
      '35:16: master "master2" cannot be removed: the control plane of a three-master cluster is fixed at install; only workers take "state: remove"',
    ]);
    expect(loadFleetText(fleetYaml({ worker1: 'remove' })).fleet?.clusters[0].topology).toBe('standard');
    expect(loadFleetText(fleetYaml({ worker0: 'remove', worker1: 'remove' })).fleet?.clusters[0].topology).toBe('compact');
  });
});

describe('Argo CD bootstrap (dist/argocd)', () => {
  const withGit = ['clusters', { yaml: fleetYaml({ state: 'detach' }) }, { yaml: fleetYaml({ acm: false, delivery: 'manifestwork' }) }] as const;

  test('rendered only when GIT_REPO_URL is set; GIT_REVISION without it is a warning', () => {
    expect(render({ git: false }).files.filter((f) => f.path.startsWith('argocd/'))).toStrictEqual([]);
    const r = loadFleetText(fleetYaml({ git: false }).replace('  ACM_ENABLED: true\n', '  ACM_ENABLED: true\n  GIT_REVISION: main\n'));
    expect(r.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toStrictEqual([
      'warning: "GIT_REVISION" has no effect without GIT_REPO_URL: dist/argocd/ (the Argo CD bootstrap) is rendered only when GIT_REPO_URL is set',
    ]);
  });

  test.each(withGit)('every rendered kind is whitelisted in its project, every namespace a destination, and the controller may apply it (%#)', (input) => {
    const r = renderFleet(input);
    const project = (name: string) => r.objects.find((o) => o.obj.kind === 'AppProject' && o.obj.metadata.name === name)!.obj;
    const role = r.objects.find((o) => o.obj.kind === 'ClusterRole' && o.obj.metadata.name === 'ztpfw-argocd-application-controller')!.obj;
    // Each cluster folder syncs in its own project; hub/ and argocd/ (the cluster projects included) in theirs.
    const projectOf = (file: string) => {
      const cluster = /^clusters\/([^/]+)\//.exec(file)?.[1];
      return cluster ? clusterProjectName(cluster) : file.startsWith('hub/') ? ArgoNames.HUB : ArgoNames.BOOTSTRAP;
    };
    const names = [...new Set(r.objects.map((o) => projectOf(o.path)))].sort();
    expect(names.filter((n) => n.startsWith('ztpfw-cluster-')).length).toBe(new Set(r.objects.filter((o) => o.path.startsWith('clusters/')).map((o) => o.path.split('/')[1])).size);
    for (const name of names) {
      const p = project(name).spec;
      expect(p.sourceRepos).toStrictEqual([input === 'clusters' ? 'https://git.factory.example.com/factory/ztpfw-fleet.git' : GIT]);
      const dest = new Set(p.destinations.map((d: { namespace: string }) => d.namespace));
      for (const { obj: o } of r.objects.filter((x) => projectOf(x.path) === name)) {
        const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
        const list = o.metadata.namespace ? p.namespaceResourceWhitelist : p.clusterResourceWhitelist;
        expect({ kind: `${group}/${o.kind}`, whitelisted: list.some((w: { group: string; kind: string }) => w.group === group && w.kind === o.kind) })
          .toStrictEqual({ kind: `${group}/${o.kind}`, whitelisted: true });
        if (o.metadata.namespace) expect({ ns: o.metadata.namespace, ok: dest.has(o.metadata.namespace) }).toStrictEqual({ ns: o.metadata.namespace, ok: true });
        const rule = role.rules.find((ru: { apiGroups: string[]; resources: string[] }) => ru.apiGroups[0] === group && ru.resources.includes(resourceOf(o.kind)));
        expect({ kind: o.kind, verbs: rule?.verbs }).toMatchObject({ kind: o.kind, verbs: expect.arrayContaining(['create', 'patch', 'delete']) });
      }
      // Secrets are never in git, so no project may sync one.
      expect(p.namespaceResourceWhitelist.some((w: { kind: string }) => w.kind === 'Secret')).toBe(false);
    }
  });

  test('a cluster project allows its own namespace and the shared ones, never another cluster\'s or a platform one; its Application uses it', () => {
    const r = renderFleet('clusters');
    const projects = r.objects.filter((o) => o.obj.kind === 'AppProject' && o.path.startsWith('argocd/projects/'));
    const clusters = [...new Set(r.objects.filter((o) => o.path.startsWith('clusters/')).map((o) => o.path.split('/')[1]))].sort();
    expect(projects.map((p) => p.path)).toStrictEqual(clusters.map((c) => `argocd/projects/appproject-${clusterProjectName(c)}.yaml`));
    for (const c of clusters) {
      const p = projects.find((x) => x.obj.metadata.name === clusterProjectName(c))!.obj;
      const dest: string[] = p.spec.destinations.map((d: { namespace: string }) => d.namespace);
      // The cluster's own namespace, the shared ones, and the hub namespaces its own objects use (the mirror
      // pull-secret Job reads the registry credentials in ztpfw-registry); never another cluster's, never OpenShift's.
      expect(dest.filter((d) => d !== 'ztpfw-registry')).toStrictEqual([c, CREDENTIALS_NAMESPACE, 'ztpfw-day2']);
      expect(dest.filter((d) => (d !== c && clusters.includes(d)) || /^(openshift|kube)(-|$)|^default$/.test(d))).toStrictEqual([]);
      // Deleting it waits until no Application uses it (Argo CD's project finalizer).
      expect(p.metadata.finalizers).toStrictEqual(['resources-finalizer.argocd.argoproj.io']);
    }
    // No listing file: the folder is synced as a plain directory, so a new cluster changes no shared file.
    expect(r.files.some((f) => f.path === 'argocd/projects/kustomization.yaml')).toBe(false);
    const app = r.objects.find((o) => o.obj.kind === 'Application' && o.obj.metadata.name === ArgoNames.PROJECTS)!.obj;
    expect(app.spec.source).toMatchObject({ path: 'dist/argocd/projects', directory: { recurse: false } });
    expect(app.spec.project).toBe(ArgoNames.BOOTSTRAP);
    const appset = r.objects.find((o) => o.obj.kind === 'ApplicationSet')!.obj;
    expect(appset.spec.template.spec.project).toBe('ztpfw-cluster-{{path.basename}}');
  });

  test('applications sync as ZTP users expect, ignoring the fields hub controllers own', () => {
    const r = render();
    const appset = r.objects.find((o) => o.obj.kind === 'ApplicationSet')!.obj;
    expect(appset.metadata.namespace).toBe(ARGOCD_NAMESPACE);
    expect(appset.spec.generators).toStrictEqual([{ git: { repoURL: GIT, revision: 'release-1', directories: [{ path: 'dist/clusters/*' }] } }]);
    const t = appset.spec.template.spec;
    expect(t.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['PrunePropagationPolicy=background', 'RespectIgnoreDifferences=true']));
    expect(t.syncPolicy.automated).toStrictEqual({ prune: true, selfHeal: true });
    // Keeps retrying until the hub is ready (an automated sync never re-attempts a failed revision), and a newer
    // commit replaces the one being retried.
    expect(t.syncPolicy.retry).toStrictEqual({ limit: -1, refresh: true, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } });
    expect(t.ignoreDifferences.map((i: { kind: string }) => i.kind)).toStrictEqual(['ManagedCluster', 'AgentClusterInstall', 'BareMetalHost']);
    for (const a of r.objects.filter((o) => o.obj.kind === 'Application')) {
      expect(a.obj.spec.source.targetRevision).toBe('release-1');
      expect(a.obj.spec.syncPolicy).toStrictEqual(t.syncPolicy);
    }
    // The GitOps operator's ArgoCD CRD is not pinned (test/schemas.test.ts NO_PINNED_SCHEMA).
    for (const o of r.objects.filter((x) => x.path.startsWith('argocd/'))) {
      expect(validateManifest(o.obj)).toStrictEqual(o.obj.kind === 'ArgoCD' ? ['no pinned schema for argoproj.io/v1beta1 ArgoCD'] : []);
    }
  });

  test('no cascade: deleting the ApplicationSet, the bootstrap or any Application deletes no host and no install object', () => {
    for (const input of withGit) {
      const r = renderFleet(input);
      const appset = r.objects.find((o) => o.obj.kind === 'ApplicationSet')!.obj;
      // argo-cd Application-Deletion.md: with preserveResourcesOnDeletion the generated Applications get no resources finalizer.
      expect(appset.spec.syncPolicy).toStrictEqual({ preserveResourcesOnDeletion: true });
      const apps = [appset.spec.template, ...r.objects.filter((o) => o.obj.kind === 'Application').map((o) => o.obj)];
      expect(apps.length).toBe(4); // the template, the bootstrap, the hub and the cluster projects
      for (const a of apps) expect((a.metadata.finalizers ?? []).filter((f: string) => f.startsWith('resources-finalizer.argocd.argoproj.io'))).toStrictEqual([]);
      // A cascading delete from the UI skips Delete=false objects; pruning (worker removal, detach) is a separate option.
      const install = r.objects.filter((o) => /^clusters\/[^/]+\/[^/]+\.yaml$/.test(o.path) && !o.path.endsWith('/kustomization.yaml'));
      expect(install.map((o) => o.obj.kind)).toEqual(expect.arrayContaining(['Namespace', 'BareMetalHost', 'ClusterDeployment', 'AgentClusterInstall', 'InfraEnv', 'NMStateConfig']));
      for (const o of install) {
        const opts = (o.obj.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',');
        expect({ path: o.path, keep: opts.includes('Delete=false'), noPrune: opts.includes('Prune=false') }).toStrictEqual({ path: o.path, keep: true, noPrune: false });
      }
      const hubKeep = r.objects.filter((o) => ['MultiClusterEngine', 'MultiClusterHub', 'AgentServiceConfig', 'LVMCluster'].includes(o.obj.kind)
        || (o.obj.kind === 'PersistentVolumeClaim' && o.obj.metadata.name === 'registry-data'));
      expect(hubKeep.length).toBeGreaterThanOrEqual(3);
      for (const o of hubKeep) expect([o.path, o.obj.metadata.annotations?.['argocd.argoproj.io/sync-options']]).toStrictEqual([o.path, expect.stringContaining('Delete=false')]);
    }
  });

  test('every Application path, and every folder the ApplicationSet generates, exists and builds with kustomize', () => {
    const r = render({ state: 'detach' });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-argo-'));
    writeAtomically(path.join(out, 'dist'), r.files);
    const applications = r.objects.filter((o) => o.obj.kind === 'Application');
    // The cluster projects are a plain directory (no kustomization.yaml): Argo CD reads its YAML files.
    const directories = applications.filter((o) => o.obj.spec.source.directory).map((o) => o.obj.spec.source.path as string);
    expect(directories).toStrictEqual(['dist/argocd/projects']);
    for (const d of directories) {
      expect(fs.existsSync(path.join(out, d, 'kustomization.yaml'))).toBe(false);
      expect(fs.readdirSync(path.join(out, d)).sort()).toStrictEqual(['appproject-ztpfw-cluster-c1.yaml', 'appproject-ztpfw-cluster-s1.yaml']);
    }
    const apps = applications.filter((o) => !o.obj.spec.source.directory).map((o) => o.obj.spec.source.path as string);
    const appset = r.objects.find((o) => o.obj.kind === 'ApplicationSet')!.obj;
    const glob = appset.spec.generators[0].git.directories[0].path as string;
    const generated = fs.readdirSync(path.join(out, path.dirname(glob))).map((d) => `${path.dirname(glob)}/${d}`);
    expect(apps.sort()).toStrictEqual(['dist/argocd', 'dist/hub']);
    expect(generated.sort()).toStrictEqual(['dist/clusters/c1', 'dist/clusters/s1']);
    const kubectl = kubectlOrNotRun('kubectl kustomize of the Argo CD paths (test/charts/lifecycle.test.ts)');
    if (!kubectl) return;
    for (const p of [...apps, ...generated]) {
      const built = kustomizeBuild(path.join(out, p), kubectl) as { kind: string }[];
      const expected = r.objects.filter((o) => o.path.startsWith(`${p.slice('dist/'.length)}/`) && !directories.some((d) => o.path.startsWith(`${d.slice('dist/'.length)}/`))).length;
      expect({ path: p, objects: built.length }).toStrictEqual({ path: p, objects: expected });
    }
  });

  test('golden: dist/argocd of the demonstration fleet', () => {
    const files = renderFleet('clusters').files.filter((f) => f.path.startsWith('argocd/'));
    expect(files.length).toBeGreaterThan(0);
    expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toMatchSnapshot();
  });

  test('the GitOps operator is mirrored with the hub content', () => {
    const isc = renderFleet('clusters').objects.find((o) => o.obj.kind === 'ConfigMap' && o.obj.metadata.name === 'imageset-config')!.obj;
    const conf = YAML.parse(isc.data['imageset-config.yaml']);
    const pkgs = conf.mirror.operators.flatMap((c: { packages: { name: string }[] }) => c.packages.map((p) => p.name));
    expect(pkgs).toContain('openshift-gitops-operator');
  });
});

describe('detach script', () => {
  const file = path.resolve(__dirname, '../../charts/lifecycle/scripts/detach.sh');
  test('is valid bash and passes shellcheck', () => {
    execFileSync('bash', ['-n', file]);
    expect(shellcheck(file)).toBe('');
  });
});

function externalSecrets(cluster: string) {
  return ['bmc-master0', 'bmc-master1', 'bmc-master2', 'bmc-worker0', 'bmc-worker1', 'assisted-deployment-pull-secret']
    .map((name) => ({ kind: 'Secret', name, namespace: cluster }));
}

function loadFleetText(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-lc-'));
  const file = path.join(dir, 'edgeclusters.yaml');
  fs.writeFileSync(file, text);
  return loadFleet(file);
}
