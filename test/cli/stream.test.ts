/**
 * `ztpfw synth` renders chart by chart: each chart is written as soon as it is complete and leaves the construct
 * tree, and the files are byte for byte those of rendering the whole tree at once. Without a stream (`cdk8s synth`)
 * the tree keeps every chart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { renderedCharts, streamCharts, ZtpChart } from '../../charts/common/chart';
import { Io, run } from '../../cli/main';
import { renderApp } from '../../cli/render';
import { generateFleet } from '../../hack/fleet-generator';
import { addCharts, buildApp } from '../../main';
import { loadFleet } from '../../model/loader';
import type { Fleet } from '../../model/types';

const SIZE = 12;

function walk(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, p) : [p];
  });
}

describe('rendering chart by chart', () => {
  let dir: string;
  let input: string;
  let fleet: Fleet;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-stream-'));
    input = path.join(dir, 'fleet.yaml');
    // The generated mix, with the Argo CD bootstrap (it reads what every other chart rendered).
    fs.writeFileSync(input, generateFleet(SIZE).text.replace('  ACM_ENABLED: true\n', '  ACM_ENABLED: true\n  GIT_REPO_URL: https://git.example.com/fleet.git\n'));
    fleet = loadFleet(input).fleet!;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('synth writes exactly the files of rendering the whole tree at once', () => {
    const io: Io = { stdout: () => undefined, stderr: () => undefined, isTty: false, cwd: dir };
    expect(run(['synth', '-q', '-i', input, '-o', 'dist'], io)).toBe(0);
    const whole = renderApp(buildApp(fleet)).files;
    const written = walk(path.join(dir, 'dist')).filter((f) => !f.startsWith('.')).sort();
    expect(written).toStrictEqual(whole.map((f) => f.path));
    for (const f of whole) expect({ path: f.path, same: fs.readFileSync(path.join(dir, 'dist', f.path), 'utf8') === f.content }).toStrictEqual({ path: f.path, same: true });
    expect(whole.some((f) => f.path.startsWith('argocd/projects/'))).toBe(true);
  });

  test('the tree holds one complete chart at a time, and the summaries keep what went', () => {
    const app = new App();
    const seen: string[] = [];
    let most = 0;
    const stream = streamCharts(app, (chart) => {
      seen.push(chart.outputDir);
      // the chart handed over and the one just started
      most = Math.max(most, app.node.children.filter(ZtpChart.isZtpChart).length);
    });
    addCharts(app, fleet);
    stream.finish();
    expect(most).toBe(2);
    expect(app.node.children.filter(ZtpChart.isZtpChart)).toStrictEqual([]);
    const whole = buildApp(fleet).node.children.filter(ZtpChart.isZtpChart).map((c) => c.outputDir);
    expect(seen).toStrictEqual(whole);
    expect(seen.filter((d) => d.startsWith('clusters/')).length).toBeGreaterThan(SIZE);
  });

  test('without a stream the tree keeps every chart (cdk8s synth), and the summaries come from the tree', () => {
    const app = buildApp(fleet);
    const charts = app.node.children.filter(ZtpChart.isZtpChart);
    expect(renderedCharts(app).map((c) => c.outputDir)).toStrictEqual(charts.map((c) => c.outputDir));
    const outdir = path.join(dir, 'cdk8s.out');
    const full = buildApp(fleet, { outdir });
    full.synth();
    expect(fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).length).toBe(charts.length);
  });
});
