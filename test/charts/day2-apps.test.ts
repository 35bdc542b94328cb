/**
 * The registry, ui, disconnected and gpu day-2 bundles, read back from what `ztpfw synth` writes: the delivering
 * Policies / ManifestWorks are unwrapped and every manifest they carry is checked.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { edgeRegistryShape } from '../../charts/disconnected';
import { Manifest } from '../../charts/common/day2';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';
import { hasPinnedSchema, validateManifest } from '../support/schemas';
import { apiCalls, expectRulesMatchCalls } from './hub-support';
import { render, ROOT, tempFleet } from './install-support';
import { shellcheck } from '../support/tools';

const BUNDLES = ['registry', 'ui', 'disconnected', 'gpu'];
/** Kinds delivered without a pinned schema in schemas/ (plain manifests). */
const UNPINNED = ['config.openshift.io/v1 OperatorHub', 'config.openshift.io/v1 Image', 'nfd.openshift.io/v1 NodeFeatureDiscovery', 'nvidia.com/v1 ClusterPolicy'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

interface Delivered {
  readonly file: string;
  readonly carrier: Obj;
  readonly manifest: Manifest;
}

function ours(input: string): { objects: Obj[]; files: { path: string; content: string }[] } {
  const r = render(input);
  const mine = (p: string) => BUNDLES.some((b) => new RegExp(`^clusters/[^/]+/${b}/`).test(p));
  return { objects: r.objects.filter((o) => mine(o.file)) as Obj[], files: r.files.filter((f) => mine(f.path)) };
}

function unwrap(objects: readonly Obj[]): Delivered[] {
  return objects.flatMap((o) => {
    if (o.kind === 'ManifestWork') return o.spec.workload.manifests.map((m: Manifest) => ({ file: o.file, carrier: o, manifest: m }));
    if (o.kind === 'Policy') {
      return o.spec['policy-templates'].flatMap((t: Obj) => t.objectDefinition.spec['object-templates'].map((ot: Obj) => ({ file: o.file, carrier: o, manifest: ot.objectDefinition })));
    }
    return [];
  });
}

const manifestwork = ours(path.join(ROOT, 'clusters'));
const policy = ours(path.join(ROOT, 'examples', 'policy-delivery.yaml'));
const custom = ours(path.join(ROOT, 'examples', 'custom-registry.yaml'));
const all = [manifestwork, policy, custom];

const find = (d: readonly Delivered[], kind: string, name: string, cluster?: string) => {
  const hit = d.find((x) => x.manifest.kind === kind && x.manifest.metadata.name === name && (cluster === undefined || x.file.startsWith(`clusters/${cluster}/`)));
  if (!hit) throw new Error(`no ${kind} ${name}`);
  return hit;
};

describe('every delivered manifest', () => {
  test('validates against its pinned schema; only the listed kinds have none', () => {
    const unpinned = new Set<string>();
    let checked = 0;
    for (const r of all) {
      for (const d of unwrap(r.objects)) {
        const k = `${d.manifest.apiVersion} ${d.manifest.kind}`;
        if (!hasPinnedSchema(d.manifest.apiVersion, d.manifest.kind)) {
          unpinned.add(k);
          continue;
        }
        expect([k, d.manifest.metadata.name, validateManifest(d.manifest)]).toStrictEqual([k, d.manifest.metadata.name, []]);
        checked++;
      }
    }
    // The ConfigurationPolicies that carry them, too.
    for (const p of policy.objects.filter((o) => o.kind === 'Policy')) {
      for (const t of p.spec['policy-templates']) expect(validateManifest(t.objectDefinition)).toStrictEqual([]);
    }
    expect([...unpinned].sort()).toStrictEqual([...UNPINNED].sort());
    expect(checked).toBeGreaterThan(50);
  });

  test('no Secret and no credential is rendered', () => {
    for (const r of all) {
      const d = unwrap(r.objects);
      expect(d.filter((x) => x.manifest.kind === 'Secret')).toStrictEqual([]);
      const text = r.files.map((f) => f.content).join('\n');
      expect(text).not.toMatch(/dummy123|ztpfwoauthsecret|\bsecret: [A-Za-z0-9+/=]{8,}$|SUPER_USERS:\s*\[/m);
      for (const c of d.filter((x) => x.manifest.kind === 'OAuthClient')) expect(c.manifest).not.toHaveProperty('secret');
    }
  });

  test('policies: every dependency names a rendered or enabled Policy, bound by a PlacementBinding; no cycle', () => {
    const full = render(path.join(ROOT, 'examples', 'policy-delivery.yaml')).objects as unknown as Obj[];
    const policies = full.filter((o) => o.kind === 'Policy');
    const names = new Set(policies.map((p) => p.metadata.name));
    const bound = new Set(full.filter((o) => o.kind === 'PlacementBinding').flatMap((b) => b.subjects.map((s: Obj) => s.name)));
    const edges = new Map<string, string[]>();
    for (const p of policy.objects.filter((o) => o.kind === 'Policy')) {
      expect(bound).toContain(p.metadata.name);
      const deps = (p.spec.dependencies ?? []).map((d: Obj) => d.name as string);
      edges.set(p.metadata.name, deps);
      // A dependency on a bundle another developer renders must at least be one the cluster enables.
      for (const dep of deps) {
        const [, bundle] = /^gpu-compact-([a-z]+)-/.exec(dep) ?? [];
        expect(names.has(dep) || ['storage', 'nmstate', 'metallb'].includes(bundle)).toBe(true);
      }
    }
    const visiting = new Set<string>();
    const visit = (n: string, depth: number): void => {
      if (visiting.has(n)) throw new Error(`cycle through ${n}`);
      visiting.add(n);
      for (const d of edges.get(n) ?? []) visit(d, depth + 1);
      visiting.delete(n);
    };
    for (const n of edges.keys()) visit(n, 0);
    expect(edges.get('gpu-compact-registry-operator')).toStrictEqual(['gpu-compact-storage-odf', 'gpu-compact-disconnected-olm']);
    expect(edges.get('gpu-compact-gpu-operators')).toStrictEqual(['gpu-compact-disconnected-olm']);
  });
});

describe('registry bundle', () => {
  const d = unwrap(manifestwork.objects);

  test('Quay operator from the catalogue, a small QuayRegistry on ODF object storage, config bundle from the Job', () => {
    expect(find(d, 'Subscription', 'quay-operator', 'sno-01').manifest.spec).toMatchObject({ name: 'quay-operator', channel: 'stable-3.13', source: 'redhat-operators' });
    const qr = find(d, 'QuayRegistry', 'ztpfw-registry', 'sno-01').manifest as Obj;
    expect(qr.metadata.namespace).toBe('ztpfw-registry');
    expect(qr.spec.configBundleSecret).toBe('config-bundle-secret');
    const managed = Object.fromEntries(qr.spec.components.map((c: Obj) => [c.kind, c.managed]));
    expect(managed).toStrictEqual({
      quay: true, postgres: true, redis: true, objectstorage: true, route: true, tls: true,
      clair: false, clairpostgres: false, mirror: false, horizontalpodautoscaler: false, monitoring: false,
    });
    expect(qr.spec.components.find((c: Obj) => c.kind === 'quay').overrides).toStrictEqual({ replicas: 1 });
    const job = find(d, 'Job', 'quay-bootstrap', 'sno-01').manifest as Obj;
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
    expect(env).toMatchObject({ CONFIG_SECRET: 'config-bundle-secret', QUAY_HOST: 'ztpfw-registry-quay-ztpfw-registry.apps.sno-01.factory.example.com', ORGANIZATION: 'ztpfw' });
    expect(job.spec.template.spec.containers[0].image).toBe('registry.redhat.io/openshift4/ose-tools-rhel8:v4.14');
    expect(job.spec.backoffLimit).toBe(2);
    expect(job.spec.activeDeadlineSeconds).toBe(3600);
  });

  test('stages in order: operator, bootstrap, quay; Image cluster applied server-side', () => {
    const works = manifestwork.objects.filter((o) => o.file.startsWith('clusters/sno-01/registry/'));
    expect(works.map((w) => [w.metadata.name, w.metadata.labels['ztpfw.io/stage']]).sort()).toStrictEqual([
      ['ztpfw-registry-bootstrap', '1'], ['ztpfw-registry-operator', '0'], ['ztpfw-registry-quay', '2'],
    ]);
    const quay = works.find((w) => w.metadata.name === 'ztpfw-registry-quay')!;
    expect(quay.spec.manifestConfigs).toStrictEqual([{
      resourceIdentifier: { group: 'config.openshift.io', resource: 'images', name: 'cluster' },
      updateStrategy: { type: 'ServerSideApply' },
    }]);
  });
});

describe('ui bundle', () => {
  const d = unwrap(manifestwork.objects);

  test('Route, Service with serving cert, Deployment reading the generated secret, OAuthClient without one', () => {
    expect(find(d, 'Route', 'ztpfw-ui', 'compact-01').manifest.spec).toMatchObject({
      host: 'edge-cluster-setup.apps.compact-01.factory.example.com',
      tls: { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect' },
      to: { kind: 'Service', name: 'ztpfw-ui' },
    });
    expect(find(d, 'Service', 'ztpfw-ui', 'compact-01').manifest.metadata.annotations).toStrictEqual({ 'service.beta.openshift.io/serving-cert-secret-name': 'ztpfw-ui-tls' });
    const dep = find(d, 'Deployment', 'ztpfw-ui', 'compact-01').manifest as Obj;
    const c = dep.spec.template.spec.containers[0];
    // Our own image (ui/), pinned to the UI package's version, never the original's :latest.
    const uiVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'ui', 'package.json'), 'utf8')).version;
    expect(c.image).toBe(`ghcr.io/ztpfw-gitops/ztpfw-ui:${uiVersion}`);
    // Exactly the settings ui/src/server/config.ts reads.
    expect(c.env).toStrictEqual([
      { name: 'PORT', value: '3000' },
      { name: 'FRONTEND_URL', value: 'https://edge-cluster-setup.apps.compact-01.factory.example.com' },
      { name: 'OAUTH2_CLIENT_ID', value: 'ztpfwoauth' },
      { name: 'OAUTH2_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'ztpfw-ui-oauth', key: 'client-secret' } } },
      { name: 'INTERNAL_NETWORK', value: '192.168.7.0/24' },
      { name: 'TLS_CERT_DIR', value: '/app/certs' },
      { name: 'TRUST_BUNDLE_FILE', value: '/etc/ztpfw-ui/trust/ca-bundle.crt' },
    ]);
    const config = fs.readFileSync(path.join(ROOT, 'ui', 'src', 'server', 'config.ts'), 'utf8');
    for (const e of c.env) expect(config).toMatch(new RegExp(`env\\.${e.name}\\b|need\\('${e.name}'\\)`));
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTPS' });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', scheme: 'HTTPS' });
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(dep.spec.template.spec.volumes).toContainEqual({ name: 'trust', configMap: { name: 'ztpfw-ui-trust', optional: true } });
    const client = find(d, 'OAuthClient', 'ztpfwoauth', 'compact-01').manifest as Obj;
    expect(client).toStrictEqual({
      apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthClient', metadata: { name: 'ztpfwoauth', labels: { app: 'ztpfw-ui' } },
      grantMethod: 'auto', redirectURIs: ['https://edge-cluster-setup.apps.compact-01.factory.example.com/login/callback'],
    });
    // The ServiceAccount may create TokenReviews and nothing else (no system:auth-delegator: no SubjectAccessReviews).
    const role = find(d, 'ClusterRole', 'ztpfw-ui-tokenreview', 'compact-01').manifest as Obj;
    expect(role.rules).toStrictEqual([{ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] }]);
    const crb = find(d, 'ClusterRoleBinding', 'ztpfw-ui-tokenreview', 'compact-01').manifest as Obj;
    expect(crb.roleRef).toStrictEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ztpfw-ui-tokenreview' });
    expect(crb.subjects).toStrictEqual([{ kind: 'ServiceAccount', name: 'ztpfw-ui', namespace: 'ztpfw-ui' }]);
    const bindsUi = (x: Delivered) => /RoleBinding$/.test(x.manifest.kind) && x.file.includes('/compact-01/') && (x.manifest as Obj).subjects?.some((s: Obj) => s.name === 'ztpfw-ui');
    expect(d.filter(bindsUi).map((x) => x.manifest.metadata.name)).toStrictEqual(['ztpfw-ui-tokenreview']);
    expect(dep.spec.template.spec.serviceAccountName).toBe('ztpfw-ui');
  });

  test('the generated secret survives delivery: server-side apply (manifestwork), musthave (policy)', () => {
    const work = manifestwork.objects.find((o) => o.metadata.name === 'ztpfw-ui-oauth' && o.metadata.namespace === 'compact-01')!;
    expect(work.spec.manifestConfigs).toContainEqual({
      resourceIdentifier: { group: 'oauth.openshift.io', resource: 'oauthclients', name: 'ztpfwoauth' },
      updateStrategy: { type: 'ServerSideApply' },
    });
    const pol = policy.objects.find((o) => o.metadata.name === 'gpu-compact-ui-oauth')!;
    const templates = pol.spec['policy-templates'][0].objectDefinition.spec['object-templates'];
    expect(templates.find((t: Obj) => t.objectDefinition.kind === 'OAuthClient').complianceType).toBe('musthave');
  });
});

