/**
 * The detach hook's script, run with its rendered Job's environment against a stub `oc` that keeps a small fake hub
 * and edge: Secrets with data (read with kubectl's jsonpath rules, where an unescaped dot means a nested field),
 * ManifestWorks with conditions, `create secret --dry-run=client -o json` and `apply -f -` per kubeconfig.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EDGE_SSH_KEYPAIR } from '../../charts/common/lifecycle';
import { REPO_ROOT, renderFleet } from '../support/render';

const SCRIPT = path.join(REPO_ROOT, 'charts/lifecycle/scripts/detach.sh');

/** The stub: state in $STUB_STATE (JSON), every call and applied object appended to $STUB_LOG. */
const STUB = `#!/usr/bin/env node
const fs = require('node:fs');
const state = JSON.parse(fs.readFileSync(process.env.STUB_STATE, 'utf8'));
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STUB_LOG, JSON.stringify({ call: args }) + '\\n');
let kubeconfig;
const rest = [];
for (const a of args) a.startsWith('--kubeconfig=') ? (kubeconfig = a.slice(13)) : rest.push(a);
const opt = (name) => { const i = rest.indexOf(name); return i < 0 ? undefined : rest[i + 1]; };
const out = (s) => { process.stdout.write(s); process.exit(0); };
const missing = () => { process.stderr.write('Error from server (NotFound)\\n'); process.exit(1); };
// kubectl jsonpath: '.a.b\\\\.c' is a -> 'b.c'; a missing field prints nothing.
const walk = (obj, expr) => expr.replace(/^\\{\\.|\\}$/g, '').split(/(?<!\\\\)\\./).map((k) => k.replace(/\\\\\\./g, '.')).reduce((o, k) => (o == null ? undefined : o[k]), obj);
const [verb, kind, name] = rest;
if (verb === 'get' && kind === '--raw') {
  if (kubeconfig && fs.readFileSync(kubeconfig, 'utf8') === state.edgeKubeconfig) out('ok');
  process.exit(1);
}
if (verb === 'get' && kind === 'managedcluster') return state.managedCluster ? out('managedcluster/' + name) : missing();
if (verb === 'get' && kind === 'secret') {
  const secret = state.secrets[opt('-n') + '/' + name];
  if (!secret) missing();
  const o = opt('-o');
  if (o === 'name') out('secret/' + name);
  const v = walk({ data: secret }, o.slice('jsonpath='.length));
  out(typeof v === 'string' ? v : '');
}
if (verb === 'get' && kind.startsWith('manifestworks')) {
  const ns = opt('-n');
  if (opt('-l')) out(state.works.join(' '));
  out('True');
}
if (verb === 'create' && kind === 'secret') {
  const data = {};
  for (const a of rest.filter((x) => x.startsWith('--from-file='))) {
    const [k, file] = a.slice(12).split('=');
    data[k] = fs.readFileSync(file).toString('base64');
  }
  out(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: rest[3], namespace: opt('-n') }, data }));
}
if (verb === 'apply') {
  const obj = JSON.parse(fs.readFileSync(0, 'utf8'));
  fs.appendFileSync(process.env.STUB_LOG, JSON.stringify({ applied: obj, on: kubeconfig ? 'edge' : 'hub' }) + '\\n');
  process.exit(0);
}
process.stderr.write('stub: unexpected call ' + args.join(' ') + '\\n');
process.exit(2);
`;

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The detach Job's env for cluster `c1` of a fleet where it is detached. */
function jobEnv(): Record<string, string> {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'examples/sno-single-nic.yaml'), 'utf8').replace(/^( {2}- sno-single:\n)/m, '$1      config:\n        STATE: detach\n');
  const job = renderFleet({ yaml: text }).objects.find((o) => o.obj.kind === 'Job' && o.obj.metadata.name === 'ztpfw-detach')!.obj;
  return Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
}

interface Run { status: number | null; stdout: string; stderr: string; applied: { applied: { metadata: { name: string; namespace: string }; data: Record<string, string> }; on: string }[] }

function run(keypair: Record<string, string> | undefined): Run {
  const env = jobEnv();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-detach-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'oc'), STUB, { mode: 0o755 });
  const secretsDir = path.join(dir, 'secrets');
  fs.mkdirSync(secretsDir);
  const c = env.CLUSTER;
  const edgeKubeconfig = 'apiVersion: v1\nkind: Config\n';
  const state = {
    managedCluster: true,
    edgeKubeconfig,
    works: ['ztpfw-w'],
    secrets: {
      [`${c}/${env.KUBECONFIG_SECRET}`]: { kubeconfig: b64(edgeKubeconfig) },
      [`${c}/${env.PASSWORD_SECRET}`]: { password: b64('kubeadmin-pass') },
      ...(keypair ? { [`${c}/${env.SSH_SECRET}`]: Object.fromEntries(Object.entries(keypair).map(([k, v]) => [k, b64(v)])) } : {}),
    },
  };
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state));
  const log = path.join(dir, 'log');
  fs.writeFileSync(log, '');
  const r = spawnSync('bash', [SCRIPT], {
    encoding: 'utf8',
    env: { ...env, SECRETS_DIR: secretsDir, STUB_STATE: path.join(dir, 'state.json'), STUB_LOG: log, PATH: `${bin}:${process.env.PATH}` },
  });
  const entries = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, applied: entries.filter((e) => e.applied) };
}

describe('detach script', () => {
  test('the SSH key pair (keys with a dot) is saved with the credentials and put on the edge for the setup UI', () => {
    const r = run({ 'id_rsa.key': 'PRIVATE', 'id_rsa.pub': 'ssh-ed25519 AAAA' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const byTarget = Object.fromEntries(r.applied.map((a) => [`${a.on} ${a.applied.metadata.namespace}/${a.applied.metadata.name}`, a.applied.data]));
    const env = jobEnv();
    expect(byTarget).toStrictEqual({
      [`hub ${env.CREDENTIALS_NAMESPACE}/${env.CREDENTIALS_SECRET}`]: { kubeconfig: b64('apiVersion: v1\nkind: Config\n'), 'kubeadmin-password': b64('kubeadmin-pass'), 'ssh-privatekey': b64('PRIVATE') },
      [`edge ${EDGE_SSH_KEYPAIR.namespace}/${EDGE_SSH_KEYPAIR.name}`]: { 'id_rsa.key': b64('PRIVATE'), 'id_rsa.pub': b64('ssh-ed25519 AAAA') },
    });
    // Never a secret value on the output.
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/PRIVATE|kubeadmin-pass/);
  });

  test('without a key pair on the hub, the credentials are saved and nothing goes to the edge', () => {
    const r = run(undefined);
    expect(r.status).toBe(0);
    expect(r.applied.map((a) => `${a.on} ${a.applied.metadata.name}`)).toStrictEqual([`hub ${jobEnv().CREDENTIALS_SECRET}`]);
    expect(r.stdout).toContain('no SSH private key saved');
  });

  test('the setup UI reads the key pair where the hook puts it', () => {
    const names = fs.readFileSync(path.join(REPO_ROOT, 'ui/src/server/names.ts'), 'utf8');
    expect(names).toContain(`SSH_KEYPAIR = { namespace: '${EDGE_SSH_KEYPAIR.namespace}', name: '${EDGE_SSH_KEYPAIR.name}', privateKey: 'id_rsa.key', publicKey: 'id_rsa.pub' }`);
  });
});
