/**
 * The rendered output as hostile input: a pull request can edit dist/ by hand, and `verify` and `diff` run on it in
 * CI. Every broken file is a finding (verify) or a text change (diff); never a hang, a crash (exit 4), a file read
 * outside the folder, or a credential printed. Found by the output mode of the fuzz harness (`npm run fuzz -- --output`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { EXIT_INVALID, EXIT_OK, Io, run } from '../../cli/main';
import { loadRendered, loadRenderedAll, objectShapeProblem, RenderedYamlError } from '../../cli/rendered-yaml';
import type { VerifyReport } from '../../cli/verify/verify';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'Sup3rS3cret-x9';

function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty: false, cwd, env: {} };
  return { code: run(args, io), stdout, stderr };
}

let work: string;
let pristine: string;

beforeAll(() => {
  pristine = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-rendered-'));
  fs.copyFileSync(path.join(ROOT, 'examples/policy-delivery.yaml'), path.join(pristine, 'fleet.yaml'));
  expect(cli(['synth', '-q', '-i', 'fleet.yaml', '-o', 'out'], pristine).code).toBe(EXIT_OK);
});

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-rendered-'));
  fs.cpSync(pristine, work, { recursive: true });
});

const HUB_FILE = 'out/hub/agentserviceconfig-agent.yaml';
const POLICY_FILE = 'out/clusters/sno-policy/disconnected/policy-sno-policy-disconnected-mirror.yaml';

function verify(): { code: number; report: VerifyReport; stderr: string } {
  const r = cli(['verify', '--json', '-i', 'fleet.yaml', '-o', 'out', '--kustomize', 'skip'], work);
  return { code: r.code, report: JSON.parse(r.stdout) as VerifyReport, stderr: r.stderr };
}

/**
 * `verify` with a kubectl that records every build it is asked for (and fails them): what reached kubectl is in
 * `log`, whether or not a real kubectl is installed.
 */
function verifyRecordingKubectl(): { report: VerifyReport; out: string; log: string } {
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'kubectl'), [
    '#!/bin/sh',
    'if [ "$1" = version ]; then echo \'{"kustomizeVersion": "v5.6.0"}\'; exit 0; fi',
    `echo "$@" >> ${path.join(work, 'kubectl.log')}`,
    'exit 1',
  ].join('\n'), { mode: 0o755 });
  const saved = process.env.ZTPFW_KUBECTL;
  process.env.ZTPFW_KUBECTL = path.join(bin, 'kubectl');
  try {
    const r = cli(['verify', '--json', '-i', 'fleet.yaml', '-o', 'out', '--kustomize', 'require'], work);
    const log = fs.existsSync(path.join(work, 'kubectl.log')) ? fs.readFileSync(path.join(work, 'kubectl.log'), 'utf8') : '';
    return { report: JSON.parse(r.stdout) as VerifyReport, out: r.stdout + r.stderr, log };
  } finally {
    if (saved === undefined) delete process.env.ZTPFW_KUBECTL;
    else process.env.ZTPFW_KUBECTL = saved;
  }
}

const NOT_BUILT = 'not built: a file in its folder was refused (see its finding), and kubectl is never handed one';
const hubKustomizeFindings = (report: VerifyReport) => report.findings.filter((f) => f.file === 'hub/kustomization.yaml' && f.class === 'kustomize').map((f) => f.message);

const errorsOf = (report: VerifyReport) => report.findings.filter((f) => f.severity === 'error').map((f) => `${f.class}: ${f.file}: ${f.message}`);