describe('disconnected bundle', () => {
  const d = unwrap(manifestwork.objects);

  test('catalog and mirror sets point at the oc-mirror layout of the hub registry (no olm/ prefix)', () => {
    expect(find(d, 'CatalogSource', 'redhat-operators', 'sno-01').manifest.spec).toMatchObject({
      sourceType: 'grpc', image: 'ztpfw-registry.apps.hub.factory.example.com/redhat/redhat-operator-index:v4.14',
    });
    expect(d.filter((x) => x.file.startsWith('clusters/sno-01/') && x.manifest.kind === 'CatalogSource').map((x) => x.manifest.metadata.name)).toStrictEqual(['redhat-operators']);
    const idms = find(d, 'ImageDigestMirrorSet', 'ztpfw-hub-mirror', 'sno-01').manifest as Obj;
    expect(idms.spec.imageDigestMirrors).toContainEqual({ source: 'registry.redhat.io', mirrors: ['ztpfw-registry.apps.hub.factory.example.com'] });
    expect(JSON.stringify(d.map((x) => x.manifest))).not.toContain('/olm/');
    expect(find(d, 'OperatorHub', 'cluster', 'sno-01').manifest.spec).toStrictEqual({ disableAllDefaultSources: true });
    const job = find(d, 'Job', 'hub-registry-ca', 'sno-01').manifest as Obj;
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'CA_SOURCE', value: 'install' });
  });

  test('a registry host with a port keeps it whole (F22); its CA comes from the fleet config', () => {
    const c = unwrap(custom.objects);
    expect((find(c, 'CatalogSource', 'redhat-operators').manifest as Obj).spec.image).toBe('registry.factory.example.com:5000/redhat/redhat-operator-index:v4.14');
  });

  test('the gpu cluster also gets the certified catalog', () => {
    const p = unwrap(policy.objects);
    expect(p.filter((x) => x.manifest.kind === 'CatalogSource').map((x) => [x.file.split('/')[1], x.manifest.metadata.name])).toStrictEqual([
      ['gpu-compact', 'certified-operators'], ['gpu-compact', 'redhat-operators'], ['sno-policy', 'redhat-operators'],
    ]);
  });

  test('OpenShift 4.12 (ImageContentSourcePolicy only) runs connected fleets only: a disconnected one is a located error', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples', 'sno-single-nic.yaml'), 'utf8')
      .replace(/OC_OCP_VERSION: "[^"]+"/, 'OC_OCP_VERSION: "4.12.30"').replace(/OC_ODF_VERSION: "[^"]+"/, 'OC_ODF_VERSION: "4.12"');
    const file = tempFleet(text);
    const refused = loadFleet(file);
    expect(refused.fleet).toBeUndefined();
    const line = text.split('\n').findIndex((l) => l.includes('OC_OCP_VERSION')) + 1;
    expect(refused.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toStrictEqual([
      `${file}:${line}:19: error: OpenShift 4.12.30 cannot run a disconnected fleet: the fleet is disconnected (DISCONNECTED defaults to true), and before 4.13 the only mirror set is ImageContentSourcePolicy, which redirects pulls by digest only, so the images of the Jobs, the registry and the UI, named by tag, would be pulled from the internet; use OpenShift 4.13 or newer (ImageTagMirrorSet), or set DISCONNECTED: false for a fleet whose clusters reach the internet`,
    ]);
    const connected = render(tempFleet(text.replace(/^config:\n/m, 'config:\n  DISCONNECTED: false\n')));
    expect(connected.objects.filter((o) => o.file.includes('/disconnected/'))).toStrictEqual([]);
    expect(connected.objects.filter((o) => /MirrorSet|ContentSourcePolicy/.test(o.kind))).toStrictEqual([]);
  });

  test('edgeRegistryShape: the same layout under the edge Quay organisation', () => {
    const fleet = loadFleet(path.join(ROOT, 'clusters')).fleet!;
    const sno = fleet.clusters.find((c) => c.name === 'sno-01')!;
    const stages = edgeRegistryShape(fleet.config, sno);
    const quay = 'ztpfw-registry-quay-ztpfw-registry.apps.sno-01.factory.example.com/ztpfw';
    const idms = stages[0].manifests.find((m) => m.kind === 'ImageDigestMirrorSet') as Obj;
    expect(idms.metadata.name).toBe('ztpfw-edge-mirror');
    expect(idms.spec.imageDigestMirrors).toContainEqual({ source: 'quay.io/openshift-release-dev/ocp-release', mirrors: [`${quay}/openshift/release-images`] });
    expect((stages[1].manifests[0] as Obj).spec.image).toBe(`${quay}/redhat/redhat-operator-index:v4.14`);
    for (const s of stages) for (const m of s.manifests) if (hasPinnedSchema(m.apiVersion, m.kind)) expect(validateManifest(m)).toStrictEqual([]);
  });
});

