/**
 * `ztpfw verify` end to end: over the committed dist/, over a synth of every example, over renders with day-2
 * bundles in both delivery modes, and over outputs broken one way at a time (each check must be able to fail).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { Day2Bundle, Manifest } from '../../charts/common/day2';
import { ZtpChart } from '../../charts/common/chart';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, Io, run } from '../../cli/main';
import { renderApp, writeAtomically } from '../../cli/render';
import { checkReferences, K8sObject } from '../../cli/verify/references';
import type { Finding, VerifyReport } from '../../cli/verify/verify';
import { buildApp } from '../../main';
import { loadFleet } from '../../model/loader';
import type { Fleet } from '../../model/types';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Captured { code: number; stdout: string; stderr: string }
type Report = VerifyReport & { ok: boolean; out: string };

function cli(args: string[], cwd = ROOT, env: Record<string, string | undefined> = {}): Captured {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty: false, cwd };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return { code: run(args, io), stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** `verify --json` over `out` rendered from `input`; CI is unset so a test run outside CI behaves the same. */
function verify(out: string, input: string, extra: string[] = [], env: Record<string, string | undefined> = {}): { code: number; report: Report; stderr: string } {
  const r = cli(['verify', '--json', '-o', out, '-i', input, ...extra], ROOT, { CI: undefined, ...env });
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const errors = (r: Report): Finding[] => r.findings.filter((f) => f.severity === 'error');
const messages = (r: Report): string[] => errors(r).map((f) => `${f.class}: ${f.file ?? ''}: ${f.object ?? ''}: ${f.message}`);

function fleetOf(input: string): Fleet {
  const res = loadFleet(path.resolve(ROOT, input));
  if (!res.fleet) throw new Error(`${input} is invalid`);
  return res.fleet;
}

/** Renders `input` (plus `extra` charts) into a fresh `<tmp>/dist` and returns that folder. */
function renderTo(input: string, extra?: (app: App, fleet: Fleet) => void): string {
  const fleet = fleetOf(input);
  const app = buildApp(fleet);
  extra?.(app, fleet);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-verify-')), 'dist');
  writeAtomically(out, renderApp(app).files);
  return out;
}

/**
 * A day-2 bundle shaped like the real families (operator stage, then config), with names of its own so it never
 * collides with what the real bundles deliver: a CatalogSource, a namespace, its OperatorGroup and Subscription,
 * then a ConfigMap. `mutate` edits the stages before they are wrapped.
 */
const TEST_NS = 'verify-test';
function testBundle(mutate: (stages: Manifest[][]) => void = () => undefined) {
  return (app: App, fleet: Fleet) => {
    for (const c of fleet.clusters) {
      const chart = new ZtpChart(app, `verify-test-${c.name}`, { outputDir: `clusters/${c.name}/vt` });
      const stages: Manifest[][] = [[
        // An index the hub mirror holds, so the disconnected fleet stays air-gap closed.
        { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource', metadata: { name: 'verify-test-catalog', namespace: 'openshift-marketplace' }, spec: { sourceType: 'grpc', image: 'registry.redhat.io/redhat/redhat-operator-index:v4.14' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: TEST_NS } },
        { apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: `${TEST_NS}-operatorgroup`, namespace: TEST_NS }, spec: { targetNamespaces: [TEST_NS] } },
        { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription', metadata: { name: 'verify-test-operator', namespace: TEST_NS }, spec: { name: 'verify-test-operator', channel: 'stable', source: 'verify-test-catalog', sourceNamespace: 'openshift-marketplace' } },
      ], [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: TEST_NS }, data: { mode: 'test' } },
      ]];
      mutate(stages);
      new Day2Bundle(chart, 'bundle', { cluster: c.name, bundle: 'vt', mode: c.day2Delivery, stages: stages.map((m, i) => ({ name: ['op', 'cfg'][i], manifests: m })) });
    }
  };
}

/**
 * Error findings that verify reports on the examples today, each a real defect owned by another part of the
 * project. They are listed so the suite stays green while they are fixed; a test fails once one disappears.
 */
const KNOWN_FINDINGS: Readonly<Record<string, readonly RegExp[]>> = {};

function editYaml(file: string, change: (o: any) => void): void {
  const obj = jsyaml.load(fs.readFileSync(file, 'utf8'));
  change(obj);
  fs.writeFileSync(file, jsyaml.dump(obj, { noRefs: true, lineWidth: -1 }));
}

