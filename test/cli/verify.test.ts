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
import { operatorManifests } from '../../charts/common/olm-manifests';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, Io, run } from '../../cli/main';
import { renderApp, writeAtomically } from '../../cli/render';
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

/** A day-2 bundle like the real families render: an operator plus (disconnected) the CatalogSource it installs from. */
function operatorBundle(mutate: (stages: Manifest[][]) => void = () => undefined) {
  return (app: App, fleet: Fleet) => {
    for (const c of fleet.clusters) {
      const chart = new ZtpChart(app, `test-${c.name}`, { outputDir: `clusters/${c.name}/metallb` });
      const catalog: Manifest = {
        apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource', metadata: { name: 'redhat-operators', namespace: 'openshift-marketplace' },
        spec: { sourceType: 'grpc', image: 'registry.example.com/redhat/redhat-operator-index:v4.14' },
      };
      const stages = [[catalog, ...operatorManifests(fleet.config, 'metallb-operator')], [{ apiVersion: 'metallb.io/v1beta1', kind: 'MetalLB', metadata: { name: 'metallb', namespace: 'metallb' } } as Manifest]];
      mutate(stages);
      new Day2Bundle(chart, 'bundle', { cluster: c.name, bundle: 'metallb', mode: c.day2Delivery, stages: stages.map((m, i) => ({ name: ['operator', 'config'][i], manifests: m })) });
    }
  };
}

function editYaml(file: string, change: (o: any) => void): void {
  const obj = jsyaml.load(fs.readFileSync(file, 'utf8'));
  change(obj);
  fs.writeFileSync(file, jsyaml.dump(obj, { noRefs: true, lineWidth: -1 }));
}

