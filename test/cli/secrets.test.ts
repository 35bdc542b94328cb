import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { runSecrets, SecretsArgs } from '../../cli/secrets';
import { EXIT_OK, EXIT_USAGE, Io, run } from '../../cli/main';

const ROOT = path.resolve(__dirname, '../..');
const THREE_PLUS_ONE = path.join(ROOT, 'examples/three-plus-one.yaml');
const SNO_DUAL = path.join(ROOT, 'examples/sno-dual-nic.yaml');
const CLUSTERS = path.join(ROOT, 'clusters');

interface Out { code: number; stdout: string; stderr: string; applied: string[] }

function secrets(args: Partial<SecretsArgs>, env: Record<string, string> = {}, applyCode = 0): Out {
  let stdout = '';
  let stderr = '';
  const applied: string[] = [];
  const io = { stdout: (s: string) => { stdout += s; }, stderr: (s: string) => { stderr += s; }, cwd: ROOT };
  const code = runSecrets({ input: CLUSTERS, clusters: [], apply: false, ...args }, io, {
    env,
    applier: (m) => (applied.push(m), applyCode),
  });
  return { code, stdout, stderr, applied };
}

function tmp(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-secrets-')), name);
  fs.writeFileSync(file, text);
  return file;
}

const docs = (text: string) => YAML.parseAllDocuments(text).map((d) => d.toJS() as { kind: string; type?: string; metadata: { name: string; namespace?: string }; data?: Record<string, string> });
const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');

