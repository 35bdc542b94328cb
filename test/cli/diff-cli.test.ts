import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_DIFFERENCES, EXIT_INVALID, EXIT_OK, EXIT_USAGE, Io, run } from '../../cli/main';

const ROOT = path.resolve(__dirname, '../..');

interface Captured { code: number; stdout: string; stderr: string }

function cli(args: string[], cwd: string, tty: { stdoutIsTty?: boolean; env?: Record<string, string> } = {}): Captured {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty: false, cwd, env: {}, ...tty };
  return { code: run(args, io), stdout, stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
}

/** A git repository holding the demonstration fleet and its dist/, committed: the state of a clean main. */
function repo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-diff-'));
  fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
  expect(cli(['synth', '-q'], dir).code).toBe(EXIT_OK);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

/** Objects rendered under a dist/ folder, sub-folders included (every YAML file but the kustomizations). */
function objectsIn(dir: string): number {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml').length;
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const p = path.join(dir, file);
  const text = fs.readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  fs.writeFileSync(p, next);
}

/** Group headings, object lines and field lines of the text output (line diffs and flags left out). */
function outline(stdout: string): string[] {
  const body = stdout.split('\n\n').slice(stdout.includes('Risk flags') ? 2 : 1).join('\n\n');
  return body.split('\n').filter((l) => l && !/^ {10}/.test(l));
}

function flagLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('  ! '));
}