describe('ztpfw verify over good output', () => {
  test('the committed dist/ verifies: every check runs, kustomize included; only kinds without a pinned schema warn', () => {
    const { code, report } = verify('dist', 'clusters', ['--kustomize', 'require']);
    expect(messages(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
    expect(report.checks.map((c) => [c.name, c.skipped])).toStrictEqual([['schema', undefined], ['references', undefined], ['invariants', undefined], ['kustomize', undefined]]);
    expect(report.objects).toBe(fs.readdirSync(path.join(ROOT, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.yaml') && !String(f).endsWith('kustomization.yaml')).length);
    expect(new Set(report.findings.map((f) => f.class))).toStrictEqual(new Set(['no-schema']));
  });

  test.each(EXAMPLES)('a synth of examples/%s verifies', (example) => {
    const out = renderTo(`examples/${example}`);
    const { code, report } = verify(out, `examples/${example}`, ['--kustomize', 'require']);
    expect(messages(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
  });

  test.each([['policy', 'examples/policy-delivery.yaml'], ['manifestwork', 'examples/sno-dual-nic.yaml']])('day-2 objects delivered by %s are unwrapped, checked per cluster, and verify', (mode, input) => {
    const out = renderTo(input, operatorBundle());
    const { code, report } = verify(out, input, ['--kustomize', 'skip']);
    expect(messages(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
    const clusters = fleetOf(input).clusters.map((c) => c.name).sort();
    expect(report.targets).toStrictEqual(['hub', ...clusters]);
    // Policy mode wraps each stage in a ConfigurationPolicy, which is checked too.
    const perCluster = mode === 'policy' ? 7 : 5; // catalog, namespace, OperatorGroup, Subscription, MetalLB (+ 2 ConfigurationPolicies)
    expect(report.embedded).toBe(perCluster * clusters.length);
    expect(report.kinds.Subscription).toBeGreaterThanOrEqual(clusters.length);
  });

  test('summary: objects by kind, checks run, findings by class', () => {
    const r = cli(['verify'], ROOT, { CI: undefined });
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^verified dist\/: \d+ files, \d+ objects \+ 0 delivered by Policies\/ManifestWorks, on 1 cluster/);
    expect(r.stdout).toMatch(/\nobjects by kind: AgentClusterInstall 3, /);
    expect(r.stdout).toMatch(/\ncheck schema: .*\ncheck references: .*\ncheck invariants: .*\ncheck kustomize: /);
    expect(r.stdout).toMatch(/\nfindings: 0 errors, 3 warnings, 0 notices \(no-schema 3\)\n$/);
    expect(r.stderr).toMatch(/^dist\/hub\/provisioning-provisioning-configuration\.yaml: warning\[no-schema\]: Provisioning provisioning-configuration: no pinned schema for metal3\.io\/v1alpha1 Provisioning$/m);
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

  test('a path over 255 characters', () => {
    const deep = `clusters/sno-01/${'x'.repeat(240)}`;
    fs.mkdirSync(path.join(out, deep), { recursive: true });
    fs.writeFileSync(path.join(out, deep, 'kustomization.yaml'), jsyaml.dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [] }));
    editYaml(path.join(out, 'clusters/sno-01/kustomization.yaml'), (k) => { k.resources.push('x'.repeat(240)); });
    const { report } = check();
    expect(messages(report)).toStrictEqual([expect.stringMatching(/^invariant: clusters\/sno-01\/x+\/kustomization\.yaml: : path dist\/clusters\/sno-01\/x+\/kustomization\.yaml is 280 characters, over 255$/)]);
  });

  test('kustomize: a folder that does not build is an error', () => {
    fs.writeFileSync(path.join(out, 'hub/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [missing.yaml]\n');
    const { code, report } = check(['--kustomize', 'require']);
    expect(code).toBe(EXIT_INVALID);
    expect(errors(report).filter((f) => f.class === 'kustomize').map((f) => `${f.file}: ${f.message}`)).toStrictEqual([
      expect.stringMatching(/^hub\/kustomization\.yaml: kubectl kustomize dist\/hub failed: .*missing\.yaml/s),
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
    const out = renderTo(policy, operatorBundle((stages) => {
      stages[1].push({ apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: 'second', namespace: 'metallb' }, spec: {} });
      const sub = stages[0].find((m) => m.kind === 'Subscription') as any;
      sub.spec.startingCSV = 'metallb-operator.v4.14.0';
      sub.spec.chanel = 'stable';
    }));
    const { report } = verify(out, policy, ['--kustomize', 'skip']);
    expect(messages(report).filter((m) => m.includes('sno-policy'))).toStrictEqual([
      expect.stringMatching(/^unknown-field: clusters\/sno-policy\/metallb\/policy-sno-policy-metallb-operator\.yaml: Subscription metallb\/metallb-operator \(spec\.policy-templates\[0\]\.objectDefinition\.spec\.object-templates\[3\], delivered to sno-policy\): unknown field spec\.chanel \(would be pruned\)$/),
      expect.stringMatching(/^invariant: .*policy-sno-policy-metallb-operator\.yaml: Subscription .*: spec\.startingCSV pins a CSV/),
      expect.stringMatching(/^invariant: .*policy-sno-policy-metallb-.*\.yaml: OperatorGroup .*: 2 OperatorGroups in namespace metallb on sno-policy \(metallb-operatorgroup, second\)/),
    ]);
  });

  test('a Subscription whose catalog this disconnected cluster does not get, and a ManifestWork for an unknown cluster', () => {
    const input = 'examples/sno-dual-nic.yaml';
    const out = renderTo(input, (app, fleet) => {
      operatorBundle((stages) => { stages[0].shift(); })(app, fleet);
      const chart = new ZtpChart(app, 'stray', { outputDir: 'clusters/stray' });
      new Day2Bundle(chart, 'b', { cluster: 'nowhere', bundle: 'x', mode: 'manifestwork', stages: [{ name: 'config', manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }] }] });
    });
    const { report } = verify(out, input, ['--kustomize', 'skip']);
    const refs = errors(report).filter((f) => f.class === 'reference').map((f) => f.message);
    expect(refs).toStrictEqual([
      expect.stringMatching(/^ManifestWork nowhere\/ztpfw-x-config: metadata\.namespace names Namespace nowhere/),
      'ManifestWork nowhere/ztpfw-x-config: metadata.namespace (the cluster it delivers to) names ManagedCluster nowhere, which is neither rendered nor declared external',
      expect.stringMatching(/^on sno-dual: Subscription metallb\/metallb-operator: spec\.source names CatalogSource openshift-marketplace\/redhat-operators, which is neither rendered nor declared external \(the default catalogs are disabled on this cluster: it is disconnected\)$/),
    ]);
  });
});

describe('ztpfw verify usage', () => {
  test('a missing output folder, a missing schema folder and a bad mode are usage errors', () => {
    expect(cli(['verify', '-o', 'no-such-dist']).code).toBe(EXIT_USAGE);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-noschemas-'));
    const r = cli(['verify', '--schemas', empty]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain(`schema folder ${empty} has no crds/*.yaml`);
    const env = cli(['verify'], ROOT, { ZTPFW_SHARED: path.join(empty, 'nope') });
    expect(env.code).toBe(EXIT_USAGE);
    expect(env.stderr).toContain('does not exist');
    expect(cli(['verify', '--kustomize', 'maybe']).stderr).toContain('--kustomize must be auto, require or skip');
    // The next command in the same process uses the default schemas again.
    expect(cli(['verify', '--kustomize', 'skip', '--schemas', path.resolve(ROOT, '../shared')]).code).toBe(EXIT_OK);
  });

  test('an invalid fleet exits 1 with its located diagnostics', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-badfleet-'));
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), 'config:\n  OC_OCP_VERSION: four\nedgeclusters: []\n');
    const r = cli(['verify', '-i', path.join(dir, 'fleet.yaml')]);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stderr).toMatch(/fleet\.yaml:\d+:\d+: error: /);
  });
});