describe('gpu bundle', () => {
  const p = unwrap(policy.objects);

  test('NFD and the GPU operator on the channel of the input version, with no startingCSV', () => {
    expect(find(p, 'Subscription', 'gpu-operator-certified').manifest.spec).toStrictEqual({
      name: 'gpu-operator-certified', channel: 'v23.9', source: 'certified-operators', sourceNamespace: 'openshift-marketplace',
      installPlanApproval: 'Automatic',
    });
    expect(find(p, 'Subscription', 'nfd').manifest.spec).toMatchObject({ channel: 'stable', source: 'redhat-operators' });
    expect(find(p, 'NodeFeatureDiscovery', 'nfd-instance').manifest.metadata.namespace).toBe('openshift-nfd');
    expect((find(p, 'ClusterPolicy', 'gpu-cluster-policy').manifest as Obj).spec.operator).toStrictEqual({ defaultRuntime: 'crio', use_ocp_driver_toolkit: true });
  });

  test('no version → stable; a minor only → its channel without a starting CSV; a bad version is a located error', () => {
    const base = fs.readFileSync(path.join(ROOT, 'examples', 'policy-delivery.yaml'), 'utf8');
    const sub = (text: string) => unwrap(ours(tempFleet(text)).objects).find((x) => x.manifest.metadata.name === 'gpu-operator-certified')!.manifest.spec as Obj;
    expect(sub(base.replace('          version: v23.9.1\n', '')).channel).toBe('stable');
    const minor = sub(base.replace('version: v23.9.1', 'version: "24.3"'));
    expect([minor.channel, minor.startingCSV]).toStrictEqual(['v24.3', undefined]);
    const bad = loadFleet(tempFleet(base.replace('version: v23.9.1', 'version: latest'), 'bad.yaml'));
    expect(bad.fleet).toBeUndefined();
    expect(bad.diagnostics.map(formatDiagnostic).join('\n')).toMatch(/bad\.yaml:\d+:\d+: error: gpu-operator "version" must be a GPU operator release/);
  });
});

