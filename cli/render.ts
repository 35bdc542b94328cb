/**
 * Turns a built cdk8s App into files: one object per file, a kustomization.yaml per chart folder, written into a
 * staging folder that then replaces the output folder in one step.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { streamCharts, ZtpChart } from '../charts/common/chart';
import { openOutput, Staging } from './output-dir';

export interface RenderedFile {
  /** Path relative to the output folder, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

export interface RenderResult {
  readonly files: RenderedFile[];
  readonly objects: number;
}

/**
 * YAML text of one object. js-yaml is several times faster than the `yaml` package on large fleets; its
 * compatibility mode (on by default) quotes strings a YAML 1.1 reader would take for booleans or octals (`yes`,
 * `on`, `0644`), which is what Kubernetes reads. Keys arrive sorted from cdk8s, so the text is deterministic.
 */
export function toYaml(obj: unknown): string {
  return jsyaml.dump(obj, { noRefs: true, lineWidth: -1 });
}

/** File name of one object: `<kind>-<name>.yaml`, lower-case (`baremetalhost-ztpfw-sno-01-master-0.yaml`). */
export function objectFileName(obj: { kind: string; metadata?: { name?: string } }): string {
  return `${obj.kind.toLowerCase()}-${obj.metadata?.name ?? 'unnamed'}.yaml`;
}

/**
 * Turns charts into files, one chart at a time: each object's file goes to `emit` as soon as its chart is rendered,
 * and only the file names are kept (for the kustomizations `finish` emits), so rendering holds one chart's text at
 * a time however large the fleet.
 */
export class ChartRenderer {
  /** Folder → the object files rendered into it so far. */
  private readonly byDir = new Map<string, Set<string>>();
  /** Folders synced as plain directories: no kustomization.yaml, not listed by their parent's. */
  private readonly plainDirs = new Set<string>();
  private objectCount = 0;
  private fileCount = 0;

  constructor(private readonly emit: (path: string, content: string) => void) {}

  /** Objects rendered so far. */
  get objects(): number {
    return this.objectCount;
  }

  /** Files emitted so far (kustomizations included once `finish` ran). */
  get files(): number {
    return this.fileCount;
  }

  chart(chart: ZtpChart): void {
    chart.node.validate();
    const dir = chart.outputDir;
    const files = this.byDir.get(dir) ?? new Set<string>();
    this.byDir.set(dir, files);
    if (!chart.kustomization) this.plainDirs.add(dir);
    for (const obj of chart.node.findAll()) {
      if (!(obj instanceof ApiObject)) continue;
      const json = obj.toJson();
      const name = objectFileName(json);
      if (files.has(name) || name === 'kustomization.yaml') {
        throw new Error(`two objects render to ${dir}/${name}; object names must be unique per kind in a folder`);
      }
      files.add(name);
      this.send(`${dir}/${name}`, toYaml(json));
      this.objectCount++;
    }
  }

  /** Emits a kustomization.yaml for every folder; returns the path of every file emitted, sorted. */
  finish(): string[] {
    const dirs = [...this.byDir.keys()].sort();
    // Chart folders directly below each folder, in sorted order: one pass instead of a scan per folder, which was
    // quadratic in the number of folders (several per cluster once day-2 bundles render).
    const childrenOf = new Map<string, string[]>();
    for (const d of dirs) {
      const slash = d.lastIndexOf('/');
      if (slash < 0 || this.plainDirs.has(d)) continue;
      const parent = d.slice(0, slash);
      if (this.byDir.has(parent)) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), d.slice(slash + 1)]);
    }
    const paths: string[] = [];
    for (const dir of dirs) {
      const names = [...this.byDir.get(dir)!].sort();
      for (const name of names) paths.push(`${dir}/${name}`);
      if (this.plainDirs.has(dir)) continue;
      // A chart folder's kustomization also includes the chart folders directly below it (a cluster's day-2
      // bundles under clusters/<cluster>/), so one Argo CD Application per folder sees everything beneath.
      const children = childrenOf.get(dir) ?? [];
      const file = `${dir}/kustomization.yaml`;
      this.send(file, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...names, ...children] }));
      paths.push(file);
    }
    return paths.sort(byPath);
  }

  private send(file: string, content: string): void {
    this.emit(file, content);
    this.fileCount++;
  }
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Renders every ZtpChart of the app into files held in memory, sorted, deterministic (`ztpfw diff`, tests). */
export function renderApp(app: App, onChart?: (done: number, total: number) => void): RenderResult {
  app.node.validate();
  const charts = app.node.children.filter(ZtpChart.isZtpChart);
  const out: RenderedFile[] = [];
  const renderer = new ChartRenderer((p, content) => out.push({ path: p, content }));
  charts.forEach((chart, i) => {
    renderer.chart(chart);
    onChart?.(i + 1, charts.length);
  });
  renderer.finish();
  out.sort((a, b) => byPath(a.path, b.path));
  return { files: out, objects: renderer.objects };
}