describe('ztpfw diff over real renders', () => {
  let base: string;
  beforeAll(() => { base = repo(); });

  test('an unchanged fleet: no changes, exit 0 even with --exit-code', () => {
    expect(cli(['diff', '--exit-code'], base)).toStrictEqual({ code: EXIT_OK, stdout: expect.stringMatching(/^No changes: clusters renders exactly dist\/ at HEAD \([0-9a-f]{12}\)\.\n$/), stderr: '' });
  });

  test('a changed boot MAC: the host, its NMStateConfig and the InfraEnv ignition, with flags', () => {
    const ws = repo();
    edit(ws, 'clusters/sno-01.yaml', '3c:ec:ef:a0:01:01', '3c:ec:ef:a0:01:02');
    const r = cli(['diff'], ws);
    expect([r.code, r.stderr]).toStrictEqual([EXIT_OK, '']);
    expect(r.stdout.split('\n')[1]).toBe('3 changed objects in 1 cluster');
    expect(outline(r.stdout)).toStrictEqual([
      'clusters/sno-01',
      '  BareMetalHost',
      '    ~ sno-01/ztpfw-sno-01-master-0',
      '        spec.bootMACAddress: "3c:ec:ef:a0:01:01" → "3c:ec:ef:a0:01:02"',
      '  InfraEnv',
      '    ~ sno-01/sno-01',
      '        spec.ignitionConfigOverride:',
      '  NMStateConfig',
      '    ~ sno-01/ztpfw-sno-01-master-0',
      '        spec.config.interfaces[eno1]["mac-address"]: "3c:ec:ef:a0:01:01" → "3c:ec:ef:a0:01:02"',
      '        spec.interfaces[eno1].macAddress: "3c:ec:ef:a0:01:01" → "3c:ec:ef:a0:01:02"',
    ]);
    // The ignition override is JSON with base64 files: the line diff shows the decoded script line.
    expect(r.stdout).toContain('\n          -          3c:ec:ef:a0:01:01 192.168.7.10/24\n          +          3c:ec:ef:a0:01:02 192.168.7.10/24\n');
    expect(flagLines(r.stdout)).toStrictEqual([
      '  ! Install field changed on an installed cluster: 2 objects in 1 cluster',
      '  ! Boot or interface MAC changed: 2 objects in 1 cluster',
    ]);
    expect(r.stdout.split('\n').filter((l) => /^ {6}clusters\//.test(l)).map((l) => l.replace(/ \(.*$/, ''))).toStrictEqual([
      '      clusters/sno-01 InfraEnv/sno-01',
      '      clusters/sno-01 NMStateConfig/ztpfw-sno-01-master-0',
      '      clusters/sno-01 BareMetalHost/ztpfw-sno-01-master-0',
      '      clusters/sno-01 NMStateConfig/ztpfw-sno-01-master-0',
    ]);
    expect(cli(['diff', '--exit-code'], ws).code).toBe(EXIT_DIFFERENCES);
    // dist/ is never touched by diff
    expect(git(ws, 'status', '--porcelain')).toBe(' M clusters/sno-01.yaml\n');
  });

  test('--format json: every flag and field change, machine-readable', () => {
    const ws = repo();
    edit(ws, 'clusters/sno-01.yaml', '3c:ec:ef:a0:01:01', '3c:ec:ef:a0:01:02');
    const r = cli(['diff', '--format', 'json'], ws);
    expect([r.code, r.stderr]).toStrictEqual([EXIT_OK, '']);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ head: 'clusters', counts: { added: 0, removed: 0, changed: 3 }, clusters: ['sno-01'], addedGroups: [], removedGroups: [] });
    expect(j.base).toMatch(/^dist\/ at HEAD \([0-9a-f]{12}\)$/);
    expect(j.flagGroups.map((g: any) => [g.rule, g.count, g.clusters])).toStrictEqual([['installed-cluster-install-change', 2, 1], ['boot-mac-changed', 2, 1]]);
    expect(j.flags).toHaveLength(4);
    expect(j.flags[2]).toStrictEqual({
      rule: 'boot-mac-changed',
      title: 'Boot or interface MAC changed',
      explanation: expect.stringMatching(/^Hosts and their static network/),
      group: 'clusters/sno-01',
      object: 'BareMetalHost/ztpfw-sno-01-master-0',
      detail: 'spec.bootMACAddress: "3c:ec:ef:a0:01:01" → "3c:ec:ef:a0:01:02"',
    });
    const bmh = j.objects.find((o: any) => o.kind === 'BareMetalHost');
    expect(bmh).toStrictEqual({
      status: 'changed', path: 'clusters/sno-01/baremetalhost-ztpfw-sno-01-master-0.yaml', group: 'clusters/sno-01', cluster: 'sno-01',
      kind: 'BareMetalHost', name: 'ztpfw-sno-01-master-0', namespace: 'sno-01',
      changes: [{ status: 'changed', path: 'spec.bootMACAddress', before: '3c:ec:ef:a0:01:01', after: '3c:ec:ef:a0:01:02' }],
    });
    const ignition = j.objects.find((o: any) => o.kind === 'InfraEnv').changes[0];
    expect(Object.keys(ignition)).toStrictEqual(['status', 'path', 'lines']);
    expect(ignition.lines).toContain('+          3c:ec:ef:a0:01:02 192.168.7.10/24');
    expect(cli(['diff', '--format', 'yaml'], ws).stderr).toMatch(/^ztpfw: --format must be text, markdown or json, got "yaml"/);
  });

  test('a removed cluster and a new OpenShift version', () => {
    const ws = repo();
    fs.rmSync(path.join(ws, 'clusters/compact-01.yaml'));
    edit(ws, 'clusters/config.yaml', '"4.14.25"', '"4.14.26"');
    // 4.14.26's digest, from the same source as 4.14.25's (README "Release through the mirror").
    edit(ws, 'clusters/config.yaml', 'a0ef946ef8ae75aef726af1d9bbaad278559ad8cab2c1ed1088928a0087990b6', '4fe7d4ccf4d967a309f83118f1a380a656a733d7fcee1dbaf4d51752a6372890');
    const r = cli(['diff', '--format', 'markdown'], ws);
    expect(r.code).toBe(EXIT_OK);
    // everything of compact-01 is removed, with its AppProject, plus the old ClusterImageSet
    const removed = objectsIn(path.join(ws, 'dist/clusters/compact-01')) + 2;
    // Changed: the hub image set, the hub pre-flight Job (it checks FIPS against the release), and per
    // remaining cluster its AgentClusterInstall and its edge mirror (the edge image set pins the release too).
    expect(r.stdout).toContain('ztpfw-edge-mirror-mirror');
    expect(r.stdout).toMatch(new RegExp(`^### ztpfw diff\\n\\n\\*\\*1 added, ${removed} removed, 6 changed objects\\*\\* in 3 clusters and argocd and hub: \`clusters\` rendered against dist/ at HEAD \\([0-9a-f]{12}\\)\\.\\n`));
    // The comment starts with the touched clusters as `ztpfw list` shows them, the removed one marked.
    expect(r.stdout).toContain([
      '| Cluster | Topology | STATE | Delivery | Bundles | Nodes | OCP |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| `edge-3p1-01` | standard | configure | manifestwork | nmstate,metallb,storage,registry,ui,disconnected | 3+1 | 4.14.26 |',
      '| `sno-01` | sno | configure | manifestwork | nmstate,metallb,storage,registry,ui,disconnected | 1 | 4.14.26 |',
      '| `compact-01` | (removed) |  |  |  |  |  |',
      '',
      '#### ⚠️ Risk flags',
    ].join('\n'));
    const flags = r.stdout.split('<!-- ztpfw-details -->')[0].split('\n').filter((l) => /^ *- \*\*|^  - `/.test(l)).map((l) => l.replace(/<br>.*$/, ''));
    expect(flags).toStrictEqual([
      '- **BareMetalHost removed**: 3 objects in 1 cluster',
      '  - `clusters/compact-01` `BareMetalHost/ztpfw-compact-01-master-0`',
      '  - `clusters/compact-01` `BareMetalHost/ztpfw-compact-01-master-1`',
      '  - `clusters/compact-01` `BareMetalHost/ztpfw-compact-01-master-2`',
      '- **ManagedCluster removed** `clusters/compact-01` `ManagedCluster/compact-01`',
      '- **ClusterDeployment removed** `clusters/compact-01` `ClusterDeployment/compact-01`',
      '- **Namespace removed** `clusters/compact-01` `Namespace/compact-01`',
      '- **Install field changed on an installed cluster**: 2 objects in 2 clusters',
      '  - `clusters/edge-3p1-01` `AgentClusterInstall/edge-3p1-01`: `spec.imageSetRef.name: "openshift-v4.14.25" → "openshift-v4.14.26"`',
      '  - `clusters/sno-01` `AgentClusterInstall/sno-01`: `spec.imageSetRef.name: "openshift-v4.14.25" → "openshift-v4.14.26"`',
    ]);
    expect(r.stdout).toContain('#### `clusters/compact-01` (cluster removed)');
    expect(r.stdout).toContain('#### `hub`\n\n**ClusterImageSet**\n\n- ➖ removed `openshift-v4.14.25`\n- ➕ added `openshift-v4.14.26`\n');
    expect(r.stdout).toContain('  - `data["imageset-config.yaml"]`\n    ```diff\n');
    const groups = r.stdout.split('\n').filter((l) => l.startsWith('#### `'));
    // The removed cluster's own project goes with it; no other project changes.
    expect(r.stdout).toContain('#### `argocd`\n\n**AppProject**\n\n- ➖ removed `openshift-gitops/ztpfw-cluster-compact-01`\n');
    expect(groups).toStrictEqual(['#### `argocd`', '#### `hub`', '#### `clusters/compact-01` (cluster removed)', '#### `clusters/edge-3p1-01`', '#### `clusters/sno-01`']);
  });

  test('new clusters; --blast-radius flags them; --base compares with an older commit', () => {
    const ws = repo();
    const first = git(ws, 'rev-parse', 'HEAD').trim();
    const sno = fs.readFileSync(path.join(ws, 'clusters/sno-01.yaml'), 'utf8');
    for (const n of [2, 3]) {
      fs.writeFileSync(path.join(ws, `clusters/sno-0${n}.yaml`), sno.replace(/sno-01/g, `sno-0${n}`).replace(/a0:01:01/g, `a0:0${n}:01`)
        .replace(/10\.20\.0\.(5|6|11)\b/g, (_, x) => `10.20.0.${Number(x) + 10 * n}`));
    }
    const r = cli(['diff', '--blast-radius', '1'], ws);
    expect(r.code).toBe(EXIT_OK);
    // argocd: each new cluster brings its own project; nothing else there changes.
    expect(outline(r.stdout).filter((l) => !l.startsWith('  '))).toStrictEqual(['argocd', 'clusters/sno-02 (new cluster)', 'clusters/sno-03 (new cluster)']);
    expect(r.stdout.split('\n')[1]).toBe(`${2 * objectsIn(path.join(ws, 'dist/clusters/sno-01')) + 2} added objects in 2 clusters and argocd`);
    expect(flagLines(r.stdout)).toStrictEqual(['  ! 2 clusters changed at once']);
    expect(flagLines(cli(['diff', '--blast-radius', '2'], ws).stdout)).toStrictEqual([]);
    // commit the render, then compare with the first commit: same changes; with HEAD: none
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    git(ws, 'add', '.');
    git(ws, 'commit', '-qm', 'sno-02');
    expect(cli(['diff'], ws).stdout).toMatch(/^No changes/);
    const older = cli(['diff', '--base', first, '--blast-radius', '1'], ws);
    expect(older.stdout.replace(/\([0-9a-f]{12}\)/, '')).toBe(r.stdout.replace(/\([0-9a-f]{12}\)/, '').replace(' at HEAD', ` at ${first}`));
  });

  test('--base-dir compares with a folder on disk (the working copy dist/)', () => {
    const ws = repo();
    edit(ws, 'dist/clusters/sno-01/baremetalhost-ztpfw-sno-01-master-0.yaml', 'online: true', 'online: false');
    expect(cli(['diff'], ws).stdout).toMatch(/^No changes/);
    const r = cli(['diff', '--base-dir', 'dist'], ws);
    expect(outline(r.stdout)).toStrictEqual(['clusters/sno-01', '  BareMetalHost', '    ~ sno-01/ztpfw-sno-01-master-0', '        spec.online: false → true']);
    expect(r.stdout.split('\n')[0]).toBe('ztpfw diff: clusters against folder dist/');
  });

  test('a base commit without dist/: everything is added, with a note', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-diff-'));
    fs.cpSync(path.join(ROOT, 'clusters'), path.join(ws, 'clusters'), { recursive: true });
    git(ws, 'init', '-q');
    git(ws, 'add', '.');
    git(ws, 'commit', '-qm', 'no dist');
    const r = cli(['diff', '--blast-radius', '10'], ws);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stderr).toBe('ztpfw: note: dist/ does not exist at HEAD; every object counts as added\n');
    expect(r.stdout).toMatch(/objects in 3 clusters and argocd and hub\n/);
    expect(r.stdout).not.toMatch(/^ {4}[-~] /m);
  });

  test('colour only on a terminal, never with NO_COLOR or for markdown', () => {
    const ws = repo();
    edit(ws, 'clusters/sno-01.yaml', '3c:ec:ef:a0:01:01', '3c:ec:ef:a0:01:02');
    expect(cli(['diff'], ws).stdout).not.toMatch(/\x1b\[/);
    expect(cli(['diff'], ws, { stdoutIsTty: true }).stdout).toMatch(/\x1b\[/);
    expect(cli(['diff'], ws, { stdoutIsTty: true, env: { NO_COLOR: '1' } }).stdout).not.toMatch(/\x1b\[/);
    expect(cli(['diff', '--color', 'never'], ws, { stdoutIsTty: true }).stdout).not.toMatch(/\x1b\[/);
    expect(cli(['diff', '--color', 'always'], ws).stdout).toMatch(/\x1b\[/);
    expect(cli(['diff', '--format', 'markdown', '--color', 'always'], ws).stdout).not.toMatch(/\x1b\[/);
  });

  test('an invalid fleet exits 1 with located errors and compares nothing', () => {
    const ws = repo();
    edit(ws, 'clusters/config.yaml', '"4.14.25"', '"4.14"');
    const r = cli(['diff'], ws);
    expect(r).toStrictEqual({ code: EXIT_INVALID, stdout: '', stderr: 'clusters/config.yaml:6:19: error: "OC_OCP_VERSION" must be a version like "4.14.12", got "4.14"\n1 error; nothing compared\n' });
  });

  test.each<[string[], RegExp]>([
    [['diff', '--format', 'html'], /^ztpfw: --format must be text, markdown or json, got "html"\n/],
    [['diff', '--base', 'no-such-branch'], /^ztpfw: unknown revision "no-such-branch" \(fetch it first/],
    [['diff', '--base=--output=x'], /^ztpfw: invalid revision "--output=x"\n/],
    [['diff', '--base', 'HEAD', '--base-dir', 'dist'], /^ztpfw: --base and --base-dir exclude each other\n/],
    [['diff', '--base-dir', 'nope'], /^ztpfw: --base-dir "nope" is not a folder\n/],
    [['diff', '--max-lines', '0'], /^ztpfw: --max-lines must be a whole number of 1 or more, got "0"\n/],
    [['diff', '--blast-radius', 'x'], /^ztpfw: --blast-radius must be a whole number of 1 or more, got "x"\n/],
    [['diff', '--color', 'sometimes'], /^ztpfw: --color must be auto, always or never, got "sometimes"\n/],
  ])('usage: %j exits 2', (args, message) => {
    const r = cli(args, base);
    expect([r.code, r.stdout]).toStrictEqual([EXIT_USAGE, '']);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Run "ztpfw diff --help" for usage\.\n$/);
  });

  test('outside a git work tree: exit 2 pointing at --base-dir', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-nogit-'));
    fs.cpSync(path.join(ROOT, 'clusters'), path.join(ws, 'clusters'), { recursive: true });
    const r = cli(['diff'], ws);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/is not inside a git work tree .*use --base-dir/);
  });
});