describe('Jobs', () => {
  const d = [...unwrap(manifestwork.objects), ...unwrap(custom.objects)];
  const jobs = d.filter((x) => x.manifest.kind === 'Job');

  test('each Job: own ServiceAccount, backoffLimit, deadline, RBAC covering exactly the API calls of its script', () => {
    expect(new Set(jobs.map((j) => j.manifest.metadata.name))).toStrictEqual(new Set(['quay-bootstrap', 'ui-oauth-secret', 'hub-registry-ca']));
    for (const j of jobs) {
      const job = j.manifest as Obj;
      const ns = job.metadata.namespace;
      const same = d.filter((x) => x.carrier === j.carrier).map((x) => x.manifest as Obj);
      const spec = job.spec.template.spec;
      expect(spec.serviceAccountName).toBe(job.metadata.name);
      expect(same.some((m) => m.kind === 'ServiceAccount' && m.metadata.name === job.metadata.name && m.metadata.namespace === ns)).toBe(true);
      expect(job.spec.backoffLimit).toBeGreaterThan(0);
      expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      const subjectIsJob = (b: Obj) => b.subjects.some((s: Obj) => s.name === job.metadata.name && s.namespace === ns);
      const rules = [
        ...same.filter((m) => m.kind === 'ClusterRoleBinding' && subjectIsJob(m)).flatMap((b) => same.find((m) => m.kind === 'ClusterRole' && m.metadata.name === b.roleRef.name)!.rules.map((rule: Obj) => ({ namespace: undefined as string | undefined, rule }))),
        ...same.filter((m) => m.kind === 'RoleBinding' && subjectIsJob(m)).flatMap((b) => same.find((m) => m.kind === 'Role' && m.metadata.name === b.roleRef.name && m.metadata.namespace === b.metadata.namespace)!.rules.map((rule: Obj) => ({ namespace: b.metadata.namespace as string | undefined, rule }))),
      ];
      const cm = same.find((m) => m.kind === 'ConfigMap' && m.metadata.name === `${job.metadata.name}-scripts`)!;
      const file = spec.containers[0].command[1].replace('/scripts/', '');
      const env = Object.fromEntries(spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
      const calls = apiCalls(cm.data[file], env);
      expect(calls.length).toBeGreaterThan(0);
      expectRulesMatchCalls(job.metadata.name, rules, calls);
    }
  });

  const scripts = BUNDLES.flatMap((b) => {
    const dir = path.join(ROOT, 'charts', b, 'scripts');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => path.join(dir, f)) : [];
  });

  test.each(scripts)('%s is valid bash, passes shellcheck and prints no secret', (file) => {
    execFileSync('bash', ['-n', file]);
    expect(shellcheck(file)).toBe('');
    const s = fs.readFileSync(file, 'utf8');
    expect(s).not.toMatch(/set -[a-z]*x|curl -k|--insecure|echo[^\n]*\$(password|token|secret)\b/);
  });
});