describe('ztpfw secrets', () => {
  test('legacy keys become exact-value Opaque Secrets, preceded by the Namespace; values never on stderr', () => {
    const out = secrets({ input: THREE_PLUS_ONE });
    expect(out.code).toBe(0);
    const d = docs(out.stdout);
    expect(d.map((x) => `${x.kind}/${x.metadata.name}`)).toStrictEqual([
      'Namespace/edgecluster1',
      'Secret/ztpfw-edgecluster1-master-0-bmc', 'Secret/ztpfw-edgecluster1-master-1-bmc', 'Secret/ztpfw-edgecluster1-master-2-bmc', 'Secret/ztpfw-edgecluster1-worker-0-bmc',
    ]);
    const s = d[1];
    expect(s.type).toBe('Opaque');
    expect(s.metadata.namespace).toBe('edgecluster1');
    expect(decode(s.data!.username)).toBe('user-bmc');
    expect(decode(s.data!.password)).toBe('user-pass');
    expect(out.stderr).not.toContain('user-pass');
    expect(out.stderr).toContain('warning: plaintext "bmc_pass"');
  });

  test('the secrets file wins over the environment, which wins over legacy keys; per node, per cluster, global', () => {
    const from = tmp('x.secrets.yaml', [
      'default: {username: all, password: all-pw}',
      'clusters:',
      '  edgecluster1:',
      '    master0: {username: m0, password: m0-pw}',
      '    default: {username: c, password: c-pw}',
      'secrets:',
      '  ztpfw-edgecluster1-master-1-bmc: {username: byname, password: byname-pw}',
      '',
    ].join('\n'));
    const out = secrets({ input: THREE_PLUS_ONE, from }, { ZTPFW_BMC_USERNAME: 'env', ZTPFW_BMC_PASSWORD: 'env-pw' });
    const users = docs(out.stdout).filter((x) => x.kind === 'Secret').map((x) => decode(x.data!.username));
    expect(users).toStrictEqual(['m0', 'byname', 'c', 'c']);
    const envOnly = secrets({ input: THREE_PLUS_ONE }, { ZTPFW_BMC_EDGECLUSTER1_WORKER0_USERNAME: 'w', ZTPFW_BMC_EDGECLUSTER1_WORKER0_PASSWORD: 'w-pw', ZTPFW_BMC_USERNAME: 'env', ZTPFW_BMC_PASSWORD: 'env-pw' });
    expect(docs(envOnly.stdout).filter((x) => x.kind === 'Secret').map((x) => decode(x.data!.username))).toStrictEqual(['env', 'env', 'env', 'w']);
  });

  test('a node without credentials is a located error naming the node, and nothing is printed', () => {
    const out = secrets({ input: CLUSTERS, clusters: ['sno-01'] });
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/clusters\/sno-01\.yaml:8:7: error: no BMC credentials for node "master0" of cluster "sno-01" \(Secret ztpfw-sno-01-master-0-bmc\)/);
  });

  test('nodes with bmc_secret are skipped; the pull secret becomes a dockerconfigjson Secret per cluster', () => {
    const pull = tmp('pull.json', '{"auths":{"quay.io":{"auth":"c2VjcmV0LXRva2Vu"}}}');
    const out = secrets({ input: SNO_DUAL, pullSecret: pull });
    expect(out.code).toBe(0);
    const d = docs(out.stdout);
    expect(d.map((x) => `${x.kind}/${x.metadata.name}`)).toStrictEqual(['Namespace/sno-dual', 'Secret/assisted-deployment-pull-secret']);
    expect(d[1].type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(decode(d[1].data!['.dockerconfigjson']))).toStrictEqual({ auths: { 'quay.io': { auth: 'c2VjcmV0LXRva2Vu' } } });
    expect(out.stderr).toContain('1 node(s) use a pre-created Secret');
    expect(out.stderr).not.toContain('c2VjcmV0LXRva2Vu');
  });

  test('a broken pull secret or secrets file is reported without echoing its content', () => {
    const pull = tmp('pull.json', '{"auths": hunter2');
    const out = secrets({ input: SNO_DUAL, pullSecret: pull });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/pull\.json:1:1: error: pull secret is not valid JSON/);
    expect(out.stderr).not.toContain('hunter2');
    const from = tmp('y.secrets.yaml', 'clusters:\n  edgecluster1:\n    master0: {username: u, pasword: hunter3}\n');
    const bad = secrets({ input: THREE_PLUS_ONE, from });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/y\.secrets\.yaml:3:\d+: error: unknown key "pasword"/);
    expect(bad.stderr).not.toContain('hunter3');
  });

  test.each([
    ['an alias', '*Sup3rS3cret', 'invalid YAML: an alias (*name) refers to no anchor (&name) defined before it'],
    ['a tag', '!Sup3rS3cret', 'invalid YAML: unknown tag'],
    ['an unclosed quote', '"Sup3rS3cret', 'invalid YAML: missing closing "quote'],
  ])('a password with %s is a located error: no stack trace, no value (the CLI too)', (_what, value, message) => {
    const from = tmp('x.secrets.yaml', `default:\n  username: admin\n  password: ${value}\n`);
    const out = secrets({ input: THREE_PLUS_ONE, from });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`x\\.secrets\\.yaml:\\d+:\\d+: error: ${message.replace(/[()*&"]/g, '\\$&')}`));
    expect(out.stderr).not.toContain('Sup3rS3cret');
    expect(out.stdout).toBe('');
    const cli = spawnSync('node', [path.join(ROOT, 'bin/ztpfw.js'), 'secrets', '-i', THREE_PLUS_ONE, '--from', from], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(`${cli.stdout}${cli.stderr}`).not.toMatch(/Sup3rS3cret|\n\s+at /);
  });

  test('typos in the secrets file are warnings at their line', () => {
    const from = tmp('z.secrets.yaml', 'default: {username: u, password: p}\nclusters:\n  edgecluster9:\n    master0: {username: u, password: p}\n');
    const out = secrets({ input: THREE_PLUS_ONE, from });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/z\.secrets\.yaml:3:3: warning: secrets file names cluster "edgecluster9", which is not in the fleet/);
  });

  test('--apply hands the manifests to the applier instead of stdout, and its failure is exit 1', () => {
    const ok = secrets({ input: THREE_PLUS_ONE, apply: true });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(docs(ok.applied[0])).toHaveLength(5);
    expect(secrets({ input: THREE_PLUS_ONE, apply: true }, {}, 1).code).toBe(1);
  });

  test('unknown cluster and the command line contract', () => {
    expect(secrets({ input: THREE_PLUS_ONE, clusters: ['nope'] }).stderr).toMatch(/error: no cluster "nope" in the fleet \(clusters: edgecluster1\)/);
    let stdout = '';
    let stderr = '';
    const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty: false, cwd: ROOT };
    expect(run(['secrets', '--help'], io)).toBe(EXIT_OK);
    expect(stdout).toContain('Usage: ztpfw secrets');
    expect(run(['secrets', '--bogus'], io)).toBe(EXIT_USAGE);
    expect(run(['secrets', '-i', 'examples/three-plus-one.yaml', '-c', 'edgecluster1'], io)).toBe(EXIT_OK);
    expect(stdout).toContain('name: ztpfw-edgecluster1-worker-0-bmc');
    expect(stderr).toContain('4 BMC Secret(s) for 1 cluster(s)');
  });
});

describe('ztpfw secrets --apply (the real oc runner, through bin/ztpfw.js)', () => {
  const fakeOc = (script: string): string => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fake-oc-'));
    fs.writeFileSync(path.join(bin, 'oc'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return bin;
  };
  const apply = (PATH: string) => spawnSync(process.execPath, [path.join(ROOT, 'bin/ztpfw.js'), 'secrets', '--apply', '-i', THREE_PLUS_ONE], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH },
  });

  test('pipes the manifests to "oc apply -f -" and passes its output and exit code through', () => {
    const bin = fakeOc('[ "$*" = "apply -f -" ] || exit 9\ncat > "$(dirname "$0")/stdin"\necho "secret/x configured"\necho "warning: w" >&2');
    const ok = apply(`${bin}${path.delimiter}${process.env.PATH}`);
    expect(ok.stderr).toContain('warning: w\n');
    expect({ status: ok.status, stdout: ok.stdout }).toStrictEqual({ status: 0, stdout: 'secret/x configured\n' });
    expect(docs(fs.readFileSync(path.join(bin, 'stdin'), 'utf8'))).toHaveLength(5);
    expect(apply(`${fakeOc('exit 3')}${path.delimiter}${process.env.PATH}`).status).toBe(1);
  });

  test('without oc: exit 1 and what to do, no stack trace', () => {
    const r = apply(fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-no-oc-')));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot run "oc"; install the OpenShift CLI');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