describe('ztpfw verify over good output', () => {
  test('a cluster in STATE standalone verifies: the catalogs the switch Job applies count as delivered', () => {
    // GIVEN the demonstration fleet with sno-01 switched to its own registry (the disconnected bundle is gone)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-verify-standalone-'));
    fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
    const file = path.join(dir, 'clusters/sno-01.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('      config:\n', '      config:\n        STATE: standalone\n'));
    const input = path.join(dir, 'clusters');
    const out = renderTo(input);
    expect(fs.existsSync(path.join(out, 'clusters/sno-01/disconnected'))).toBe(false);

    // WHEN
    const { code, report } = verify(out, input, ['--kustomize', 'skip']);

    // THEN the Subscriptions of sno-01 find the CatalogSources inside the switch ConfigMap
    expect(messages(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
  });

  test('the committed dist/ verifies: every check runs, kustomize included; only kinds without a pinned schema warn', () => {
    const { code, report } = verify('dist', 'clusters', ['--kustomize', 'require']);
    expect(messages(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
    expect(report.checks.map((c) => [c.name, c.skipped])).toStrictEqual([['schema', undefined], ['references', undefined], ['invariants', undefined], ['airgap', undefined], ['kustomize', undefined]]);
    expect(report.objects).toBe(fs.readdirSync(path.join(ROOT, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.yaml') && !String(f).endsWith('kustomization.yaml')).length);
    expect(new Set(report.findings.map((f) => f.class))).toStrictEqual(new Set(['no-schema']));
  });

  test.each(EXAMPLES)('a synth of examples/%s verifies (apart from its listed known findings)', (example) => {
    const out = renderTo(`examples/${example}`);
    const { code, report } = verify(out, `examples/${example}`, ['--kustomize', 'require']);
    const known = KNOWN_FINDINGS[example] ?? [];
    const unexpected = messages(report).filter((m) => !known.some((k) => k.test(m)));
    expect(unexpected).toStrictEqual([]);
    // Every known finding still occurs: the list cannot outlive the defect.
    expect(known.filter((k) => !messages(report).some((m) => k.test(m)))).toStrictEqual([]);
    expect(code).toBe(known.length ? EXIT_INVALID : EXIT_OK);
  });

  test.each([['policy', 'examples/compact-tpm.yaml', true], ['manifestwork', 'examples/sno-dual-nic.yaml', false]])('day-2 objects delivered by %s are unwrapped, checked per cluster, and verify', (mode, input, acm) => {
    // compact-tpm switched to policy delivery (needs ACM) so both modes run over a fleet without known findings.
    const text = fs.readFileSync(path.join(ROOT, input), 'utf8');
    const fleetFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-verify-fleet-')), 'fleet.yaml');
    fs.writeFileSync(fleetFile, acm ? text.replace(/^config:\n/m, 'config:\n  ACM_ENABLED: true\n  DAY2_DELIVERY: policy\n') : text);
    const baseline = verify(renderTo(fleetFile), fleetFile, ['--kustomize', 'skip']).report;
    const out = renderTo(fleetFile, testBundle());
    const { code, report } = verify(out, fleetFile, ['--kustomize', 'skip']);
    expect(messages(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
    const clusters = fleetOf(fleetFile).clusters;
    expect(clusters.every((c) => c.day2Delivery === mode)).toBe(true);
    expect(report.targets).toStrictEqual(['hub', ...clusters.map((c) => c.name).sort()]);
    // catalog, namespace, OperatorGroup, Subscription, ConfigMap; in policy mode also a ConfigurationPolicy per stage.
    const perCluster = mode === 'policy' ? 7 : 5;
    expect(report.embedded - baseline.embedded).toBe(perCluster * clusters.length);
    expect(report.kinds.Subscription - (baseline.kinds.Subscription ?? 0)).toBe(clusters.length);
  });

  test('--format json is the report --json prints; the two cannot disagree', () => {
    const a = cli(['verify', '--format', 'json', '--kustomize', 'skip'], ROOT, { CI: undefined });
    const b = cli(['verify', '--json', '--kustomize', 'skip'], ROOT, { CI: undefined });
    const strip = (s: string) => ({ ...JSON.parse(s), seconds: 0 });
    expect(a.code).toBe(EXIT_OK);
    expect(strip(a.stdout)).toStrictEqual(strip(b.stdout));
    expect(strip(a.stdout)).toMatchObject({ out: 'dist', input: 'clusters', ok: true });
    expect(cli(['verify', '--json', '--format', 'text']).stderr).toMatch(/^ztpfw: --json and --format text exclude each other/);
  });

  test('summary: objects by kind, checks run, findings by class', () => {
    const r = cli(['verify'], ROOT, { CI: undefined });
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^verified dist\/: \d+ files, \d+ objects \+ \d+ delivered by Policies\/ManifestWorks, on \d+ clusters? \(/);
    expect(r.stdout).toMatch(/\nobjects by kind: AgentClusterInstall 3, /);
    expect(r.stdout).toMatch(/\ncheck schema: .*\ncheck references: .*\ncheck invariants: .*\ncheck airgap: .*\ncheck kustomize: /);
    expect(r.stdout).toMatch(/\nfindings: 0 errors, \d+ warnings, 0 notices \(no-schema \d+\)\n$/);
    expect(r.stderr).toMatch(/^dist\/hub\/provisioning-provisioning-configuration\.yaml: warning\[no-schema\]: Provisioning provisioning-configuration: no pinned schema for metal3\.io\/v1alpha1 Provisioning$/m);
  });
});

describe('where the output sits in the repository', () => {
  test('Application paths are read against GIT_PATH: a two-segment GIT_PATH and an output folder named otherwise both verify', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-gitpath-'));
    fs.cpSync(path.join(ROOT, 'clusters'), path.join(ws, 'clusters'), { recursive: true });
    const config = path.join(ws, 'clusters/config.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^( {2}GIT_REPO_URL: .*)$/m, '$1\n  GIT_PATH: fleet/dist'));
    for (const out of ['fleet/dist', 'elsewhere/out-clusters']) {
      expect(cli(['synth', '-q', '-i', 'clusters', '-o', out], ws).code).toBe(EXIT_OK);
      const r = cli(['verify', '--json', '-i', 'clusters', '-o', out, '--kustomize', 'skip'], ws, { CI: undefined });
      expect((JSON.parse(r.stdout) as Report).findings.filter((f) => f.severity === 'error')).toStrictEqual([]);
    }
    // a sibling dist/ beside the output is not what the Applications are checked against
    fs.mkdirSync(path.join(ws, 'elsewhere/dist'));
    fs.rmSync(path.join(ws, 'elsewhere/out-clusters/argocd/projects'), { recursive: true });
    const r = cli(['verify', '--json', '-i', 'clusters', '-o', 'elsewhere/out-clusters', '--kustomize', 'skip'], ws, { CI: undefined });
    expect((JSON.parse(r.stdout) as Report).findings.some((f) => f.severity === 'error' && /projects/.test(f.message))).toBe(true);
  });
});

describe('ztpfw verify catches broken output', () => {
  let out: string;
  beforeEach(() => {
    out = renderTo('clusters');
  });
  afterEach(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
  const check = (extra: string[] = ['--kustomize', 'skip']) => verify(out, 'clusters', extra);

  test('a schema error and a pruned field, each at its path', () => {
    editYaml(path.join(out, 'clusters/sno-01/baremetalhost-ztpfw-sno-01-master-0.yaml'), (o) => {
      o.spec.online = 'yes';
      o.spec.bootMacAddress = o.spec.bootMACAddress;
    });
    const { code, report } = check();
    expect(code).toBe(EXIT_INVALID);
    expect(messages(report).sort()).toStrictEqual([
      'schema: clusters/sno-01/baremetalhost-ztpfw-sno-01-master-0.yaml: BareMetalHost sno-01/ztpfw-sno-01-master-0: spec.online: must be boolean, got string',
      'unknown-field: clusters/sno-01/baremetalhost-ztpfw-sno-01-master-0.yaml: BareMetalHost sno-01/ztpfw-sno-01-master-0: unknown field spec.bootMacAddress (would be pruned)',
    ]);
  });

  test('a reference the fleet does not declare external, and one to a missing object', () => {
    fs.rmSync(path.join(out, 'hub/configmap-preflight-scripts.yaml'));
    editYaml(path.join(out, 'hub/kustomization.yaml'), (k) => { k.resources = k.resources.filter((r: string) => r !== 'configmap-preflight-scripts.yaml'); });
    const { report } = check();
    expect(messages(report)).toStrictEqual(['reference: hub/job-preflight.yaml: : Job ztpfw-hub/preflight: volume scripts names ConfigMap ztpfw-hub/preflight-scripts, which is neither rendered nor declared external']);
    // Without the fleet's out-of-band Secrets, the pull and BMC Secrets do not resolve.
    const other = verify(out, 'examples/sno-single-nic.yaml', ['--kustomize', 'skip']);
    expect(messages(other.report).filter((m) => m.includes('assisted-deployment-pull-secret')).length).toBeGreaterThan(0);
  });

  test('invariants: sync wave, startingCSV, Secret data, size, duplicate boot MAC and BMC, kustomization listing', () => {
    editYaml(path.join(out, 'hub/namespace-ztpfw-hub.yaml'), (o) => { delete o.metadata.annotations; });
    editYaml(path.join(out, 'hub/subscription-multicluster-engine.yaml'), (o) => { o.spec.startingCSV = 'multicluster-engine.v2.4.0'; });
    editYaml(path.join(out, 'hub/configmap-ztpfw-config.yaml'), (o) => { o.data = { big: 'x'.repeat(1024 * 1024 + 1) }; });
    editYaml(path.join(out, 'clusters/compact-01/baremetalhost-ztpfw-compact-01-master-1.yaml'), (o) => {
      const first = jsyaml.load(fs.readFileSync(path.join(out, 'clusters/compact-01/baremetalhost-ztpfw-compact-01-master-0.yaml'), 'utf8')) as any;
      o.spec.bootMACAddress = first.spec.bootMACAddress.toUpperCase();
      o.spec.bmc.address = first.spec.bmc.address.replace(/^redfish-virtualmedia:/, 'redfish:');
    });
    fs.writeFileSync(path.join(out, 'hub/secret-leak.yaml'), jsyaml.dump({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'ztpfw-hub', annotations: { 'argocd.argoproj.io/sync-wave': '1' } }, data: { password: 'c2VjcmV0' } }));
    editYaml(path.join(out, 'clusters/sno-01/kustomization.yaml'), (k) => { k.resources = [...k.resources.filter((r: string) => !r.startsWith('namespace-')), 'gone.yaml']; });
    const { code, report } = check();
    expect(code).toBe(EXIT_INVALID);
    const inv = errors(report).filter((f) => f.class === 'invariant').map((f) => `${f.file}: ${f.message}`).sort();
    expect(inv).toStrictEqual([
      expect.stringMatching(/^clusters\/compact-01\/baremetalhost-ztpfw-compact-01-master-1\.yaml: BMC address redfish:\/\/.* also drives BareMetalHost compact-01\/ztpfw-compact-01-master-0$/),
      expect.stringMatching(/^clusters\/compact-01\/baremetalhost-ztpfw-compact-01-master-1\.yaml: boot MAC .* is also the boot MAC of BareMetalHost compact-01\/ztpfw-compact-01-master-0$/),
      'clusters/sno-01/kustomization.yaml: does not list namespace-sno-01.yaml',
      'clusters/sno-01/kustomization.yaml: lists gone.yaml, which is neither a file of the folder nor a kustomized folder below it',
      expect.stringMatching(/^hub\/configmap-ztpfw-config\.yaml: ConfigMap is \d+ bytes, over the 1048576-byte limit etcd stores$/),
      'hub/kustomization.yaml: does not list secret-leak.yaml',
      'hub/namespace-ztpfw-hub.yaml: no argocd.argoproj.io/sync-wave annotation',
      expect.stringMatching(/^hub\/secret-leak\.yaml: Secret carries data: /),
      expect.stringMatching(/^hub\/subscription-multicluster-engine\.yaml: spec\.startingCSV pins a CSV/),
    ]);
    // The secret value itself is never printed.
    expect(JSON.stringify(report)).not.toContain('c2VjcmV0');
  });

  test('RBAC least privilege: a token where no binding needs it, MachineConfig writes, bind/escalate on every role, a wildcard', () => {
    editYaml(path.join(out, 'hub/deployment-httpd.yaml'), (o) => { delete o.spec.template.spec.automountServiceAccountToken; });
    editYaml(path.join(out, 'hub/role-registry-credentials.yaml'), (o) => { o.rules.push({ apiGroups: ['machineconfiguration.openshift.io'], resources: ['machineconfigs'], verbs: ['create'] }); });
    editYaml(path.join(out, 'hub/role-oc-mirror.yaml'), (o) => { o.rules.push({ apiGroups: [''], resources: ['*'], verbs: ['get'] }); });
    editYaml(path.join(out, 'argocd/clusterrole-ztpfw-argocd-application-controller.yaml'), (o) => {
      for (const r of o.rules) delete r.resourceNames;
    });
    const { code, report } = check();
    expect(code).toBe(EXIT_INVALID);
    expect(errors(report).filter((f) => f.class === 'invariant').map((f) => `${f.file}: ${f.message}`).sort()).toStrictEqual([
      'argocd/clusterrole-ztpfw-argocd-application-controller.yaml: grants bind without resourceNames: limit it to the roles (or users) it must grant',
      'argocd/clusterrole-ztpfw-argocd-application-controller.yaml: grants escalate without resourceNames: limit it to the roles (or users) it must grant',
      'hub/deployment-httpd.yaml: runs as ServiceAccount default, which no binding names, with its API token mounted: set automountServiceAccountToken: false',
      'hub/role-oc-mirror.yaml: grants a wildcard (*): name the API groups, resources and verbs',
      'hub/role-registry-credentials.yaml: may write MachineConfigs (root on every node of a pool, and a reboot of each): nothing we run may',
    ]);
  });

  test('Argo CD could not apply a role: neither escalate/bind on its name nor holding what it grants', () => {
    // The controller no longer holds the mirror credentials in the registry namespace, so each cluster's Role that
    // reads them (and its binding) is refused by the API server; and a hub Role no longer named for escalate.
    fs.rmSync(path.join(out, 'hub/role-ztpfw-argocd-controller.yaml'));
    editYaml(path.join(out, 'hub/kustomization.yaml'), (k) => { k.resources = k.resources.filter((r: string) => r !== 'role-ztpfw-argocd-controller.yaml'); });
    editYaml(path.join(out, 'argocd/clusterrole-ztpfw-argocd-application-controller.yaml'), (o) => {
      for (const r of o.rules) if (r.verbs.includes('escalate')) r.resourceNames = r.resourceNames.filter((n: string) => n !== 'registry-credentials');
    });
    const { code, report } = check();
    expect(code).toBe(EXIT_INVALID);
    const refused = errors(report).filter((f) => f.message.startsWith("Argo CD's application controller may not apply this")).map((f) => `${f.file}: ${f.message}`).sort();
    expect(refused).toStrictEqual([
      ...['compact-01', 'edge-3p1-01', 'sno-01'].flatMap((c) => [
        `clusters/${c}/role-ztpfw-mirror-pull-secret-${c}.yaml: Argo CD's application controller may not apply this: it has no escalate on Role "ztpfw-mirror-pull-secret-${c}" and does not itself hold get secrets "registry-credentials" (Kubernetes RBAC escalation prevention)`,
        `clusters/${c}/rolebinding-ztpfw-mirror-pull-secret-${c}.yaml: Argo CD's application controller may not apply this: it has no bind on Role "ztpfw-mirror-pull-secret-${c}" and does not itself hold get secrets "registry-credentials" (Kubernetes RBAC escalation prevention)`,
      ]),
      'hub/role-registry-credentials.yaml: Argo CD\'s application controller may not apply this: it has no escalate on Role "registry-credentials" and does not itself hold get secrets "registry-auth" (Kubernetes RBAC escalation prevention)',
    ].sort());
  });

  test('a cluster folder with a reserved name (output not made by a validating synth)', () => {
    const fleet = fleetOf('examples/sno-single-nic.yaml');
    (fleet.clusters[0] as { name: string }).name = 'openshift-gitops';
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-verify-')), 'dist');
    writeAtomically(dir, renderApp(buildApp(fleet)).files);
    const { code, report } = verify(dir, 'examples/sno-single-nic.yaml', ['--kustomize', 'skip']);
    expect(code).toBe(EXIT_INVALID);
    expect(errors(report).filter((f) => f.message.includes('reserved'))).toStrictEqual([expect.objectContaining({
      class: 'invariant',
      file: expect.stringMatching(/^clusters\/openshift-gitops\//),
      message: 'cluster "openshift-gitops" has a reserved name (names starting with "openshift-" are reserved for platform namespaces): its namespace on the hub would be handed to Argo CD',
    })]);
  });

  test('a path over 255 characters', () => {
    const deep = `clusters/sno-01/${'x'.repeat(240)}`;
    fs.mkdirSync(path.join(out, deep), { recursive: true });
    fs.writeFileSync(path.join(out, deep, 'kustomization.yaml'), jsyaml.dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [] }));
    editYaml(path.join(out, 'clusters/sno-01/kustomization.yaml'), (k) => { k.resources.push('x'.repeat(240)); });
    const { report } = check();
    expect(messages(report)).toStrictEqual([expect.stringMatching(/^invariant: clusters\/sno-01\/x+\/kustomization\.yaml: : path dist\/clusters\/sno-01\/x+\/kustomization\.yaml is 280 characters, over 255$/)]);
  });

  test('kustomize: a folder that does not build is an error', () => {
    // the same object in two files of the folder: kustomize refuses to register its id twice
    const k = path.join(out, 'hub/kustomization.yaml');
    fs.copyFileSync(path.join(out, 'hub/agentserviceconfig-agent.yaml'), path.join(out, 'hub/zz-copy.yaml'));
    fs.writeFileSync(k, fs.readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n  - zz-copy.yaml\n'));
    const { code, report } = check(['--kustomize', 'require']);
    expect(code).toBe(EXIT_INVALID);
    expect(errors(report).filter((f) => f.class === 'kustomize').map((f) => `${f.file}: ${f.message}`)).toStrictEqual([
      expect.stringMatching(/^hub\/kustomization\.yaml: kubectl kustomize dist\/hub failed: .*already registered id/s),
    ]);
  });

  test('kustomize: a resource that is not there is an error before any build (kustomize would try it as a remote)', () => {
    const k = path.join(out, 'hub/kustomization.yaml');
    fs.writeFileSync(k, fs.readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n  - missing.yaml\n'));
    const { code, report } = check(['--kustomize', 'require']);
    expect(code).toBe(EXIT_INVALID);
    expect(report.findings.filter((f) => f.file === 'hub/kustomization.yaml').map((f) => `${f.severity}[${f.class}]: ${f.message}`)).toStrictEqual([
      'error[invariant]: lists missing.yaml, which is neither a file of the folder nor a kustomized folder below it',
      'notice[kustomize]: not built: a file in its folder was refused (see its finding), and kubectl is never handed one',
    ]);
  });

  test('no kubectl: a notice when auto, an error when required or in CI', () => {
    const env = { ZTPFW_KUBECTL: '/nonexistent/kubectl' };
    const auto = verify(out, 'clusters', [], env);
    expect(auto.code).toBe(EXIT_OK);
    expect(auto.report.findings.filter((f) => f.class === 'kustomize')).toStrictEqual([
      { severity: 'notice', class: 'kustomize', message: 'kustomize build not run: ZTPFW_KUBECTL=/nonexistent/kubectl does not exist' },
    ]);
    expect(auto.report.checks.find((c) => c.name === 'kustomize')?.skipped).toBe('ZTPFW_KUBECTL=/nonexistent/kubectl does not exist');
    expect(verify(out, 'clusters', ['--kustomize', 'require'], env).code).toBe(EXIT_INVALID);
    expect(verify(out, 'clusters', [], { ...env, CI: 'true' }).code).toBe(EXIT_INVALID);
  });
});

describe('ztpfw verify checks delivered objects', () => {
  const policy = 'examples/policy-delivery.yaml';

  test('an embedded object with a pruned field, a startingCSV, and two OperatorGroups on one cluster', () => {
    const out = renderTo(policy, testBundle((stages) => {
      stages[1].push({ apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: 'second', namespace: TEST_NS }, spec: {} });
      const sub = stages[0].find((m) => m.kind === 'Subscription') as any;
      sub.spec.startingCSV = 'verify-test-operator.v1.0.0';
      sub.spec.chanel = 'stable';
    }));
    const { report } = verify(out, policy, ['--kustomize', 'skip']);
    expect(messages(report).filter((m) => m.includes('sno-policy') && m.includes('verify-test'))).toStrictEqual([
      expect.stringMatching(/^unknown-field: clusters\/sno-policy\/vt\/policy-sno-policy-vt-op\.yaml: Subscription verify-test\/verify-test-operator \(spec\.policy-templates\[0\]\.objectDefinition\.spec\.object-templates\[3\], delivered to sno-policy\): unknown field spec\.chanel \(would be pruned\)$/),
      expect.stringMatching(/^invariant: .*policy-sno-policy-vt-op\.yaml: Subscription .*: spec\.startingCSV pins a CSV/),
      expect.stringMatching(/^invariant: .*policy-sno-policy-vt-.*\.yaml: OperatorGroup .*: 2 OperatorGroups in namespace verify-test on sno-policy \(second, verify-test-operatorgroup\)/),
    ]);
  });

  test('a Subscription whose catalog this disconnected cluster does not get, and a ManifestWork for an unknown cluster', () => {
    const input = 'examples/sno-dual-nic.yaml';
    const out = renderTo(input, (app, fleet) => {
      testBundle((stages) => { stages[0].shift(); })(app, fleet);
      const chart = new ZtpChart(app, 'stray', { outputDir: 'clusters/stray' });
      new Day2Bundle(chart, 'b', { cluster: 'nowhere', bundle: 'x', mode: 'manifestwork', stages: [{ name: 'config', manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }] }] });
    });
    const { report } = verify(out, input, ['--kustomize', 'skip']);
    const refs = errors(report).filter((f) => f.class === 'reference').map((f) => f.message);
    expect(refs).toStrictEqual([
      expect.stringMatching(/^ManifestWork nowhere\/ztpfw-x-config: metadata\.namespace names Namespace nowhere/),
      'ManifestWork nowhere/ztpfw-x-config: metadata.namespace (the cluster it delivers to) names ManagedCluster nowhere, which is neither rendered nor declared external',
      'on sno-dual: Subscription verify-test/verify-test-operator: spec.source names CatalogSource openshift-marketplace/verify-test-catalog, which is neither rendered nor declared external',
    ]);
  });
});

describe('Subscription catalogs', () => {
  const sub = (source: string): K8sObject => ({
    apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription', metadata: { name: 's', namespace: 'openshift-marketplace' },
    spec: { name: 's', channel: 'stable', source, sourceNamespace: 'openshift-marketplace' },
  });
  const hub: K8sObject = { apiVersion: 'config.openshift.io/v1', kind: 'OperatorHub', metadata: { name: 'cluster' }, spec: { disableAllDefaultSources: true } };
  const catalog: K8sObject = { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource', metadata: { name: 'mirror', namespace: 'openshift-marketplace' } };

  test('a default catalog only on a connected cluster whose OperatorHub keeps the defaults; a rendered one always', () => {
    expect(checkReferences([sub('redhat-operators')])).toStrictEqual([]);
    expect(checkReferences([sub('redhat-operators')], { disconnected: true })).toStrictEqual([expect.stringMatching(/names CatalogSource openshift-marketplace\/redhat-operators, .*it is disconnected\)$/)]);
    expect(checkReferences([sub('redhat-operators'), hub])).toHaveLength(1);
    expect(checkReferences([sub('mirror'), catalog], { disconnected: true })).toStrictEqual([]);
    expect(checkReferences([sub('mirror')])).toStrictEqual(['Subscription openshift-marketplace/s: spec.source names CatalogSource openshift-marketplace/mirror, which is neither rendered nor declared external']);
  });
});

describe('ztpfw verify usage', () => {
  test('a missing output folder, a missing schema folder and a bad mode are usage errors', () => {
    expect(cli(['verify', '-o', 'no-such-dist']).code).toBe(EXIT_USAGE);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-noschemas-'));
    const r = cli(['verify', '--schemas', empty]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain(`schema folder ${empty} has no crds/*.yaml`);
    const gone = cli(['verify', '--schemas', path.join(empty, 'nope')]);
    expect(gone.code).toBe(EXIT_USAGE);
    expect(gone.stderr).toContain('does not exist');
    expect(cli(['verify', '--kustomize', 'maybe']).stderr).toContain('--kustomize must be auto, require or skip');
    // The next command in the same process uses the default schemas (schemas/ of the project) again.
    expect(cli(['verify', '--kustomize', 'skip']).code).toBe(EXIT_OK);
    expect(cli(['verify', '--kustomize', 'skip', '--schemas', path.join(ROOT, 'schemas')]).code).toBe(EXIT_OK);
  });

  test('an invalid fleet exits 1 with its located diagnostics', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-badfleet-'));
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), 'config:\n  OC_OCP_VERSION: four\nedgeclusters: []\n');
    const r = cli(['verify', '-i', path.join(dir, 'fleet.yaml')]);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stderr).toMatch(/fleet\.yaml:\d+:\d+: error: /);
  });
});

describe('ztpfw verify proves air-gap closure of a disconnected fleet', () => {
  let out: string;
  beforeAll(() => {
    out = renderTo('clusters');
  });
  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
  /** A fresh copy of the demonstration render with `plant` applied; the air-gap findings of its verify. */
  const airgap = (plant: (dir: string) => void): Finding[] => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-airgap-')), 'dist');
    fs.cpSync(out, dir, { recursive: true });
    plant(dir);
    const { report } = verify(dir, 'clusters', ['--kustomize', 'skip']);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    return report.findings.filter((f) => f.class === 'airgap');
  };
  const airgapErrors = (plant: (dir: string) => void) => airgap(plant).filter((f) => f.severity === 'error').map((f) => `${f.file ?? ''}: ${f.object ?? ''}: ${f.message}`);
  const editWork = (dir: string, file: string, change: (manifests: any[]) => void) => editYaml(path.join(dir, file), (w) => change(w.spec.workload.manifests));
  const edgeJob = (manifests: any[]) => manifests.find((m) => m.kind === 'Job');

  test('the demonstration fleet is closed (its release pinned by digest); the edge credentials are proven by the mirror-pull-secret Jobs', () => {
    expect(airgap(() => undefined)).toStrictEqual([]);
    // Without the Job that fills its pull secret, a cluster's pulls from the mirror are a finding again.
    const without = airgap((d) => fs.rmSync(path.join(d, 'clusters/sno-01/job-mirror-pull-secret.yaml')));
    expect(without.filter((f) => f.message.startsWith('sno-01 pulls from')).map((f) => f.severity)).toStrictEqual(['error']);
  });

  test('an image from a registry no mirror set redirects (hub Deployment)', () => {
    expect(airgapErrors((d) => editYaml(path.join(d, 'hub/deployment-httpd.yaml'), (o) => { o.spec.template.spec.containers[0].image = 'ghcr.io/acme/httpd:2'; }))).toStrictEqual([
      'hub/deployment-httpd.yaml: Deployment ztpfw-httpd/httpd: containers httpd ghcr.io/acme/httpd:2: ghcr.io is not redirected by a mirror set rendered for hub; the pull goes to the internet',
    ]);
  });

  test('an image by tag where the edge only has digest mirrors (no ImageTagMirrorSet delivered), inside a ManifestWork', () => {
    const errors = airgapErrors((d) => editWork(d, 'clusters/sno-01/disconnected/manifestwork-ztpfw-disconnected-mirror.yaml', (m) => m.splice(m.findIndex((x) => x.kind === 'ImageTagMirrorSet'), 1)));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/^clusters\/sno-01\/.*, delivered to sno-01\): .* is by tag, but every mirror of \S+ is digest-only \(ImageDigestMirrorSet ztpfw-hub-mirror\); a tag pull bypasses the mirror$/);
  });

  test('a redirected image whose repository no ImageSetConfiguration mirrors', () => {
    const file = 'clusters/sno-01/disconnected/manifestwork-ztpfw-disconnected-mirror.yaml';
    expect(airgapErrors((d) => editWork(d, file, (m) => { edgeJob(m).spec.template.spec.containers[0].image = 'registry.redhat.io/ubi9/ubi:9.4'; }))).toStrictEqual([
      expect.stringMatching(/^clusters\/sno-01\/disconnected\/manifestwork-ztpfw-disconnected-mirror\.yaml: Job \S+ \(spec\.workload\.manifests\[\d+\], delivered to sno-01\): containers \S+ registry\.redhat\.io\/ubi9\/ubi:9\.4: registry\.redhat\.io\/ubi9\/ubi is in no rendered ImageSetConfiguration, so the mirror does not hold it$/),
    ]);
  });

  test('a CatalogSource that names the mirror for a catalog no ImageSetConfiguration mirrors', () => {
    expect(airgapErrors((d) => editYaml(path.join(d, 'hub/catalogsource-redhat-operators.yaml'), (o) => { o.spec.image = o.spec.image.replace('redhat-operator-index', 'community-operator-index'); }))).toStrictEqual([
      expect.stringMatching(/^hub\/catalogsource-redhat-operators\.yaml: CatalogSource openshift-marketplace\/redhat-operators: image \S+\/redhat\/community-operator-index:v4\.14 names the mirror, but no rendered ImageSetConfiguration mirrors what it holds there$/),
    ]);
  });

  test('a release by tag behind the digest-only install mirrors is an error that says how to get the digest', () => {
    const tagged = 'quay.io/openshift-release-dev/ocp-release:4.14.25-x86_64';
    expect(airgapErrors((d) => editYaml(path.join(d, 'hub/clusterimageset-openshift-v4.14.25.yaml'), (o) => { o.spec.releaseImage = tagged; }))).toStrictEqual([
      `hub/clusterimageset-openshift-v4.14.25.yaml: ClusterImageSet openshift-v4.14.25: releaseImage ${tagged} is by tag, but every mirror of quay.io/openshift-release-dev/ocp-release is digest-only (ConfigMap ztpfw-hub/mirror-registries (mirror-ref)); a tag pull bypasses the mirror; set OC_OCP_RELEASE_DIGEST to the output of: oc adm release info -o 'jsonpath={.digest}' ${tagged}`,
    ]);
  });

  test('a release outside the install mirrors, and the hub pull secret no rendered Job fills', () => {
    expect(airgapErrors((d) => editYaml(path.join(d, 'hub/clusterimageset-openshift-v4.14.25.yaml'), (o) => { o.spec.releaseImage = 'quay.io/acme/ocp-release@sha256:' + '0'.repeat(64); }))).toStrictEqual([
      `hub/clusterimageset-openshift-v4.14.25.yaml: ClusterImageSet openshift-v4.14.25: releaseImage quay.io/acme/ocp-release@sha256:${'0'.repeat(64)}: quay.io is not redirected by the hub's mirror-ref (the edge install's imageDigestSources); the pull goes to the internet`,
    ]);
    expect(airgapErrors((d) => fs.rmSync(path.join(d, 'hub/rolebinding-pull-secret-openshift-config.yaml')))).toStrictEqual([
      ': : hub pulls from ztpfw-registry.apps.hub.factory.example.com, but no rendered Job provably writes the mirror credentials into its pull secret (openshift-config/pull-secret)',
    ]);
  });

  test('a connected fleet keeps its release by tag: it verifies, and the air-gap check is skipped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-airgap-connected-'));
    fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
    const config = path.join(dir, 'clusters/config.yaml');
    const text = fs.readFileSync(config, 'utf8').replace(/^  OC_OCP_RELEASE_DIGEST: .*\n/m, '').replace('config:\n', 'config:\n  DISCONNECTED: false\n');
    fs.writeFileSync(config, text);
    const input = path.join(dir, 'clusters');
    const out = renderTo(input);
    expect(fs.readFileSync(path.join(out, 'hub/clusterimageset-openshift-v4.14.25.yaml'), 'utf8')).toContain('releaseImage: quay.io/openshift-release-dev/ocp-release:4.14.25-x86_64');
    const { code, report } = verify(out, input, ['--kustomize', 'skip']);
    expect(messages(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
    expect(report.checks.find((c) => c.name === 'airgap')?.skipped).toMatch(/connected/);
  });
});
