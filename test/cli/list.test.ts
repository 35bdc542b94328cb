import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, Io, run } from '../../cli/main';

const ROOT = path.resolve(__dirname, '../..');

function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty: false, cwd };
  return { code: run(args, io), stdout, stderr };
}

/** The demonstration fleet with sno-01 detached on policy delivery, and the 3+1 cluster's worker being removed. */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-list-'));
  fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
  const edit = (file: string, from: RegExp, to: string) => {
    const p = path.join(dir, 'clusters', file);
    const text = fs.readFileSync(p, 'utf8');
    expect(text).toMatch(from);
    fs.writeFileSync(p, text.replace(from, to));
  };
  edit('config.yaml', /^config:\n/m, 'config:\n  ACM_ENABLED: true\n');
  edit('sno-01.yaml', /^      config:\n/m, '      contrib:\n        gpu-operator: {version: v23.9.1}\n      config:\n        STATE: standalone\n        DAY2_DELIVERY: policy\n        DAY2_BUNDLES: [nmstate, registry, disconnected]\n');
  edit('edge-3p1-01.yaml', /^      worker0:\n/m, '      worker0:\n        state: remove\n');
  return dir;
}

describe('ztpfw list', () => {
  test('text: one aligned row per cluster, in input order', () => {
    const r = cli(['list'], workspace());
    expect([r.code, r.stderr]).toStrictEqual([EXIT_OK, '']);
    expect(r.stdout.split('\n')).toStrictEqual([
      'CLUSTER      TOPOLOGY  STATE       DELIVERY      BUNDLES                                           NODES           OCP',
      'compact-01   compact   configure   manifestwork  nmstate,metallb,storage,registry,ui,disconnected  3               4.14.25',
      'edge-3p1-01  compact   configure   manifestwork  nmstate,metallb,storage,registry,ui,disconnected  3 (1 removing)  4.14.25',
      'sno-01       sno       standalone  policy        nmstate,registry,disconnected,gpu                 1               4.14.25',
      '',
    ]);
  });

  test('markdown and json', () => {
    const ws = workspace();
    expect(cli(['list', '--format', 'markdown'], ws).stdout.split('\n').slice(0, 3)).toStrictEqual([
      '| Cluster | Topology | STATE | Delivery | Bundles | Nodes | OCP |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| `compact-01` | compact | configure | manifestwork | nmstate,metallb,storage,registry,ui,disconnected | 3 | 4.14.25 |',
    ]);
    const j = JSON.parse(cli(['list', '-f', 'json'], ws).stdout);
    expect(j.input).toBe('clusters');
    expect(j.clusters.map((c: any) => c.name)).toStrictEqual(['compact-01', 'edge-3p1-01', 'sno-01']);
    expect(j.clusters[1]).toStrictEqual({
      name: 'edge-3p1-01', file: 'clusters/edge-3p1-01.yaml', topology: 'compact', state: 'configure', delivery: 'manifestwork',
      bundles: ['nmstate', 'metallb', 'storage', 'registry', 'ui', 'disconnected'], masters: 3, workers: 0, removing: ['ztpfw-edge-3p1-01-worker-0'], ocp: '4.14.25',
    });
    expect(j.clusters[2]).toMatchObject({ state: 'standalone', delivery: 'policy', bundles: ['nmstate', 'registry', 'disconnected', 'gpu'], masters: 1, workers: 0 });
  });

  test('an invalid fleet: errors only, exit 1; a bad format: exit 2', () => {
    const ws = workspace();
    fs.appendFileSync(path.join(ws, 'clusters/sno-01.yaml'), '        bmc_secrett: x\n');
    const r = cli(['list'], ws);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^clusters\/sno-01\.yaml:\d+:\d+: error: unknown key "bmc_secrett"/);
    expect(cli(['list', '-f', 'yaml'], ws)).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringMatching(/^ztpfw: --format must be text, markdown or json, got "yaml"/) });
  });
});
