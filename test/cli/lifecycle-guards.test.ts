/** `ztpfw synth` guards of the cluster lifecycle: no silent re-attach, removed clusters reported. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { EXIT_INVALID, EXIT_OK, Io, run } from '../../cli/main';

const ROOT = path.resolve(__dirname, '../..');

function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty: false, cwd };
  return { code: run(args, io), stdout, stderr };
}

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-lc-cli-'));
  fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
  return dir;
}

function setState(ws: string, state: string | undefined): void {
  const f = path.join(ws, 'clusters/sno-01.yaml');
  const text = fs.readFileSync(f, 'utf8').replace(/        STATE: \w+\n/, '');
  fs.writeFileSync(f, state ? text.replace('      config:\n', `      config:\n        STATE: ${state}\n`) : text);
}

describe('synth lifecycle guards', () => {
  test('a detached cluster cannot go back to configure without --reattach; dist/ is left unchanged', () => {
    const ws = workspace();
    setState(ws, 'detach');
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    expect(fs.existsSync(path.join(ws, 'dist/clusters/sno-01/detach/job-ztpfw-detach.yaml'))).toBe(true);
    const before = fs.readdirSync(path.join(ws, 'dist/clusters/sno-01')).sort();

    setState(ws, undefined);
    const r = cli(['synth', '-q'], ws);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stderr.split('\n')[0]).toBe('clusters/sno-01.yaml:4:5: error: cluster "sno-01" is detached in the committed output; STATE configure (the default) would register it with the hub again and manage its hosts. Keep STATE: detach, or run synth with --reattach sno-01 if that is intended');
    expect(fs.readdirSync(path.join(ws, 'dist/clusters/sno-01')).sort()).toStrictEqual(before);

    const ok = cli(['synth', '-q', '--reattach', 'sno-01'], ws);
    expect(ok).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(fs.existsSync(path.join(ws, 'dist/clusters/sno-01/managedcluster-sno-01.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(ws, 'dist/clusters/sno-01/detach'))).toBe(false);
  });

  test('detaching straight from configure is warned about at STATE; through standalone it is not', () => {
    const ws = workspace();
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    setState(ws, 'detach');
    // --quiet means errors only: the warning shows without it.
    const quiet = workspace();
    expect(cli(['synth', '-q'], quiet).code).toBe(EXIT_OK);
    setState(quiet, 'detach');
    expect(cli(['synth', '-q'], quiet)).toMatchObject({ code: EXIT_OK, stderr: '' });
    const direct = cli(['synth'], ws);
    expect(direct.code).toBe(EXIT_OK);
    expect(direct.stderr).toBe('clusters/sno-01.yaml:6:16: warning: cluster "sno-01" goes from configure straight to detach: it still pulls its images and operators from the hub registry, which it cannot reach once shipped; set STATE: standalone first and detach after the switch to its own registry\n');

    const other = workspace();
    expect(cli(['synth', '-q'], other).code).toBe(EXIT_OK);
    setState(other, 'standalone');
    expect(cli(['synth', '-q'], other)).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(fs.readdirSync(path.join(other, 'dist/clusters/sno-01/edge-mirror')).some((f) => f.includes('edge-mirror-switch'))).toBe(true);
    setState(other, 'detach');
    expect(cli(['synth', '-q'], other)).toMatchObject({ code: EXIT_OK, stderr: '' });
  });

  test('removing a cluster file is reported with every object Argo CD will delete, and does not block', () => {
    const ws = workspace();
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    // What the committed folder holds (install manifests and any day-2 bundle folders below it).
    const committed: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name !== 'kustomization.yaml') {
          const o = YAML.parse(fs.readFileSync(p, 'utf8'));
          committed.push(`${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
        }
      }
    };
    walk(path.join(ws, 'dist/clusters/sno-01'));
    expect(committed).toEqual(expect.arrayContaining(['ManagedCluster sno-01', 'BareMetalHost sno-01/ztpfw-sno-01-master-0', 'Namespace sno-01']));

    fs.rmSync(path.join(ws, 'clusters/sno-01.yaml'));
    const r = cli(['synth', '-q'], ws);
    expect(r.code).toBe(EXIT_OK);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`warning: cluster "sno-01" is no longer in the input; Argo CD deletes its application only, and these ${committed.length} objects of dist/clusters/sno-01/ stay on the hub, unmanaged (it was NOT detached: the cluster stays installed and registered, but nothing syncs its hub objects any more; to decommission it, \`oc delete managedcluster sno-01\` and \`oc delete namespace sno-01\` on the hub (its BareMetalHosts are then deprovisioned); to hand it over, set STATE: detach first):`);
    expect(lines.slice(1)).toStrictEqual(committed.sort().map((o) => `warning:   ${o}`));
    expect(fs.existsSync(path.join(ws, 'dist/clusters/sno-01'))).toBe(false);
  });

  test('a detached cluster removed from the input is reported as kept running', () => {
    const ws = workspace();
    setState(ws, 'detach');
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    fs.rmSync(path.join(ws, 'clusters/sno-01.yaml'));
    const r = cli(['synth', '-q'], ws);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stderr.split('\n')[0]).toMatch(/^warning: cluster "sno-01" is no longer in the input; .* \(it was detached: the edge cluster keeps running/);
    expect(r.stderr).not.toContain('ManagedCluster sno-01');
  });

  test('the guard reads the output committed at HEAD too: a deleted or hand-edited dist/ does not let a detached cluster back', () => {
    const ws = workspace();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: ws, stdio: 'pipe' });
    git('init', '-q');
    setState(ws, 'detach');
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    git('add', '-A');
    git('commit', '-qm', 'detach sno-01');
    setState(ws, undefined);
    for (const tamper of [() => fs.rmSync(path.join(ws, 'dist/clusters/sno-01/detach'), { recursive: true }), () => fs.rmSync(path.join(ws, 'dist'), { recursive: true })]) {
      tamper();
      const r = cli(['synth', '-q'], ws);
      expect(r.code).toBe(EXIT_INVALID);
      expect(r.stderr).toMatch(/^clusters\/sno-01.yaml:\d+:\d+: error: cluster "sno-01" is detached in the committed output; .*--reattach sno-01/);
    }
    expect(cli(['synth', '-q', '--reattach', 'sno-01'], ws)).toMatchObject({ code: EXIT_OK, stderr: '' });
  });
});