describe('golden day-2 bundles', () => {
  test.each([['manifestwork', manifestwork], ['policy', policy], ['manifestwork-custom-registry', custom]] as const)('%s', (_mode, r) => {
    const byPath: Record<string, string> = {};
    for (const f of r.files) byPath[f.path] = f.content;
    expect(byPath).toMatchSnapshot();
  });
});

describe('the UI (ui/) and the bundles it edits agree on names', () => {
  // ui/ is its own package; it repeats the names it needs, and this keeps them equal to what we render.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ui = require('../../ui/src/server/names') as typeof import('../../ui/src/server/names');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const metallb = require('../../charts/metallb') as typeof import('../../charts/metallb');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const uiChart = require('../../charts/ui') as typeof import('../../charts/ui');

  test('MetalLB pools, advertisements and Services', () => {
    const shape = (e: { pool: string; service: string; serviceNamespace: string; selector: object; ports: readonly object[] }) =>
      ({ pool: e.pool, service: e.service, serviceNamespace: e.serviceNamespace, selector: e.selector, ports: e.ports });
    expect(shape(ui.API_ENDPOINT)).toStrictEqual(shape(metallb.API_ENDPOINT));
    expect(shape(ui.INGRESS_ENDPOINT)).toStrictEqual(shape(metallb.INGRESS_ENDPOINT));
    expect(ui.METALLB_NAMESPACE).toBe(metallb.NAMESPACE);
    expect(ui.POOL_ANNOTATION).toBe(metallb.POOL_ANNOTATION);
    expect(ui.ANNOUNCE_INTERFACE).toBe(metallb.ANNOUNCE_INTERFACE);
  });

  test('namespace, OAuth client, Service, Route and the trust ConfigMap', () => {
    expect(ui.UI_NAMESPACE).toBe(uiChart.UI_NAMESPACE);
    expect([ui.UI_ROUTE, ui.UI_SERVICE]).toStrictEqual([uiChart.UI_NAME, uiChart.UI_NAME]);
    expect(ui.OAUTH_CLIENT).toBe(uiChart.OAUTH_CLIENT);
    expect(ui.TRUST_CONFIGMAP).toBe(uiChart.TRUST_CONFIGMAP);
    expect(uiChart.uiHost({ baseDomain: 'x.example' } as never, { name: 'c' })).toMatch(new RegExp(`^${ui.UI_HOST_PREFIX}\\.apps\\.`));
  });
});
