import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';

/** The CI workflow is code too: its shape is checked here because it cannot run on this machine. */
const wf = YAML.parse(fs.readFileSync(path.resolve(__dirname, '../.github/workflows/ztpfw.yml'), 'utf8'));
const steps: any[] = wf.jobs.check.steps;

describe('.github/workflows/ztpfw.yml', () => {
  test('runs on pull requests and on pushes to main', () => {
    expect(wf.on).toStrictEqual({ pull_request: null, push: { branches: ['main'] } });
  });

  test('every action is pinned to an exact version', () => {
    const uses = Object.values<any>(wf.jobs).flatMap((j) => j.steps as any[]).filter((s) => s.uses).map((s) => s.uses as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
  });

  test('full history for the diff base, Node 20, then the checks of .ci/run, validate annotations, diff, artifact', () => {
    expect(steps[0]).toMatchObject({ uses: expect.stringMatching(/^actions\/checkout@/), with: { 'fetch-depth': 0 } });
    expect(steps[1]).toMatchObject({ uses: expect.stringMatching(/^actions\/setup-node@/), with: { 'node-version': 20 } });
    const runs = steps.slice(2).filter((s) => s.run).map((s) => s.run as string);
    expect(runs[0]).toBe('bash .ci/run');
    expect(runs[1]).toBe('node bin/ztpfw.js validate --format github');
    expect(runs[2]).toMatch(/base="origin\/\$BASE_REF"[\s\S]*node bin\/ztpfw\.js diff --base "\$base" --format markdown > ztpfw-diff\.md/);
    expect(runs[2]).toMatch(/hack\/pr-comment\.ts --summary ztpfw-diff\.md >> "\$GITHUB_STEP_SUMMARY"/);
    expect(steps[2 + 2].env).toStrictEqual({ EVENT: '${{ github.event_name }}', BASE_REF: '${{ github.base_ref }}', BEFORE: '${{ github.event.before }}' });
    const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(steps[upload - 1].name).toBe('Rendered diff');
    expect(steps[upload]).toMatchObject({ if: "${{ !cancelled() && steps.diff.outcome == 'success' }}", with: { name: 'ztpfw-diff', path: 'ztpfw-diff.md' } });
    expect(steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'))).toHaveLength(1);
  });

  test('.ci/run: tools required, pinned kubectl, tests, drift of dist/, schema and imports/, verify, lowest Node, render-only install', () => {
    const ci = fs.readFileSync(path.resolve(__dirname, '../.ci/run'), 'utf8');
    const order = [
      'export ZTPFW_REQUIRE_SHELLCHECK=1 ZTPFW_REQUIRE_KUBECTL=1', 'npm ci --no-audit --no-fund', 'ZTPFW_KUBECTL="$(npm run -s kubectl)"',
      'npm test', 'npm run synth', '--kustomize require', 'npm run -s schema', 'npm run -s import',
      'git status --porcelain -- dist clusters/edgeclusters.schema.json imports schemas', 'bash hack/lowest-node.sh', 'npm ci --omit=dev',
    ].map((needle) => ci.indexOf(needle));
    expect(order).not.toContain(-1);
    expect([...order].sort((a, b) => a - b)).toStrictEqual(order);
  });
});

describe('.github/workflows/ztpfw.yml permissions', () => {
  const jobs = Object.entries<any>(wf.jobs);
  const tokenSteps = jobs.flatMap(([name, job]) => (job.steps as any[]).filter((s) => JSON.stringify(s).includes('secrets.')).map((s) => ({ job: name, step: s })));

  /** Jobs that may write, and what: the PR comment, and the UI image publication (merged code only, see below). */
  const WRITERS: Record<string, string[]> = { comment: ['pull-requests'], 'ui-image-publish': ['packages'] };

  test('the workflow default and every job but the comment and UI image publication jobs are read-only', () => {
    expect(wf.permissions).toStrictEqual({ contents: 'read' });
    for (const [name, job] of jobs) {
      const writes = Object.entries(job.permissions ?? {}).filter(([, v]) => v !== 'read' && v !== 'none').map(([k]) => k);
      expect({ job: name, writes }).toStrictEqual({ job: name, writes: WRITERS[name] ?? [] });
    }
  });

  test('the UI image is built on every change read-only, and published only from a push to main', () => {
    expect(wf.jobs['ui-image'].permissions).toStrictEqual({ contents: 'read' });
    expect(wf.jobs['ui-image'].steps.filter((s: any) => JSON.stringify(s).includes('secrets.'))).toStrictEqual([]);
    const publish = wf.jobs['ui-image-publish'];
    expect(publish.needs).toBe('ui-image');
    expect(publish.if).toBe("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}");
    expect(publish.if).not.toMatch(/pull_request/);
  });

  test('no checkout leaves the token in .git/config', () => {
    const checkouts = jobs.flatMap(([, job]) => (job.steps as any[]).filter((s) => s.uses?.startsWith('actions/checkout@')));
    expect(checkouts.length).toBeGreaterThanOrEqual(2);
    for (const c of checkouts) expect(c.with?.['persist-credentials']).toBe(false);
  });

  test('the job that runs the pull request (.ci/run: npm ci, npm test) never sees a secret', () => {
    const runsPr = jobs.filter(([, job]) => (job.steps as any[]).some((s) => s.run === 'bash .ci/run'));
    expect(runsPr.map(([n]) => n)).toStrictEqual(['check']);
    expect(tokenSteps.map((t) => t.job)).not.toContain('check');
  });

  test('only the comment step holds the token: base-branch code, no install scripts, pull requests only', () => {
    // (the publication job's token is checked above: merged code on main only, never a pull request)
    expect(tokenSteps.filter((t) => t.job !== 'ui-image-publish').map((t) => `${t.job}: ${t.step.run}`)).toStrictEqual(['comment: npx ts-node --transpile-only hack/pr-comment.ts ztpfw-diff.md']);
    const comment = wf.jobs.comment;
    expect(comment.needs).toBe('check');
    expect(comment.if).toMatch(/github\.event_name == 'pull_request'/);
    const checkout = comment.steps.find((s: any) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout.with.ref).toBe('${{ github.event.pull_request.base.sha }}');
    const runs = comment.steps.filter((s: any) => s.run).map((s: any) => s.run);
    expect(runs).toStrictEqual(['npm ci --ignore-scripts', 'npx ts-node --transpile-only hack/pr-comment.ts ztpfw-diff.md']);
    expect(comment.steps.find((s: any) => s.uses?.startsWith('actions/download-artifact@'))).toMatchObject({ with: { name: 'ztpfw-diff' } });
  });
});

describe('.gitignore', () => {
  test('keeps credentials and a synth\'s leftovers out of git', () => {
    const names = ['secrets.yaml', 'secrets.yml', 'site.secrets.yaml', 'site.secrets.yml', 'pull-secret.json', '.env', '.env.local', 'secrets/bmc.yaml', 'id_rsa', 'hub.key', '.dist.ztpfw-lock', '.dist.ztpfw-old', '.dist.ztpfw-stage-abc123/x.yaml'];
    const r = spawnSync('git', ['check-ignore', '--no-index', '--stdin', '-v'], { cwd: path.resolve(__dirname, '..'), input: names.join('\n'), encoding: 'utf8' });
    const ignored = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[1]);
    expect(ignored).toStrictEqual(names);
    const tracked = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: path.resolve(__dirname, '..'), input: 'clusters/config.yaml\ndist/.ztpfw-output\nexamples/secrets-example.md\n', encoding: 'utf8' });
    expect(tracked.stdout).toBe('');
  });
});
