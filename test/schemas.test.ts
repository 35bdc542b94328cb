/**
 * Proves rendered output valid offline: (a) the validator itself, (b) every object of every render against the
 * pinned schemas, (c) the rules Argo CD and Git need of the files, (d) a real `kubectl kustomize` over `dist/`.
 * Renders are discovered, not listed: every chart family that renders anything is checked here automatically.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { writeAtomically } from '../cli/render';
import { SYNC_WAVE_ANNOTATION } from '../charts/common/waves';
import { kustomizeBuild } from './support/kustomize';
import { kubectlOrNotRun } from './support/tools';
import { findObject, objectsOfKind, REPO_ROOT, renderFleet } from './support/render';
import { hasPinnedSchema, isNamespaced, validateManifest } from './support/schemas';

/**
 * Kinds we render although no schema for them is pinned in schemas/. Their objects get every check except the
 * schema: the only finding allowed for them is "no pinned schema".
 */
const NO_PINNED_SCHEMA: Readonly<Record<string, string>> = {
  // The cluster-baremetal-operator's CRD is not among the pinned metal3 CRDs (only BareMetalHost is).
  'metal3.io/v1alpha1 Provisioning': 'no CRD pinned',
  // Served by the cluster config operator; openshift/api's OpenAPI document has them, but from master rather than
  // 4.14, and with Go-struct `required` lists (OperatorHub requires `status`) that the server does not enforce.
  'config.openshift.io/v1 Image': 'no CRD pinned; OpenAPI definition not a faithful validator',
  'config.openshift.io/v1 OperatorHub': 'no CRD pinned; OpenAPI definition not a faithful validator',
  // Installed by the ACM operator bundle, whose CRD is not pinned.
  'operator.open-cluster-management.io/v1 MultiClusterHub': 'no CRD pinned',
  // The OpenShift GitOps operator's ArgoCD CRD (argoproj-labs/argocd-operator) is not pinned.
  'argoproj.io/v1beta1 ArgoCD': 'no CRD pinned',
};

const gvk = (o: { apiVersion?: unknown; kind?: unknown }) => `${String(o.apiVersion)} ${String(o.kind)}`;

/** The inputs whose renders must be valid: the committed fleet and every example. */
const INPUTS = [
  'clusters',
  ...fs
    .readdirSync(path.join(REPO_ROOT, 'examples'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `examples/${f}`),
];

function baremetalHost(spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'ztpfw-sno-01-master-0', namespace: 'sno-01', labels: { 'infraenvs.agent-install.openshift.io': 'sno-01' } },
    spec: {
      online: true,
      bootMACAddress: '3c:ec:ef:10:20:01',
      automatedCleaningMode: 'disabled',
      bmc: { address: 'redfish-virtualmedia://10.10.0.11/redfish/v1/Systems/1', credentialsName: 'ztpfw-sno-01-master-0-bmc', disableCertificateVerification: true },
      rootDeviceHints: { deviceName: '/dev/nvme0n1' },
      ...spec,
    },
  };
}

function route(port: unknown) {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'registry', namespace: 'ztpfw-registry' },
    spec: { to: { kind: 'Service', name: 'registry', weight: 100 }, port: { targetPort: port }, tls: { termination: 'edge' } },
  };
}

function configMap(metadata: Record<string, unknown> = {}, data: Record<string, unknown> = { 'registries.conf': '[registries]' }) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mirror-registries', namespace: 'sno-01', ...metadata }, data };
}

