/**
 * Failure 1 of issue 11: the hub mirror's credentials reach every pull from the mirror. The per-cluster Job merges
 * them into `<cluster>/assisted-deployment-pull-secret` before the install CRs exist; the Assisted Service carries that
 * Secret into the discovery ISO and the installed cluster's global pull secret (which day-2 and the edge mirror use).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { apiCalls } from './hub-support';
import { ROOT, tempFleet } from './install-support';
import { renderFleet } from '../support/render';
import { shellcheck } from '../support/tools';

const SCRIPT = path.join(ROOT, 'charts', 'common', 'scripts', 'merge-pull-secret.sh');
const r = renderFleet('clusters');
const inCluster = (c: string) => r.objects.filter((o) => o.path.startsWith(`clusters/${c}/`) && !o.path.slice(`clusters/${c}/`.length).includes('/'));
const get = (kind: string, name: string, ns: string) => r.objects.find((o) => o.obj.kind === kind && o.obj.metadata.name === name && o.obj.metadata.namespace === ns)!.obj;
const wave = (o: { metadata: { annotations?: Record<string, string> } }) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);

describe('the hub mirror credentials reach the cluster pull secret', () => {
  test('every cluster of a disconnected fleet has the Job, as a Sync hook before its InfraEnv and ClusterDeployment', () => {
    for (const c of ['sno-01', 'compact-01', 'edge-3p1-01']) {
      const job = get('Job', 'mirror-pull-secret', c);
      expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
      expect(wave(job)).toBeLessThan(wave(get('InfraEnv', c, c)));
      expect(wave(job)).toBeLessThan(wave(get('ClusterDeployment', c, c)));
      const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(env).toMatchObject({ SECRET_NAMESPACE: c, SECRET_NAME: 'assisted-deployment-pull-secret', REGISTRY_AUTH_KEY: 'ztpfw-registry.apps.hub.factory.example.com' });
      // The pull secret the install CRs name is the one the Job fills.
      expect(get('ClusterDeployment', c, c).spec.pullSecretRef.name).toBe(env.SECRET_NAME);
      expect(get('InfraEnv', c, c).spec.pullSecretRef.name).toBe(env.SECRET_NAME);
      expect(job.spec.template.spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { medium: 'Memory' } });
      expect(inCluster(c).filter((o) => o.obj.kind === 'Secret')).toStrictEqual([]);
    }
  });

  test('its RBAC is exactly what the script calls: its own pull secret, and the registry credentials by name', () => {
    const job = get('Job', 'mirror-pull-secret', 'sno-01');
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    const calls = apiCalls(fs.readFileSync(SCRIPT, 'utf8'), env).map((c) => `${c.verb} ${c.resource} ${c.namespace}/${c.name ?? '*'}`);
    const granted = ['sno-01', 'ztpfw-registry'].flatMap((ns) => {
      const binding = r.objects.find((o) => o.obj.kind === 'RoleBinding' && o.obj.metadata.namespace === ns && o.obj.subjects?.[0]?.name === 'mirror-pull-secret' && o.obj.subjects[0].namespace === 'sno-01')!.obj;
      const role = get('Role', binding.roleRef.name, ns);
      return role.rules.flatMap((ru: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames: string[] }) =>
        ru.verbs.flatMap((v) => ru.resourceNames.map((n) => `${v} ${ru.apiGroups[0]}/${ru.resources[0]} ${ns}/${n}`)));
    });
    expect([...new Set(calls)].sort()).toStrictEqual(granted.sort());
  });

  test('a connected fleet has no mirror, so no Job', () => {
    const original = fs.readFileSync(path.join(ROOT, 'examples', 'sno-single-nic.yaml'), 'utf8');
    const text = original.replace('config:\n', 'config:\n  DISCONNECTED: false\n');
    expect(text).not.toBe(original);
    expect(renderFleet(tempFleet(original)).objects.filter((o) => o.obj.kind === 'Job' && o.obj.metadata.name === 'mirror-pull-secret').length).toBe(1);
    const connected = renderFleet(tempFleet(text));
    expect(connected.objects.filter((o) => o.obj.metadata.name === 'mirror-pull-secret')).toStrictEqual([]);
  });
});

describe('merge-pull-secret.sh against a stub oc', () => {
  // The script runs with the env of the rendered Job of sno-01 (only the waiting is shortened).
  const jobEnv = Object.fromEntries(get('Job', 'mirror-pull-secret', 'sno-01').spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
  const PASSWORD = 'Gen3rated-in-hub';
  const userAuth = { auths: { 'registry.redhat.io': { auth: Buffer.from('me:redhat').toString('base64') } } };
  function run(pull: object | undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-pull-secret-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(dir, 'calls.log');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    fs.writeFileSync(path.join(bin, 'oc'), `#!/bin/bash
echo "oc $*" >> ${log}
case "$1 $2 $3 $4 $5" in
  "get secret assisted-deployment-pull-secret -n sno-01") ${pull === undefined ? 'echo "NotFound" >&2; exit 1' : `echo '${b64(JSON.stringify(pull))}'`} ;;
  "get secret registry-credentials -n ztpfw-registry")
    case "$7" in *username*) echo '${b64('ztpfw')}' ;; *password*) echo '${b64(PASSWORD)}' ;; esac ;;
  "patch secret assisted-deployment-pull-secret -n sno-01") for a in "$@"; do case $a in --patch-file=*) cp "\${a#--patch-file=}" ${dir}/patch.json ;; esac; done ;;
  *) echo "unexpected: $*" >&2; exit 9 ;;
esac
`, { mode: 0o755 });
    const res = spawnSync('bash', [SCRIPT], {
      encoding: 'utf8',
      env: { ...jobEnv, PATH: `${bin}:${process.env.PATH}`, WAIT_ATTEMPTS: '2', WAIT_SECONDS: '0' },
    });
    const patchFile = path.join(dir, 'patch.json');
    const patched = fs.existsSync(patchFile)
      ? JSON.parse(Buffer.from(JSON.parse(fs.readFileSync(patchFile, 'utf8')).data['.dockerconfigjson'], 'base64').toString())
      : undefined;
    return { ...res, patched };
  }
  const mirrorAuth = Buffer.from(`ztpfw:${PASSWORD}`).toString('base64');

  test('adds the mirror entry and keeps every entry of the user pull secret; prints no secret', () => {
    const res = run(userAuth);
    expect(res.status).toBe(0);
    expect(res.patched).toStrictEqual({ auths: { ...userAuth.auths, 'ztpfw-registry.apps.hub.factory.example.com': { auth: mirrorAuth } } });
    expect(`${res.stdout}${res.stderr}`).not.toContain(PASSWORD);
    expect(`${res.stdout}${res.stderr}`).not.toContain(mirrorAuth);
  });

  test('idempotent: an entry already there is not patched again', () => {
    const res = run({ auths: { ...userAuth.auths, 'ztpfw-registry.apps.hub.factory.example.com': { auth: mirrorAuth } } });
    expect([res.status, res.patched]).toStrictEqual([0, undefined]);
    expect(res.stdout).toContain('already holds credentials');
  });

  test('a missing pull secret fails after waiting, naming the command that creates it', () => {
    const res = run(undefined);
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe('error: Secret sno-01/assisted-deployment-pull-secret (type kubernetes.io/dockerconfigjson) is missing or empty; create it with: ztpfw secrets --cluster sno-01 --pull-secret FILE --apply');
  });

  // shellcheck is a CI prerequisite: without it the shared helper reports NOT RUN locally and fails in CI, where a
  // bare spawnSync would have printed nothing and passed.
  test('passes shellcheck', () => {
    expect(shellcheck(SCRIPT)).toBe('');
  });
});