export interface StreamResult extends WriteStats {
  /** Every file written, relative to the output folder, sorted. */
  readonly paths: readonly string[];
  readonly objects: number;
}

/**
 * Builds and renders an App chart by chart straight into the staging folder of `out` (`ztpfw synth`): `build` adds
 * the charts (the chart families), each chart is rendered and written as soon as it is complete and then leaves the
 * tree ({@link streamCharts}), so memory stays flat in the number of clusters. The files are the same, byte for
 * byte, as {@link renderApp} then {@link writeInto} would write.
 */
export function renderInto(out: Staging, app: App, build: (app: App) => void, onChart?: (done: number) => void): StreamResult {
  const writer = new FileWriter(out);
  const renderer = new ChartRenderer((p, content) => writer.write(p, content));
  let done = 0;
  const stream = streamCharts(app, (chart) => {
    renderer.chart(chart);
    onChart?.(++done);
  });
  try {
    build(app);
  } finally {
    stream.finish();
  }
  const paths = renderer.finish();
  return { paths, objects: renderer.objects, written: writer.written, kept: writer.kept };
}

export interface WriteStats {
  /** Files whose content was written (new or changed). */
  readonly written: number;
  /** Files carried over unchanged from the previous output (hard links: not rewritten). */
  readonly kept: number;
}

/**
 * Writes `files` into a staging folder beside `outDir`, then swaps it in ({@link openOutput}: only a missing, empty
 * or previous output folder is replaced, crash-safe, one run at a time). If anything fails before the swap, `outDir`
 * is left exactly as it was.
 */
export function writeAtomically(outDir: string, files: readonly RenderedFile[]): WriteStats {
  const out = openOutput(outDir);
  try {
    const stats = writeInto(out, files);
    out.commit();
    return stats;
  } finally {
    out.abort(); // nothing left to do after a commit
  }
}

/**
 * Writes `files` into the staging folder of `out`. A file whose content is unchanged is hard-linked from the previous
 * output instead of being written again, so an edit to one cluster rewrites only that cluster's files.
 */
export function writeInto(out: Staging, files: readonly RenderedFile[]): WriteStats {
  const writer = new FileWriter(out);
  for (const f of files) writer.write(f.path, f.content);
  return { written: writer.written, kept: writer.kept };
}

/** Writes files into a staging folder, hard-linking the unchanged ones from the previous output. */
class FileWriter {
  written = 0;
  kept = 0;
  private readonly dirs = new Set<string>();

  constructor(private readonly out: Staging) {}

  write(file: string, content: string): void {
    const full = path.join(this.out.dir, file);
    const dir = path.dirname(full);
    if (!this.dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    // A first synth has nothing to carry over: no per-file look at the previous output (a failed read per file).
    if (this.out.previous && sameContent(path.join(this.out.previous, file), content)) {
      try {
        fs.linkSync(path.join(this.out.previous, file), full);
        this.kept++;
        return;
      } catch {
        // a file system without hard links: write the copy below
      }
    }
    fs.writeFileSync(full, content);
    this.written++;
  }
}

function sameContent(file: string, content: string): boolean {
  let old: Buffer;
  try {
    old = fs.readFileSync(file);
  } catch {
    return false;
  }
  // Sizes first: a changed file usually changes length, and then the content needs no encoding at all.
  return old.length === Buffer.byteLength(content) && old.toString('utf8') === content;
}
