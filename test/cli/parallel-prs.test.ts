/**
 * Pull requests that each add, change or remove a different cluster merge without conflict in a real git
 * repository, and the merged dist/ is exactly what a fresh synth of the merged fleet renders.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_OK, Io, run } from '../../cli/main';

const ROOT = path.resolve(__dirname, '../..');

function synth(cwd: string): void {
  let stderr = '';
  const io: Io = { stdout: () => undefined, stderr: (s) => { stderr += s; }, isTty: false, cwd, env: {} };
  const code = run(['synth', '-q'], io);
  if (code !== EXIT_OK) throw new Error(`synth failed:\n${stderr}`);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
}

/** A copy of sno-01 as cluster `name`, with its own MAC, BMC and external addresses (n = 2..9). */
function snoCopy(name: string, n: number, extraConfig = ''): string {
  const sno = fs.readFileSync(path.join(ROOT, 'clusters/sno-01.yaml'), 'utf8');
  return sno.replace(/sno-01/g, name).replace(/a0:01:01/g, `a0:0${n}:01`)
    .replace(/10\.20\.0\.(5|6|11)\b/g, (_, x) => `10.20.0.${Number(x) + 10 * n}`)
    .replace('      config:\n', `      config:\n${extraConfig}`);
}

/** A pull request: a branch from main with one change to the fleet, synthesized and committed with its dist/. */
function pullRequest(repo: string, branch: string, change: (dir: string) => void): string[] {
  git(repo, 'checkout', '-q', '-b', branch, 'main');
  change(repo);
  synth(repo);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', branch);
  git(repo, 'checkout', '-q', 'main');
  return git(repo, 'diff', '--name-only', `main...${branch}`).trim().split('\n');
}

describe('parallel cluster pull requests', () => {
  let repo: string;
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-prs-'));
    fs.cpSync(path.join(ROOT, 'clusters'), path.join(repo, 'clusters'), { recursive: true });
    synth(repo);
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  /** Merges the branches into main one after the other; returns git's exit code of each merge. */
  function mergeAll(...branches: string[]): number[] {
    return branches.map((b) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'merge', '--no-edit', '-q', b], { cwd: repo, encoding: 'utf8' }).status ?? -1);
  }

  /** After the merges, a fresh synth of the merged fleet changes nothing. */
  function expectMergedDistIsFresh(): void {
    expect(git(repo, 'status', '--porcelain')).toBe('');
    synth(repo);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }

  test('two pull requests that each add a different cluster merge cleanly', () => {
    // GIVEN two branches from main: one adds an SNO on ManifestWorks, the other an SNO on ACM Policies next to it
    const a = pullRequest(repo, 'add-sno-02', (dir) => fs.writeFileSync(path.join(dir, 'clusters/sno-02.yaml'), snoCopy('sno-02', 2)));
    const b = pullRequest(repo, 'add-sno-03', (dir) => fs.writeFileSync(path.join(dir, 'clusters/sno-03.yaml'), snoCopy('sno-03', 3, '        STATE: install\n')));

    // THEN each touches only its cluster's input, its cluster folder and its cluster's AppProject
    const own = (name: string) => (f: string) => f === `clusters/${name}.yaml` || f.startsWith(`dist/clusters/${name}/`) || f === `dist/argocd/projects/appproject-ztpfw-cluster-${name}.yaml`;
    expect(a.filter((f) => !own('sno-02')(f))).toStrictEqual([]);
    expect(b.filter((f) => !own('sno-03')(f))).toStrictEqual([]);
    expect(a).toContain('dist/argocd/projects/appproject-ztpfw-cluster-sno-02.yaml');

    // WHEN both merge into main, THEN without conflict, and the merged dist/ is what synth renders
    expect(mergeAll('add-sno-02', 'add-sno-03')).toStrictEqual([0, 0]);
    expect(fs.existsSync(path.join(repo, 'dist/clusters/sno-02'))).toBe(true);
    expect(fs.existsSync(path.join(repo, 'dist/clusters/sno-03'))).toBe(true);
    expectMergedDistIsFresh();
  });

  test('removing one cluster and changing another in parallel merge cleanly', () => {
    const removed = pullRequest(repo, 'remove-compact-01', (dir) => fs.rmSync(path.join(dir, 'clusters/compact-01.yaml')));
    const changed = pullRequest(repo, 'change-sno-01', (dir) => {
      const file = path.join(dir, 'clusters/sno-01.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('root_disk: /dev/nvme0n1', 'root_disk: /dev/sda'));
    });
    expect(removed.every((f) => f === 'clusters/compact-01.yaml' || f.startsWith('dist/clusters/compact-01/') || f === 'dist/argocd/projects/appproject-ztpfw-cluster-compact-01.yaml')).toBe(true);
    expect(changed.every((f) => f === 'clusters/sno-01.yaml' || f.startsWith('dist/clusters/sno-01/'))).toBe(true);
    expect(mergeAll('remove-compact-01', 'change-sno-01')).toStrictEqual([0, 0]);
    expectMergedDistIsFresh();
  });
});
