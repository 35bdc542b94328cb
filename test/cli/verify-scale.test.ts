/**
 * `ztpfw verify` at fleet scale: one kustomize build per shape of cluster folder (and every folder of a shape whose
 * build fails), repeated warnings grouped, progress on a terminal only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { groupedFindings, Io, run } from '../../cli/main';
import { renderApp, writeAtomically } from '../../cli/render';
import type { Finding, VerifyReport } from '../../cli/verify/verify';
import { clusterName, generateFleet } from '../../hack/fleet-generator';
import { buildApp } from '../../main';
import { loadFleet } from '../../model/loader';

const ROOT = path.resolve(__dirname, '../..');
const SIZE = 12;

interface Captured { code: number; stdout: string; stderr: string }

function cli(args: string[], isTty = false): Captured {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty, cwd: ROOT };
  const saved = process.env.CI;
  delete process.env.CI;
  try {
    return { code: run(args, io), stdout, stderr };
  } finally {
    if (saved !== undefined) process.env.CI = saved;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function walk(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, p) : [p];
  });
}

function editYaml(file: string, change: (o: any) => void): void {
  const obj = jsyaml.load(fs.readFileSync(file, 'utf8'));
  change(obj);
  fs.writeFileSync(file, jsyaml.dump(obj, { noRefs: true, lineWidth: -1 }));
}

describe('verify builds one cluster folder per shape', () => {
  let dir: string;
  let out: string;
  let input: string;
  /** Cluster names grouped by the files of their folder with the name taken out: what kustomize would see alike. */
  let groups: string[][];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-verify-scale-'));
    input = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(input, generateFleet(SIZE).text);
    out = path.join(dir, 'dist');
    const loaded = loadFleet(input);
    writeAtomically(out, renderApp(buildApp(loaded.fleet!)).files);
    const byFiles = new Map<string, string[]>();
    for (let i = 0; i < SIZE; i++) {
      const name = clusterName(i);
      const k = walk(path.join(out, 'clusters', name)).map((f) => f.split(name).join('*')).sort().join('\n');
      byFiles.set(k, [...(byFiles.get(k) ?? []), name]);
    }
    groups = [...byFiles.values()];
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const verify = (): { code: number; report: VerifyReport } => {
    const r = cli(['verify', '--json', '-o', out, '-i', input, '--kustomize', 'require']);
    return { code: r.code, report: JSON.parse(r.stdout) as VerifyReport };
  };
  const kustomizeErrors = (report: VerifyReport) => report.findings.filter((f) => f.class === 'kustomize').map((f) => `${f.file}: ${f.message}`);

  test('the generated fleet has clusters of the same shape', () => {
    expect(groups.length).toBeLessThan(SIZE);
    expect(groups.some((g) => g.length > 1)).toBe(true);
  });

  test('a good fleet: one build per shape, no finding', () => {
    const { code, report } = verify();
    expect(code).toBe(0);
    expect(report.findings.filter((f) => f.severity === 'error')).toStrictEqual([]);
    // hub and argocd are root folders of their own (the generated fleet has no GIT_REPO_URL: no argocd/)
    const roots = SIZE + 1;
    expect(report.checks.find((c) => c.name === 'kustomize')?.scope).toMatch(new RegExp(`: ${roots} root folders of ${groups.length + 1} shapes, ${groups.length + 1} builds$`));
  });

  describe('a member of a shape that is not the one built', () => {
    let saved: Map<string, string>;
    let member: string;
    beforeEach(() => {
      member = groups.find((g) => g.length > 1)![1];
      saved = new Map(walk(path.join(out, 'clusters', member)).map((f) => [f, fs.readFileSync(path.join(out, 'clusters', member, f), 'utf8')]));
    });
    afterEach(() => {
      for (const [f, text] of saved) fs.writeFileSync(path.join(out, 'clusters', member, f), text);
    });

    test('a folder that does not build is built, and fails at its folder', () => {
      // the same object in two files: kustomize refuses to register its id twice
      const copy = path.join(out, 'clusters', member, 'zz-copy.yaml');
      fs.copyFileSync(path.join(out, 'clusters', member, `configmap-${member}-extra-manifests.yaml`), copy);
      editYaml(path.join(out, 'clusters', member, 'kustomization.yaml'), (k) => { k.resources.push('zz-copy.yaml'); });
      try {
        const { code, report } = verify();
        expect(code).toBe(1);
        expect(kustomizeErrors(report)).toStrictEqual([expect.stringMatching(new RegExp(`^clusters/${member}/kustomization\\.yaml: kubectl kustomize dist/clusters/${member} failed: .*already registered id`, 's'))]);
      } finally {
        fs.rmSync(copy);
      }
    });

    test('an annotation kustomize acts on makes it a shape of its own: the object it drops is found missing', () => {
      const file = path.join(out, 'clusters', member, `configmap-${member}-extra-manifests.yaml`);
      editYaml(file, (o) => { o.metadata.annotations['config.kubernetes.io/local-config'] = 'true'; });
      const { report } = verify();
      expect(kustomizeErrors(report)).toStrictEqual([
        `clusters/${member}/kustomization.yaml: the build lacks 1 object(s) of the folder: v1 ConfigMap ${member}/${member}-extra-manifests`,
      ]);
    });

    test('other values do not change the shape: the folder is proven by its shape, not built', () => {
      editYaml(path.join(out, 'clusters', member, `configmap-${member}-extra-manifests.yaml`), (o) => { o.data = { 'x.yml': 'changed: true\n' }; });
      const { report } = verify();
      expect(kustomizeErrors(report)).toStrictEqual([]);
      expect(report.checks.find((c) => c.name === 'kustomize')?.scope).toMatch(new RegExp(`, ${groups.length + 1} builds$`));
    });
  });

  test('progress goes to a terminal only, and never with --json', () => {
    const tty = cli(['verify', '-o', out, '-i', input, '--kustomize', 'skip'], true);
    expect(tty.stderr).toMatch(/\r\x1b\[Kverifying: schemas \d+\/\d+/);
    expect(cli(['verify', '-o', out, '-i', input, '--kustomize', 'skip']).stderr).not.toContain('\r');
    expect(cli(['verify', '--json', '-o', out, '-i', input, '--kustomize', 'skip'], true).stderr).not.toContain('\r');
    expect(cli(['verify', '--format', 'json', '-o', out, '-i', input, '--kustomize', 'skip'], true).stderr).not.toContain('\r');
  });
});