describe('validateManifest', () => {
  test('valid objects of each origin have no findings: CRD, core, CRD with a null keyword, OpenAPI', () => {
    expect(validateManifest(baremetalHost())).toStrictEqual([]);
    expect(validateManifest(configMap())).toStrictEqual([]);
    expect(validateManifest(route(8443))).toStrictEqual([]);
    expect(
      validateManifest({
        apiVersion: 'oauth.openshift.io/v1',
        kind: 'OAuthClient',
        metadata: { name: 'ztpfw-ui' },
        grantMethod: 'auto',
        redirectURIs: ['https://ztpfw-ui.apps.hub.example.com/oauth/callback'],
      }),
    ).toStrictEqual([]);
  });

  test('a wrong type is reported at its path', () => {
    expect(validateManifest(baremetalHost({ online: 'yes' }))).toStrictEqual(['spec.online: must be boolean, got string']);
    expect(validateManifest(configMap({}, { replicas: 3 }))).toStrictEqual(['data.replicas: must be string, got integer']);
  });

  test('a missing required field is reported with its full path', () => {
    expect(validateManifest(baremetalHost({ bmc: { address: 'redfish://10.0.0.1' } }))).toStrictEqual(['missing required field spec.bmc.credentialsName']);
    const noTarget = route(443);
    delete (noTarget.spec as Partial<typeof noTarget.spec>).to;
    expect(validateManifest(noTarget)).toStrictEqual(['missing required field spec.to']);
  });

  test('an unknown CRD field is reported as pruned, at any depth, metadata included', () => {
    expect(validateManifest(baremetalHost({ bootMacAddress: '3c:ec:ef:10:20:01' }))).toStrictEqual(['unknown field spec.bootMacAddress (would be pruned)']);
    expect(validateManifest(baremetalHost({ rootDeviceHints: { device: '/dev/sda' } }))).toStrictEqual(['unknown field spec.rootDeviceHints.device (would be pruned)']);
    const withTypo = { ...baremetalHost(), metadata: { name: 'h', namespace: 'n', label: { a: 'b' } } };
    expect(validateManifest(withTypo)).toStrictEqual(['unknown field metadata.label (would be pruned)']);
  });

  test('an unknown field of a core kind is reported, inside nested definitions too', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ztpfw-ui', namespace: 'ztpfw-ui' },
      spec: {
        selector: { matchLabels: { app: 'ztpfw-ui' } },
        template: { metadata: { labels: { app: 'ztpfw-ui' } }, spec: { containerz: [], containers: [{ name: 'ui', image: 'quay.io/x/ui:1' }] } },
      },
    };
    expect(validateManifest(deployment)).toStrictEqual(['unknown field spec.template.spec.containerz']);
    expect(validateManifest({ ...configMap(), datas: {} })).toStrictEqual(['unknown field datas']);
  });

  test('x-kubernetes-int-or-string accepts an integer or a string and nothing else', () => {
    expect(validateManifest(route(8443))).toStrictEqual([]);
    expect(validateManifest(route('https'))).toStrictEqual([]);
    expect(validateManifest(route(true))).toStrictEqual(['spec.port.targetPort: must be integer or string, got boolean']);
    expect(validateManifest(route({ port: 1 }))).toStrictEqual(['spec.port.targetPort: must be integer or string, got object']);
  });

  test('x-kubernetes-preserve-unknown-fields allows any content; an embedded resource still needs apiVersion and kind', () => {
    const work = (manifests: unknown[]) => ({
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: { name: 'ztpfw-config', namespace: 'sno-01' },
      spec: { workload: { manifests } },
    });
    const anything = { apiVersion: 'example.com/v1', kind: 'Whatever', metadata: { name: 'x' }, spec: { any: { nested: [1, 'two', { three: true }] } } };
    expect(validateManifest(work([anything]))).toStrictEqual([]);
    expect(validateManifest(work([{ spec: {} }]))).toStrictEqual([
      'missing required field spec.workload.manifests[0].apiVersion',
      'missing required field spec.workload.manifests[0].kind',
    ]);
    // The embedded metadata is a real ObjectMeta, so it is pruned like any other.
    expect(validateManifest(work([{ ...anything, metadata: { name: 'x', lables: {} } }]))).toStrictEqual([
      'unknown field spec.workload.manifests[0].metadata.lables (would be pruned)',
    ]);
  });

  test('names, namespaces, label keys and label values follow Kubernetes syntax', () => {
    expect(validateManifest(configMap({ labels: { 'ztpfw.io/cluster': 'has space' } }))).toStrictEqual([
      'metadata.labels["ztpfw.io/cluster"]: value "has space" is not a label value (at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric)',
    ]);
    expect(validateManifest(configMap({ labels: { 'ztpfw.io/cluster': 'x'.repeat(64) } }))).toHaveLength(1);
    expect(validateManifest(configMap({ labels: { 'ztpfw.io/cluster': 'x'.repeat(63) } }))).toStrictEqual([]);
    expect(validateManifest(configMap({ labels: { 'Bad_Prefix/name': 'v' } }))).toStrictEqual([
      'metadata.labels["Bad_Prefix/name"]: key is not a qualified name (optional DNS-subdomain prefix and \'/\', then at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending alphanumeric)',
    ]);
    expect(validateManifest(configMap({ name: 'Mirror_Registries' }))).toStrictEqual([
      'metadata.name: "Mirror_Registries" is not a DNS subdomain (lower-case alphanumerics, \'-\' and \'.\', at most 253 characters)',
    ]);
    expect(validateManifest(configMap({ name: 'a.b' }))).toStrictEqual([]);
    expect(validateManifest(configMap({ namespace: 'a.b' }))).toStrictEqual([
      'metadata.namespace: "a.b" is not a DNS label (lower-case alphanumerics and \'-\', at most 63 characters)',
    ]);
    const cluster = (name: string) => ({ apiVersion: 'cluster.open-cluster-management.io/v1', kind: 'ManagedCluster', metadata: { name }, spec: { hubAcceptsClient: true } });
    expect(validateManifest(cluster('sno-01'))).toStrictEqual([]);
    expect(validateManifest(cluster('a.b'))).toStrictEqual([
      'metadata.name: "a.b" is not a DNS label (lower-case alphanumerics and \'-\', at most 63 characters), which a ManagedCluster name must be',
    ]);
    expect(validateManifest(cluster('x'.repeat(64)))).toHaveLength(1);
    const { name: _name, ...noName } = configMap().metadata;
    void _name;
    expect(validateManifest({ ...configMap(), metadata: noName })).toStrictEqual(['missing required field metadata.name']);
  });

  test('a kind without a pinned schema is a finding of its own; hasPinnedSchema knows every origin', () => {
    expect(validateManifest({ apiVersion: 'metal3.io/v1alpha1', kind: 'Provisioning', metadata: { name: 'provisioning-configuration' } })).toStrictEqual([
      'no pinned schema for metal3.io/v1alpha1 Provisioning',
    ]);
    expect(hasPinnedSchema('hive.openshift.io/v1', 'ClusterImageSet')).toBe(true);
    expect(hasPinnedSchema('nmstate.io/v1beta1', 'NMState')).toBe(true); // a second served version
    expect(hasPinnedSchema('v1', 'Secret')).toBe(true);
    expect(hasPinnedSchema('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')).toBe(true);
    expect(hasPinnedSchema('oauth.openshift.io/v1', 'OAuthClient')).toBe(true);
    expect(hasPinnedSchema('hive.openshift.io/v2', 'ClusterImageSet')).toBe(false);
    expect(isNamespaced('metal3.io/v1alpha1', 'BareMetalHost')).toBe(true);
    expect(isNamespaced('hive.openshift.io/v1', 'ClusterImageSet')).toBe(false);
    expect(isNamespaced('v1', 'Namespace')).toBe(false);
    expect(isNamespaced('v1', 'ConfigMap')).toBe(true);
  });

  test('the exemption list names only kinds that really have no pinned schema', () => {
    for (const k of Object.keys(NO_PINNED_SCHEMA)) {
      const [apiVersion, kind] = k.split(' ');
      expect([k, hasPinnedSchema(apiVersion, kind)]).toStrictEqual([k, false]);
    }
  });
});

