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
    const uses = steps.filter((s) => s.uses).map((s) => s.uses as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
  });

  test('full history for the diff base, Node 20, then install, test, drift check, verify, diff, comment', () => {
    expect(steps[0]).toMatchObject({ uses: expect.stringMatching(/^actions\/checkout@/), with: { 'fetch-depth': 0 } });
    expect(steps[1]).toMatchObject({ uses: expect.stringMatching(/^actions\/setup-node@/), with: { 'node-version': 20 } });
    const runs = steps.slice(2).map((s) => s.run as string);
    expect(runs[0]).toBe('npm ci');
    expect(runs[1]).toBe('npm test');
    expect(runs[2]).toMatch(/npm run synth[\s\S]*git status --porcelain -- dist[\s\S]*exit 1/);
    expect(runs[3]).toBe('node bin/ztpfw.js verify');
    expect(runs[4]).toMatch(/base="origin\/\$BASE_REF"[\s\S]*node bin\/ztpfw\.js diff --base "\$base" --format markdown > ztpfw-diff\.md/);
    expect(steps[4 + 2].env).toStrictEqual({ EVENT: '${{ github.event_name }}', BASE_REF: '${{ github.base_ref }}', BEFORE: '${{ github.event.before }}' });
    expect(runs[5]).toBe('npx ts-node --transpile-only hack/pr-comment.ts ztpfw-diff.md');
  });

  test('only the pull request comment step gets the token, with pull-requests: write', () => {
    expect(wf.jobs.check.permissions).toStrictEqual({ contents: 'read', 'pull-requests': 'write' });
    const withToken = steps.filter((s) => JSON.stringify(s.env ?? {}).includes('secrets.GITHUB_TOKEN'));
    expect(withToken.map((s) => s.run)).toStrictEqual(['npx ts-node --transpile-only hack/pr-comment.ts ztpfw-diff.md']);
    expect(withToken[0].if).toMatch(/github\.event_name == 'pull_request'/);
  });
});