describe('groupedFindings', () => {
  const warning = (file: string, message = 'no pinned schema for config.openshift.io/v1 Image'): Finding => ({ severity: 'warning', class: 'no-schema', file, object: 'Image cluster', message });

  test('repeated warnings are one line with the count and the next locations; errors stay one per line', () => {
    const findings: Finding[] = [
      warning('hub/image-cluster.yaml'),
      { severity: 'error', class: 'schema', file: 'hub/a.yaml', object: 'X a', message: 'spec.x: must be string' },
      ...Array.from({ length: 5 }, (_, i) => warning(`clusters/c${i}/w.yaml`)),
      warning('hub/other.yaml', 'no pinned schema for metal3.io/v1alpha1 Provisioning'),
      { severity: 'error', class: 'schema', file: 'hub/b.yaml', object: 'X b', message: 'spec.x: must be string' },
    ];
    expect(groupedFindings(findings, 'dist')).toStrictEqual([
      'dist/hub/image-cluster.yaml: warning[no-schema]: Image cluster: no pinned schema for config.openshift.io/v1 Image (6 times; also dist/clusters/c0/w.yaml, dist/clusters/c1/w.yaml, dist/clusters/c2/w.yaml, and 2 more)',
      'dist/hub/a.yaml: error[schema]: X a: spec.x: must be string',
      'dist/hub/other.yaml: warning[no-schema]: Image cluster: no pinned schema for metal3.io/v1alpha1 Provisioning',
      'dist/hub/b.yaml: error[schema]: X b: spec.x: must be string',
    ]);
  });
});
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('verify and the per-cluster AppProjects', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-verify-projects-'));
    fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const references = () => {
    const r = cli(['verify', '--json', '-o', path.join(dir, 'dist'), '-i', 'clusters', '--kustomize', 'skip']);
    return (JSON.parse(r.stdout) as VerifyReport).findings.filter((f) => f.severity === 'error').map((f) => `${f.class}: ${f.file}: ${f.object ?? ''}: ${f.message}`);
  };

  test('the committed output: the projects folder needs no kustomization, every generated Application has its project', () => {
    expect(references()).toStrictEqual([]);
  });

  test('a cluster folder whose project is missing is a reference error of the ApplicationSet', () => {
    fs.rmSync(path.join(dir, 'dist/argocd/projects/appproject-ztpfw-cluster-sno-01.yaml'));
    expect(references()).toStrictEqual([
      'reference: argocd/applicationset-ztpfw-clusters.yaml: ApplicationSet openshift-gitops/ztpfw-clusters (the Application for dist/clusters/sno-01): spec.project ztpfw-cluster-sno-01 is not a rendered AppProject',
    ]);
  });

  test('a kustomization in the projects folder makes it no plain directory', () => {
    fs.writeFileSync(path.join(dir, 'dist/argocd/projects/kustomization.yaml'), jsyaml.dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: fs.readdirSync(path.join(dir, 'dist/argocd/projects')) }));
    expect(references()).toStrictEqual([
      'reference: argocd/application-ztpfw-cluster-projects.yaml: Application openshift-gitops/ztpfw-cluster-projects: spec.source.path dist/argocd/projects is not a rendered folder of plain YAML files (a directory source)',
      'invariant: argocd/kustomization.yaml: : does not list projects',
    ]);
  });
});