describe.each(INPUTS)('render of %s', (input) => {
  const render = () => renderFleet(input);

  test('every object validates against its pinned schema (exempt kinds: only "no pinned schema")', () => {
    const findings = render().objects.flatMap(({ path: p, obj }) => {
      const allowed = NO_PINNED_SCHEMA[gvk(obj)] !== undefined ? [`no pinned schema for ${gvk(obj)}`] : [];
      return validateManifest(obj)
        .filter((f) => !allowed.includes(f))
        .map((f) => `${p}: ${f}`);
    });
    expect(findings).toStrictEqual([]);
  });

  test('namespaced kinds carry a namespace, cluster-scoped kinds none', () => {
    const wrong = render().objects.flatMap(({ path: p, obj }) => {
      const namespaced = isNamespaced(obj.apiVersion, obj.kind);
      const ns = obj.metadata?.namespace;
      if (namespaced === true && !ns) return [`${p}: namespaced ${obj.kind} without metadata.namespace`];
      if (namespaced === false && ns !== undefined) return [`${p}: cluster-scoped ${obj.kind} with metadata.namespace`];
      return [];
    });
    expect(wrong).toStrictEqual([]);
  });

  test('every kustomization.yaml lists exactly the files of its folder and the kustomized folders below it', () => {
    const { files, kustomizations } = render();
    const byDir = new Map<string, string[]>();
    for (const f of files) {
      const dir = path.posix.dirname(f.path);
      byDir.set(dir, [...(byDir.get(dir) ?? []), path.posix.basename(f.path)]);
    }
    // Every folder that holds a file has its kustomization (so Argo CD can point an Application at it), except the
    // per-cluster AppProjects, which an Application syncs as a plain directory so that no file lists them.
    expect(kustomizations.map((k) => k.dir).sort()).toStrictEqual([...byDir.keys()].filter((d) => d !== 'argocd/projects').sort());
    expect((byDir.get('argocd/projects') ?? []).filter((n) => !n.startsWith('appproject-'))).toStrictEqual([]);
    const kustomized = new Set(kustomizations.map((k) => k.dir));
    for (const k of kustomizations) {
      expect(k.obj).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
      const own = byDir.get(k.dir)!.filter((n) => n !== 'kustomization.yaml');
      const below = [...kustomized].filter((d) => d.startsWith(`${k.dir}/`) && !d.slice(k.dir.length + 1).includes('/')).map((d) => d.slice(k.dir.length + 1));
      expect([k.dir, [...k.resources].sort()]).toStrictEqual([k.dir, [...own, ...below].sort()]);
    }
  });

  test('every object has an integer sync wave; paths stay under 255 characters; identities are unique', () => {
    const { objects, files } = render();
    expect(objects.length).toBeGreaterThan(0);
    const noWave = objects.filter(({ obj }) => !/^-?\d+$/.test(String(obj.metadata?.annotations?.[SYNC_WAVE_ANNOTATION] ?? ''))).map((o) => o.path);
    expect(noWave).toStrictEqual([]);
    expect(files.map((f) => `dist/${f.path}`).filter((p) => p.length >= 255)).toStrictEqual([]);
    // Two versions of one group are the same resource to the API server, so the group is the identity.
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { path: p, obj } of objects) {
      const group = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/')[0] : '';
      const id = `${group} ${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
      if (seen.has(id)) duplicates.push(`${seen.get(id)} and ${p} are both ${id}`);
      else seen.set(id, p);
    }
    expect(duplicates).toStrictEqual([]);
  });
});

describe('kubectl kustomize (v5.6, as Argo CD runs it) over the rendered dist/', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-kustomize-')), 'dist');
    writeAtomically(out, renderFleet('clusters').files);
  });
  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  test('every rendered folder builds and yields exactly the objects of its files and of the folders below it', () => {
    const identity = (o: { apiVersion?: unknown; kind?: unknown; metadata?: { namespace?: unknown; name?: unknown } }) =>
      `${gvk(o)} ${String(o.metadata?.namespace ?? '')}/${String(o.metadata?.name)}`;
    const { kustomizations, objects } = renderFleet('clusters');
    expect(kustomizations.length).toBeGreaterThan(0);
    const kubectl = kubectlOrNotRun('kubectl kustomize of every rendered folder (test/schemas.test.ts)');
    if (!kubectl) return;
    for (const k of kustomizations) {
      const built = kustomizeBuild(path.join(out, k.dir), kubectl) as Parameters<typeof identity>[0][];
      const kustomized = (p: string) => kustomizations.some((x) => x.dir === path.posix.dirname(p));
      const expected = objects.filter((o) => o.path.startsWith(`${k.dir}/`) && kustomized(o.path)).map((o) => o.obj as Parameters<typeof identity>[0]);
      const sortById = <T extends Parameters<typeof identity>[0]>(list: T[]) => [...list].sort((a, b) => (identity(a) < identity(b) ? -1 : 1));
      expect([k.dir, sortById(built)]).toStrictEqual([k.dir, sortById(expected)]);
    }
  });

  test('a kustomization naming a missing file fails the build', () => {
    const dir = path.join(path.dirname(out), 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), YAML.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['missing.yaml'] }));
    const kubectl = kubectlOrNotRun('kubectl kustomize of a broken kustomization (test/schemas.test.ts)');
    if (!kubectl) return;
    expect(() => kustomizeBuild(dir, kubectl)).toThrow(/kubectl kustomize .*broken failed: .*missing\.yaml/s);
  });
});

describe('render helpers', () => {
  const fleetText = fs.readFileSync(path.join(REPO_ROOT, 'examples/sno-single-nic.yaml'), 'utf8');

  test('inline fleet YAML renders exactly like the same fleet read from its file', () => {
    const inline = renderFleet({ yaml: fleetText });
    expect(inline.files).toStrictEqual(renderFleet('examples/sno-single-nic.yaml').files);
    expect(renderFleet({ yaml: fleetText })).toBe(inline); // cached
  });

  test('an invalid fleet throws with the located diagnostics', () => {
    expect(() => renderFleet({ yaml: fleetText.replace('OC_OCP_VERSION: "4.14.25"', 'OC_OCP_VERSION: "four"') })).toThrow(
      /fleet \(inline YAML\) is invalid:\n.*edgeclusters\.yaml:\d+:\d+: error: .*OC_OCP_VERSION/,
    );
  });

  test('findObject finds exactly one object and says what exists when it does not', () => {
    const { objects } = renderFleet('clusters');
    const [first] = objects;
    expect(findObject(objects, first.obj.kind, first.obj.metadata.name, first.obj.metadata.namespace)).toBe(first);
    expect(objectsOfKind(objects, first.obj.kind)).toContain(first);
    expect(objectsOfKind(objects, 'NoSuchKind')).toStrictEqual([]);
    expect(() => findObject(objects, first.obj.kind, 'no-such-name')).toThrow(`no ${first.obj.kind} no-such-name rendered; ${first.obj.kind} objects: `);
    expect(() => findObject([first, first], first.obj.kind, first.obj.metadata.name)).toThrow(/^2 objects match/);
  });
});
