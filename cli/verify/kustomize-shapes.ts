/**
 * Planning the kustomize builds of `ztpfw verify` so that a fleet of 1,000 clusters does not take 6,000 kubectl
 * processes (about 0.1 s each, and kustomize gets slower per object the more objects one build holds, so folders
 * cannot simply be built together).
 *
 * Two facts make fewer builds prove the same:
 * - kustomize builds every folder a kustomization lists as a kustomization of its own (that is how it composes
 *   bases). Building a *root* (a kustomized folder that no kustomization lists) therefore builds every folder
 *   below it. When every kustomization of the tree lists exactly its own files and the kustomized folders directly
 *   below it (the file invariant), the root's output is the union of its folders' outputs, so comparing the root's
 *   output with the objects of its files proves each folder below as well. A tree that breaks that rule is built
 *   folder by folder, as before.
 * - kustomize reads the kustomizations and the objects' identities (apiVersion, kind, namespace, name) and its own
 *   annotations; the other values it passes through. Two roots whose trees are equal once the root folder's name is
 *   replaced by a placeholder (two SNO clusters with the same bundles and delivery) build alike. One root of each
 *   such *shape* is built; when its build fails or differs, every folder of every root of that shape is built, so
 *   the findings are then exactly those of building every folder.
 */
import * as path from 'node:path';
import type { LocatedObject } from './invariants';

/** What the planner needs of the loaded output. */
export interface KustomizeTree {
  /** Files relative to the output folder. */
  readonly files: readonly string[];
  /** Top-level objects (not the ones delivered inside Policies and ManifestWorks). */
  readonly objects: readonly LocatedObject[];
  /** Folder → its kustomization.yaml, parsed. */
  readonly kustomizations: ReadonlyMap<string, unknown>;
  /** Files that did not parse. */
  readonly unparsed: ReadonlySet<string>;
}

export interface BuildPlan {
  /** Root folders, each with the folders its build also builds (itself first). */
  readonly roots: ReadonlyMap<string, readonly string[]>;
  /** Roots grouped by shape; the first of each group is the one built. Irregular trees are groups of their own. */
  readonly shapes: readonly (readonly string[])[];
  /** Roots whose tree breaks the one-folder-one-listing rule: built folder by folder. */
  readonly irregular: ReadonlySet<string>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const KUSTOMIZE_ANNOTATION = /(^|\.)(config\.kubernetes\.io|kustomize\.config\.k8s\.io)\//;

/** apiVersion, kind, namespace and name of an object, and the annotations kustomize acts on. */
function identity(obj: any): unknown[] {
  const annotations = Object.entries(obj?.metadata?.annotations ?? {}).filter(([k]) => KUSTOMIZE_ANNOTATION.test(k)).sort(([a], [b]) => (a < b ? -1 : 1));
  return [obj?.apiVersion, obj?.kind, obj?.metadata?.namespace ?? null, obj?.metadata?.name ?? null, annotations];
}

const under = (dir: string, p: string) => dir === '.' || p === dir || p.startsWith(`${dir}/`);
const relativeTo = (dir: string, p: string) => (dir === '.' ? p : p === dir ? '.' : p.slice(dir.length + 1));

export function planBuilds(tree: KustomizeTree): BuildPlan {
  const resourcesOf = (dir: string): unknown[] | undefined => {
    const r = (tree.kustomizations.get(dir) as any)?.resources;
    return Array.isArray(r) ? r : undefined;
  };
  const target = (dir: string, r: unknown) => path.posix.normalize(path.posix.join(dir, String(r)));
  const listed = new Set<string>();
  for (const dir of tree.kustomizations.keys()) {
    for (const r of resourcesOf(dir) ?? []) {
      const t = target(dir, r);
      if (t !== dir && tree.kustomizations.has(t)) listed.add(t);
    }
  }
  const fileSet = new Set(tree.files);
  const objectsOf = new Map<string, LocatedObject[]>();
  for (const o of tree.objects) objectsOf.set(o.file, [...(objectsOf.get(o.file) ?? []), o]);
  const filesIn = new Map<string, string[]>();
  for (const f of tree.files) {
    if (!/\.ya?ml$/.test(f) || path.posix.basename(f) === 'kustomization.yaml') continue;
    const d = path.posix.dirname(f);
    filesIn.set(d, [...(filesIn.get(d) ?? []), path.posix.basename(f)]);
  }
  const kustomizedBelow = new Map<string, string[]>();
  for (const d of tree.kustomizations.keys()) {
    const parent = path.posix.dirname(d);
    if (parent !== d) kustomizedBelow.set(parent, [...(kustomizedBelow.get(parent) ?? []), path.posix.basename(d)]);
  }

  const roots = new Map<string, string[]>();
  const irregular = new Set<string>();
  const keys = new Map<string, string>();
  for (const root of [...tree.kustomizations.keys()].filter((d) => !listed.has(d)).sort()) {
    const dirs: string[] = [];
    const token = root === '.' ? '' : path.posix.basename(root);
    const canon = (s: unknown): unknown => (typeof s === 'string' && token ? s.split(token).join('\u0000') : s);
    const shape: unknown[] = [];
    let regular = true;
    const visit = (dir: string) => {
      if (dirs.includes(dir)) return;
      dirs.push(dir);
      const resources = resourcesOf(dir);
      const own = filesIn.get(dir) ?? [];
      const below = kustomizedBelow.get(dir) ?? [];
      const want = new Set([...own, ...below]);
      if (!resources || resources.length !== want.size || new Set(resources.map(String)).size !== resources.length || resources.some((r) => !want.has(String(r)))) regular = false;
      shape.push([canon(relativeTo(root, dir)), JSON.stringify(tree.kustomizations.get(dir), (_k, v) => canon(v))]);
      for (const r of resources ?? []) {
        const t = target(dir, r);
        if (!under(root, t)) regular = false;
        if (tree.kustomizations.has(t) && t !== dir) visit(t);
        else if (fileSet.has(t) && !tree.unparsed.has(t)) shape.push([canon(relativeTo(root, t)), (objectsOf.get(t) ?? []).map((o) => identity(o.obj).map((v) => JSON.stringify(v, (_k, x) => canon(x))))]);
        else regular = false;
      }
    };
    visit(root);
    roots.set(root, dirs);
    if (!regular) irregular.add(root);
    else keys.set(root, JSON.stringify(shape));
  }
  const groups = new Map<string, string[]>();
  for (const root of roots.keys()) {
    const k = keys.get(root) ?? `irregular\u0000${root}`;
    groups.set(k, [...(groups.get(k) ?? []), root]);
  }
  return { roots, shapes: [...groups.values()], irregular };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
