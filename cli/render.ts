/**
 * Turns a built cdk8s App into files: one object per file, a kustomization.yaml per chart folder, written into a
 * staging folder that then replaces the output folder in one step.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { ZtpChart } from '../charts/common/chart';
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

/** Renders every ZtpChart of the app into files, sorted, deterministic. */
export function renderApp(app: App, onChart?: (done: number, total: number) => void): RenderResult {
  app.node.validate();
  const charts = app.node.children.filter(ZtpChart.isZtpChart);
  const byDir = new Map<string, Map<string, string>>();
  const plainDirs = new Set(charts.filter((c) => !c.kustomization).map((c) => c.outputDir));
  let objects = 0;
  charts.forEach((chart, i) => {
    const files = byDir.get(chart.outputDir) ?? new Map<string, string>();
    byDir.set(chart.outputDir, files);
    for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
      const json = obj.toJson();
      const name = objectFileName(json);
      if (files.has(name) || name === 'kustomization.yaml') {
        throw new Error(`two objects render to ${chart.outputDir}/${name}; object names must be unique per kind in a folder`);
      }
      files.set(name, toYaml(json));
      objects++;
    }
    onChart?.(i + 1, charts.length);
  });
  const out: RenderedFile[] = [];
  const dirs = [...byDir.keys()].sort();
  // Chart folders directly below each folder, in sorted order: one pass instead of a scan per folder, which was
  // quadratic in the number of folders (several per cluster once day-2 bundles render).
  const childrenOf = new Map<string, string[]>();
  for (const d of dirs) {
    const slash = d.lastIndexOf('/');
    if (slash < 0) continue;
    const parent = d.slice(0, slash);
    if (byDir.has(parent) && !plainDirs.has(d)) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), d.slice(slash + 1)]);
  }
  for (const dir of dirs) {
    const files = byDir.get(dir)!;
    const names = [...files.keys()].sort();
    for (const name of names) out.push({ path: `${dir}/${name}`, content: files.get(name)! });
    if (plainDirs.has(dir)) continue;
    // A chart folder's kustomization also includes the chart folders directly below it (a cluster's day-2
    // bundles under clusters/<cluster>/), so one Argo CD Application per folder sees everything beneath.
    const children = childrenOf.get(dir) ?? [];
    out.push({
      path: `${dir}/kustomization.yaml`,
      content: toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...names, ...children] }),
    });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: out, objects };
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
  let written = 0;
  let kept = 0;
  const dirs = new Set<string>();
  for (const f of files) {
    const full = path.join(out.dir, f.path);
    const dir = path.dirname(full);
    if (!dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    // A first synth has nothing to carry over: no per-file look at the previous output (a failed read per file).
    if (out.previous && sameContent(path.join(out.previous, f.path), f.content)) {
      try {
        fs.linkSync(path.join(out.previous, f.path), full);
        kept++;
        continue;
      } catch {
        // a file system without hard links: write the copy below
      }
    }
    fs.writeFileSync(full, f.content);
    written++;
  }
  return { written, kept };
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