describe('verify on a hand-edited output', () => {
  test('the untouched output verifies (so each case below fails because of its edit)', () => {
    const { code, report } = verify();
    expect(errorsOf(report)).toStrictEqual([]);
    expect(code).toBe(EXIT_OK);
  });

  test.each([
    ['a list', '- a\n', 'schema: hub/agentserviceconfig-agent.yaml: the document is a list, not a Kubernetes object (a map with apiVersion, kind and metadata)'],
    ['a string', 'just text\n', 'schema: hub/agentserviceconfig-agent.yaml: the document is a string, not a Kubernetes object (a map with apiVersion, kind and metadata)'],
    ['no metadata', 'apiVersion: v1\nkind: ConfigMap\n', 'schema: hub/agentserviceconfig-agent.yaml: the document has no metadata map'],
    ['a name that is a list', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x]}\n', 'schema: hub/agentserviceconfig-agent.yaml: the document has no metadata.name string'],
    ['labels that are not strings', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y, labels: {a: [1]}}\n', 'schema: hub/agentserviceconfig-agent.yaml: the document has metadata.labels that is not a map of strings'],
    ['an alias that makes the object contain itself', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &a {name: x, labels: *a}\n', 'parse: hub/agentserviceconfig-agent.yaml: holds a YAML anchor (&name); rendered output never does (an alias could make an object contain itself)'],
    ['binary data', Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x00]), 'parse: hub/agentserviceconfig-agent.yaml: is not UTF-8 text (the byte 0xff, which is not valid UTF-8; binary data, or a file saved in another encoding)'],
  ])('a file holding %s is a finding, not a crash', (_what, content, expected) => {
    fs.writeFileSync(path.join(work, HUB_FILE), content);
    const { code, report } = verify();
    expect(code).toBe(EXIT_INVALID);
    expect(errorsOf(report)).toContain(expected);
  });

  test('a billion-laughs document is refused at its first anchor, at once', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    fs.writeFileSync(path.join(work, HUB_FILE), `${lines.join('\n')}\n`);
    const started = Date.now();
    expect(errorsOf(verify().report)).toContain('parse: hub/agentserviceconfig-agent.yaml: holds a YAML anchor (&name); rendered output never does (an alias could make an object contain itself)');
    expect(Date.now() - started).toBeLessThan(30000);
  });

  test('a FIFO or a link is never opened or followed; kustomize is not run on its folder', () => {
    fs.rmSync(path.join(work, HUB_FILE));
    execFileSync('mkfifo', [path.join(work, HUB_FILE)]);
    const passwd = path.join(work, 'out/hub/zz-passwd.yaml');
    fs.symlinkSync('/etc/passwd', passwd);
    const { report, out, log } = verifyRecordingKubectl();
    expect(errorsOf(report)).toEqual(expect.arrayContaining([
      'parse: hub/agentserviceconfig-agent.yaml: is not a regular file (a FIFO, socket or device); rendered output holds only regular files',
      'parse: hub/zz-passwd.yaml: is a symbolic link; rendered output holds only regular files',
    ]));
    expect(out).not.toMatch(/root:/);
    // the hub folder is skipped with a notice (a real kubectl would block on the FIFO); the other folders are built
    const notices = hubKustomizeFindings(report);
    expect(notices.filter((m) => !m.startsWith('not built: a file in its folder was refused'))).toStrictEqual([]);
    expect(notices).toStrictEqual([NOT_BUILT]);
    expect(log).toMatch(/kustomize .*out\/clusters\//);
    expect(log).not.toMatch(/out\/hub\b/);
  });

  test.each([
    ['a remote resource', 'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1', 'lists https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v3.3.1, which is neither a file of the folder nor a kustomized folder below it'],
    ['a path kustomize would fetch when it is not there', 'github.com/kubernetes-sigs/kustomize/examples/helloWorld', 'lists github.com/kubernetes-sigs/kustomize/examples/helloWorld, which is neither a file of the folder nor a kustomized folder below it'],
    ['a folder outside', '../clusters', 'lists ../clusters, which is neither a file of the folder nor a kustomized folder below it'],
  ])('a kustomization listing %s is an error and never reaches kubectl', (_what, resource, expected) => {
    const file = path.join(work, 'out/hub/kustomization.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('resources:\n', `resources:\n  - ${resource}\n`));
    // a kubectl that records being run: it must not be, for the hub folder
    const { report, log } = verifyRecordingKubectl();
    expect(errorsOf(report)).toContain(`invariant: hub/kustomization.yaml: ${expected}`);
    expect(hubKustomizeFindings(report)).toStrictEqual([NOT_BUILT]);
    // the other folders were built (the stub fails them), the hub folder never
    expect(log).toMatch(/kustomize .*out\/clusters\//);
    expect(log).not.toMatch(/out\/hub\b/);
  });

  test('a kustomization key synth never writes (helmCharts runs helm) is an error and never reaches kubectl', () => {
    const file = path.join(work, 'out/hub/kustomization.yaml');
    fs.appendFileSync(file, 'helmCharts:\n  - name: x\n');
    expect(errorsOf(verify().report)).toContain('invariant: hub/kustomization.yaml: sets helmCharts, which synth never writes (a kustomization lists resources only)');
    const { report, log } = verifyRecordingKubectl();
    expect(hubKustomizeFindings(report)).toStrictEqual([NOT_BUILT]);
    expect(log).not.toMatch(/out\/hub\b/);
  });

  test('a field of the wrong type is a schema finding, and the checks after it do not read it (they crashed)', () => {
    const file = path.join(work, POLICY_FILE);
    // mirrors as a map where the schema says list; found by the fuzz harness (exit 4 in the air-gap check)
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/- mirrors:\n\s+- /);
    fs.writeFileSync(file, text.replace(/- mirrors:\n\s+- [^\n]+/, '- mirrors: {a: 1}'));
    const { code, report } = verify();
    expect(code).toBe(EXIT_INVALID);
    expect(errorsOf(report).some((m) => m.startsWith(`schema: ${POLICY_FILE.slice(4)}:`))).toBe(true);
    expect(errorsOf(report).filter((m) => !m.startsWith('schema:') && !m.startsWith('airgap:'))).toStrictEqual([]);
  });

  test('a Placement that breaks its schema is one finding: it is read before the Policies it places are unwrapped (that crashed), and reaches nobody', () => {
    const file = path.join(work, 'out/clusters/gpu-compact/day2/placement-gpu-compact-day2.yaml');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/values:\n\s+- gpu-compact/);
    fs.writeFileSync(file, text.replace(/values:\n\s+- gpu-compact/, 'values: {}'));
    const { code, report } = verify();
    expect(code).toBe(EXIT_INVALID);
    expect(errorsOf(report)).toStrictEqual(['schema: clusters/gpu-compact/day2/placement-gpu-compact-day2.yaml: spec.predicates[0].requiredClusterSelector.labelSelector.matchExpressions[0].values: must be array, got object']);
  });

  test('a known kind under an apiVersion that does not serve it is a schema error, and its content is not read (it crashed the reference check)', () => {
    const file = path.join(work, 'out/hub/kustomization.yaml').replace('kustomization.yaml', fs.readdirSync(path.join(work, 'out/hub')).find((f) => f.startsWith('rolebinding-'))!);
    // found by the output fuzz harness: apiVersion replaced and subjects turned into a map
    const o = jsyaml.load(fs.readFileSync(file, 'utf8')) as { apiVersion: string; subjects: unknown[] | unknown };
    fs.writeFileSync(file, jsyaml.dump({ ...o, apiVersion: '/dev/sda', subjects: (o.subjects as unknown[])[0] }));
    const { code, report } = verify();
    expect(code).toBe(EXIT_INVALID);
    expect(errorsOf(report)).toContainEqual(expect.stringMatching(/^schema: hub\/rolebinding-.*: apiVersion \/dev\/sda does not serve RoleBinding; pinned: rbac\.authorization\.k8s\.io\/v1$/));
  });

  test('manifests a ConfigMap carries that do not parse are a finding', () => {
    // a standalone cluster renders the registry switch, whose ConfigMap carries the objects its Job applies
    const fleet = path.join(work, 'fleet.yaml');
    fs.writeFileSync(fleet, fs.readFileSync(fleet, 'utf8').replace('        API_EXTERNAL_IP: 10.30.0.7\n', '        API_EXTERNAL_IP: 10.30.0.7\n        STATE: standalone\n')
      .replace('DAY2_BUNDLES: [nmstate, metallb, storage, disconnected]', 'DAY2_BUNDLES: [nmstate, metallb, storage, disconnected, registry]'));
    expect(cli(['synth', '-q', '-i', 'fleet.yaml', '-o', 'out'], work)).toMatchObject({ code: EXIT_OK });
    expect(errorsOf(verify().report)).toStrictEqual([]);
    const carriers = execFileSync('grep', ['-rl', 'ztpfw.io/holds-manifests', path.join(work, 'out')], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(carriers.length).toBeGreaterThan(0);
    const file = carriers[0];
    const text = fs.readFileSync(file, 'utf8');
    const edited = text.replace(/(\n\s+[\w.-]+\.yaml: \|\n)(\s+)/, '$1$2: : [\n$2');
    expect(edited).not.toBe(text);
    fs.writeFileSync(file, edited);
    const { report } = verify();
    expect(errorsOf(report).some((m) => /^parse: .*\.data\[[\w.-]+\.yaml\] not valid YAML: /.test(m))).toBe(true);
  });

  test('a kind or a file name with control characters is printed escaped, in the findings and the summary', () => {
    fs.writeFileSync(path.join(work, HUB_FILE), 'apiVersion: v1\nkind: "evil\\e[31mred\\a"\nmetadata: {name: x}\n');
    fs.writeFileSync(path.join(work, 'out/hub/odd\u001b[2Jname.yaml'), 'apiVersion: v1\nkind: "evil\\e[31mred\\a"\nmetadata: {name: y}\n');
    const r = cli(['verify', '-i', 'fleet.yaml', '-o', 'out', '--kustomize', 'skip'], work);
    expect(r.code).toBe(EXIT_INVALID);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('evil\\e[31mred\\u{7}');
    expect(r.stderr).toContain('odd\\e[2Jname.yaml');
  });

  test('YAML errors never quote the input: an alias or tag name may be a password', () => {
    for (const v of [`*${SECRET}`, `!${SECRET} x`]) {
      fs.writeFileSync(path.join(work, HUB_FILE), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  password: ${v}\n`);
      const r = cli(['verify', '-i', 'fleet.yaml', '-o', 'out', '--kustomize', 'skip'], work);
      expect(r.code).toBe(EXIT_INVALID);
      expect(r.stderr).toMatch(/hub\/agentserviceconfig-agent\.yaml: error\[parse\]: not valid YAML: (unidentified alias \(name\)|unknown tag \(tag\)) \(5:\d+\)/);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
  });
});

describe('diff on a hand-edited output', () => {
  const diff = (format = 'text') => cli(['diff', '-i', 'fleet.yaml', '--base-dir', 'out', '--format', format], work);

  test.each([
    ['an alias that makes the object contain itself', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &a {name: x, labels: *a}\n'],
    ['a list', '- a\n'],
  ])('a file holding %s is compared as text', (_what, content) => {
    fs.writeFileSync(path.join(work, HUB_FILE), content);
    const r = diff();
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain('(whole object):');
  });

  test.each(['text', 'markdown', 'json'])('a credential field in the base is never shown (%s)', (format) => {
    const file = path.join(work, HUB_FILE);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('spec:\n', `spec:\n  password: ${SECRET}\n  nested:\n    auth: { ${SECRET}: 1 }\n`));
    const r = diff(format);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/password/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    // unparseable text is shown with the credential value replaced
    fs.writeFileSync(file, `password: ${SECRET}\n: : [\n`);
    const t = diff(format);
    expect(t.stdout + t.stderr).not.toContain(SECRET);
  });
});

describe('the rendered-YAML reader', () => {
  test('reads what synth writes, refuses anchors, and checks the object shape', () => {
    expect(loadRenderedAll('a: 1\n---\nb: 2\n')).toStrictEqual([{ a: 1 }, { b: 2 }]);
    expect(loadRendered('t: 2024-01-01\n')).toStrictEqual({ t: '2024-01-01' });
    expect(() => loadRendered('a: &x 1\nb: *x\n')).toThrow(RenderedYamlError);
    expect(objectShapeProblem({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
    expect(objectShapeProblem({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, { nameOptional: true })).toBeUndefined();
    expect(objectShapeProblem({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toBe('has no metadata.name string');
  });
});
