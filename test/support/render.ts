/**
 * Renders a fleet the way `ztpfw synth` does, in memory, and parses every file back: the view chart tests assert
 * on. Renders are cached per input within a test file (each jest test file has its own module registry).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { renderApp, RenderedFile } from '../../cli/render';
import { buildApp } from '../../main';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';

export type { RenderedFile } from '../../cli/render';

/** A rendered Kubernetes object (the parsed YAML of one file) and the file it came from. */
export interface RenderedObject {
  /** Path relative to the output folder, e.g. `hub/clusterimageset-openshift-v4.14.12.yaml`. */
  readonly path: string;
  /** Parsed YAML, typed loosely so tests can reach into spec fields without casts. */
  readonly obj: any;
}

/** A parsed `kustomization.yaml` of one output folder. */
export interface RenderedKustomization {
  readonly path: string;
  /** The folder, relative to the output folder (`hub`, `clusters/sno-01`). */
  readonly dir: string;
  readonly resources: readonly string[];
  readonly obj: any;
}

export interface Render {
  /** Every rendered object except the kustomization files, in file order. */
  readonly objects: readonly RenderedObject[];
  /** Every rendered file, kustomization.yaml files included, as written by `ztpfw synth`. */
  readonly files: readonly RenderedFile[];
  readonly kustomizations: readonly RenderedKustomization[];
}

/** The repository root (where `clusters/` and `examples/` live). */
export const REPO_ROOT = path.resolve(__dirname, '../..');

const cache = new Map<string, Render>();

/**
 * Loads, builds and renders a fleet: `input` is a fleet file or folder (relative to the repository root, or
 * absolute), or `{ yaml }` for fleet text written to a temporary file. Throws with the located diagnostics when
 * the fleet is invalid, so a test fails with the same message a user would see.
 */
export function renderFleet(input: string | { readonly yaml: string }): Render {
  const cacheKey = typeof input === 'string' ? `path:${path.resolve(REPO_ROOT, input)}` : `yaml:${input.yaml}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;

  let tmpDir: string | undefined;
  let file: string;
  if (typeof input === 'string') {
    file = path.resolve(REPO_ROOT, input);
  } else {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fleet-'));
    file = path.join(tmpDir, 'edgeclusters.yaml');
    fs.writeFileSync(file, input.yaml);
  }
  try {
    const result = loadFleet(file);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (!result.fleet || errors.length > 0) {
      throw new Error(`fleet ${typeof input === 'string' ? input : '(inline YAML)'} is invalid:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    }
    const { files } = renderApp(buildApp(result.fleet));
    const objects: RenderedObject[] = [];
    const kustomizations: RenderedKustomization[] = [];
    for (const f of files) {
      const obj = YAML.parse(f.content);
      if (path.posix.basename(f.path) === 'kustomization.yaml') {
        kustomizations.push({ path: f.path, dir: path.posix.dirname(f.path), resources: obj?.resources ?? [], obj });
      } else {
        objects.push({ path: f.path, obj });
      }
    }
    const render: Render = { objects, files, kustomizations };
    cache.set(cacheKey, render);
    return render;
  } finally {
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** The one object of a kind and name (and namespace, when given); throws when there is none or more than one. */
export function findObject(objects: readonly RenderedObject[], kind: string, name: string, namespace?: string): RenderedObject {
  const found = objects.filter(
    (o) => o.obj?.kind === kind && o.obj?.metadata?.name === name && (namespace === undefined || o.obj?.metadata?.namespace === namespace),
  );
  const what = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  if (found.length === 0) {
    const sameKind = objectsOfKind(objects, kind).map((o) => `${o.obj.metadata?.namespace ? `${o.obj.metadata.namespace}/` : ''}${o.obj.metadata?.name}`);
    throw new Error(`no ${what} rendered; ${kind} objects: ${sameKind.length ? sameKind.join(', ') : 'none'}`);
  }
  if (found.length > 1) throw new Error(`${found.length} objects match ${what}: ${found.map((o) => o.path).join(', ')}`);
  return found[0];
}

/** Every rendered object of a kind, in file order. */
export function objectsOfKind(objects: readonly RenderedObject[], kind: string): RenderedObject[] {
  return objects.filter((o) => o.obj?.kind === kind);
}
