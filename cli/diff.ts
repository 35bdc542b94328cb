/**
 * Object-level comparison of two renders (file path → YAML text): which objects were added, removed or changed, and
 * for a changed object which fields, down to the leaf. Pure: reading git or the disk is the caller's business.
 */
import { structuredPatch } from 'diff';
import * as jsyaml from 'js-yaml';
import { isPlainObject } from '../model/loader';
import { redact, SECRET_KEYS, secretValuesIn } from '../model/text';
import { loadRendered, RenderedYamlError } from './rendered-yaml';

/** One step of a field path: an object key, an array index, or an array item picked by its identity. */
export type PathSegment = { readonly key: string } | { readonly index: number } | { readonly id: string };

export type ChangeStatus = 'added' | 'removed' | 'changed';

export interface FieldChange {
  readonly status: ChangeStatus;
  readonly path: readonly PathSegment[];
  /**
   * Kind of the innermost Kubernetes object holding the field: the file's object, or a manifest embedded in a
   * ManifestWork or Policy (so a Subscription delivered to an edge cluster is still seen as a Subscription).
   */
  readonly ownerKind: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** For a changed multi-line or long string: unified diff lines (`@@`, ` `, `-`, `+`), made readable first. */
  readonly lines?: readonly string[];
}

export interface ObjectDiff {
  readonly status: ChangeStatus;
  /** File path relative to the output folder (`clusters/sno-01/baremetalhost-….yaml`). */
  readonly path: string;
  /** `clusters/<cluster>` for everything of one cluster (its day-2 sub-folders included), else the top folder. */
  readonly group: string;
  /** The cluster when the group is `clusters/<cluster>`. */
  readonly cluster?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly before?: any;
  readonly after?: any;
  /** Field changes of a changed object, in path order. Empty for added and removed objects. */
  readonly changes: readonly FieldChange[];
}

export interface RenderDiff {
  /** Sorted by group, kind, name. */
  readonly objects: readonly ObjectDiff[];
  /** Clusters with at least one added, removed or changed object. */
  readonly clusters: readonly string[];
  /** Groups with no file in the base (a new cluster). */
  readonly addedGroups: readonly string[];
  /** Groups with no file in the head (a cluster taken out of the fleet). */
  readonly removedGroups: readonly string[];
}

/** Strings longer than this (or with a line break) are compared line by line instead of shown whole. */
export const LONG_STRING = 100;

const HIDDEN = '(hidden)';

/** Compares two renders. Only `*.yaml` objects count: `kustomization.yaml` files follow from the object list. */
export function diffRenders(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): RenderDiff {
  const paths = [...new Set([...base.keys(), ...head.keys()])].filter(isObjectFile);
  const objects: ObjectDiff[] = [];
  for (const p of paths) {
    const b = base.get(p);
    const h = head.get(p);
    if (b === h) continue;
    const before = b === undefined ? undefined : parseObject(b);
    const after = h === undefined ? undefined : parseObject(h);
    const status: ChangeStatus = b === undefined ? 'added' : h === undefined ? 'removed' : 'changed';
    const changes = status === 'changed' ? fieldChanges(before, after) : [];
    // Text that differs only in layout (quoting, key order) is no change to the object.
    if (status === 'changed' && changes.length === 0) continue;
    const obj: any = after ?? before;
    const { group, cluster } = groupOf(p);
    objects.push({
      status,
      path: p,
      group,
      cluster,
      kind: typeof obj?.kind === 'string' ? obj.kind : kindFromFile(p),
      name: typeof obj?.metadata?.name === 'string' ? obj.metadata.name : p.slice(p.lastIndexOf('/') + 1),
      namespace: typeof obj?.metadata?.namespace === 'string' ? obj.metadata.namespace : undefined,
      before,
      after,
      changes,
    });
  }
  objects.sort((a, b) => cmp(a.group, b.group) || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.path, b.path));
  const clusters = [...new Set(objects.map((o) => o.cluster).filter((c): c is string => c !== undefined))].sort(cmp);
  const groupsOf = (m: ReadonlyMap<string, string>) => new Set([...m.keys()].filter(isObjectFile).map((p) => groupOf(p).group));
  const baseGroups = groupsOf(base);
  const headGroups = groupsOf(head);
  return {
    objects,
    clusters,
    addedGroups: [...headGroups].filter((g) => !baseGroups.has(g)).sort(cmp),
    removedGroups: [...baseGroups].filter((g) => !headGroups.has(g)).sort(cmp),
  };
}

function isObjectFile(p: string): boolean {
  return p.endsWith('.yaml') && !p.endsWith('/kustomization.yaml') && p !== 'kustomization.yaml';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Group and cluster of a file: `clusters/<c>/…` (any depth) belongs to cluster `<c>`. */
export function groupOf(p: string): { group: string; cluster?: string } {
  const parts = p.split('/');
  if (parts[0] === 'clusters' && parts.length >= 3) return { group: `clusters/${parts[1]}`, cluster: parts[1] };
  return { group: parts.length > 1 ? parts[0] : '.' };
}

function kindFromFile(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  return base.split('-')[0] || 'unknown';
}

/**
 * The object of one file; text that is not one plain YAML document (a syntax error, several documents, an anchor
 * that could make the object contain itself) is compared as text. js-yaml with the YAML 1.2 core schema (no
 * timestamps, no merge keys) reads what `toYaml` writes as the same data as `yaml` does, several times faster.
 */
function parseObject(text: string): unknown {
  try {
    return loadRendered(text);
  } catch (e) {
    // compared and shown as text, with what follows a credential key hidden as in the fleet's messages
    if (e instanceof RenderedYamlError) return redact(text, secretValuesIn(text));
    throw e;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Identity of an array item, so lists of named things are compared item by item whatever their order. */
function itemId(item: unknown): string | undefined {
  if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
  if (!isPlainObject(item)) return undefined;
  const meta = item.metadata;
  if (typeof item.kind === 'string' && isPlainObject(meta) && typeof meta.name === 'string') {
    return `${item.kind}/${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${meta.name}`;
  }
  // Policy templates and ConfigurationPolicy object templates wrap the object.
  if (isPlainObject(item.objectDefinition)) return itemId(item.objectDefinition);
  // Named lists: containers, env, volumes, interfaces (`name`); AppProject destinations (`namespace`, with `server`).
  if (typeof item.name === 'string') return item.name;
  if (typeof item.namespace === 'string') return item.namespace;
  return undefined;
}

function ids(list: readonly unknown[]): string[] | undefined {
  const out = list.map(itemId);
  if (out.some((x) => x === undefined)) return undefined;
  return new Set(out).size === out.length ? (out as string[]) : undefined;
}

function ownerOf(value: unknown, current: string): string {
  return isPlainObject(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string' ? value.kind : current;
}

/** Leaf-level changes between two parsed objects, in path order. */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  const topKind = ownerOf(after, ownerOf(before, ''));
  walk(before, after, [], topKind, out);
  return hideCredentials(topKind === 'Secret' ? out.map(hideSecretData) : out);
}

/**
 * Changes with no credential value in them (the fields of {@link SECRET_KEYS}, as in the fleet's messages): a change
 * at or below such a field is one change of that field with both sides hidden (keys below it may be the secret
 * too), and a value that holds such a field somewhere below shows it hidden. A hand-edited output in a pull request
 * could carry a password; the diff goes to a comment anyone who can read the pull request sees.
 */
function hideCredentials(changes: readonly FieldChange[]): FieldChange[] {
  const out: FieldChange[] = [];
  const seen = new Set<string>();
  for (const c of changes) {
    const at = c.path.findIndex((s) => 'key' in s && SECRET_KEYS.has(s.key));
    if (at < 0) {
      out.push({ ...c, before: hideNested(c.before), after: hideNested(c.after) });
      continue;
    }
    const path = c.path.slice(0, at + 1);
    const key = JSON.stringify(path);
    if (seen.has(key)) continue;
    seen.add(key);
    const whole = at === c.path.length - 1;
    out.push({ status: whole ? c.status : 'changed', path, ownerKind: c.ownerKind, before: whole && c.before === undefined ? undefined : HIDDEN, after: whole && c.after === undefined ? undefined : HIDDEN });
  }
  return out;
}

/** `v` with the value of every credential field below it replaced by {@link HIDDEN}; `v` itself when it has none. */
function hideNested(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(hideNested);
    return items.some((x, i) => x !== v[i]) ? items : v;
  }
  if (!isPlainObject(v)) return v;
  let copy: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const y = SECRET_KEYS.has(k) ? HIDDEN : hideNested(x);
    if (y !== x) (copy ??= { ...v })[k] = y;
  }
  return copy ?? v;
}

function walk(a: unknown, b: unknown, path: PathSegment[], owner: string, out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const inner = ownerOf(b, owner);
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(cmp);
    for (const k of keys) {
      const p = [...path, { key: k }];
      if (!(k in a)) out.push({ status: 'added', path: p, ownerKind: inner, after: b[k] });
      else if (!(k in b)) out.push({ status: 'removed', path: p, ownerKind: inner, before: a[k] });
      else walk(a[k], b[k], p, inner, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const before = out.length;
    const ia = ids(a);
    const ib = ids(b);
    if (ia && ib) {
      const all = [...ib, ...ia.filter((id) => !ib.includes(id))];
      for (const id of all) {
        const x = ia.indexOf(id);
        const y = ib.indexOf(id);
        const p = [...path, { id }];
        if (x < 0) out.push({ status: 'added', path: p, ownerKind: ownerOf(b[y], owner), after: b[y] });
        else if (y < 0) out.push({ status: 'removed', path: p, ownerKind: ownerOf(a[x], owner), before: a[x] });
        else walk(a[x], b[y], p, owner, out);
      }
    } else {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const p = [...path, { index: i }];
        if (i >= a.length) out.push({ status: 'added', path: p, ownerKind: owner, after: b[i] });
        else if (i >= b.length) out.push({ status: 'removed', path: p, ownerKind: owner, before: a[i] });
        else walk(a[i], b[i], p, owner, out);
      }
    }
    // Same items in another order: the order is the change.
    if (out.length === before) out.push({ status: 'changed', path, ownerKind: owner, before: a, after: b });
    return;
  }
  const change: FieldChange = { status: 'changed', path, ownerKind: owner, before: a, after: b };
  out.push(typeof a === 'string' && typeof b === 'string' && (isLong(a) || isLong(b)) ? { ...change, lines: lineDiff(a, b) } : change);
}

function hideSecretData(c: FieldChange): FieldChange {
  const first = c.path[0];
  if (!first || !('key' in first) || (first.key !== 'data' && first.key !== 'stringData')) return c;
  return { ...c, before: c.before === undefined ? undefined : HIDDEN, after: c.after === undefined ? undefined : HIDDEN, lines: undefined };
}

export function isLong(s: string): boolean {
  return s.length > LONG_STRING || s.includes('\n');
}

/**
 * Text a reviewer can read: JSON (ignition overrides, install-config overrides) becomes YAML, and `data:` URLs
 * inside it (files written by ignition) are decoded when they hold text.
 */
export function readable(s: string): string {
  const t = s.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return s;
  try {
    return jsyaml.dump(decodeDataUrls(JSON.parse(t)), { noRefs: true, lineWidth: -1, sortKeys: true });
  } catch {
    return s;
  }
}

function decodeDataUrls(v: unknown): unknown {
  if (typeof v === 'string') {
    const m = /^data:([^,]*?);base64,(.*)$/s.exec(v);
    if (!m) return v;
    const text = Buffer.from(m[2], 'base64').toString('utf8');
    // Only text survives the round trip unchanged; anything else stays encoded.
    return Buffer.from(text, 'utf8').toString('base64') === m[2] && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? text : v;
  }
  if (Array.isArray(v)) return v.map(decodeDataUrls);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeDataUrls(x)]));
  return v;
}

/** Unified diff lines of two texts (after `readable`), without file headers. */
export function lineDiff(a: string, b: string, context = 2): string[] {
  const patch = structuredPatch('before', 'after', withNewline(readable(a)), withNewline(readable(b)), '', '', { context });
  const out: string[] = [];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) if (!l.startsWith('\\')) out.push(l);
  }
  return out;
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

/** `spec.bmc.address`, `metadata.annotations["argocd.argoproj.io/sync-wave"]`, `spec.workload.manifests[Namespace/x]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const s of path) {
    if ('key' in s) out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.key) ? `${out ? '.' : ''}${s.key}` : `[${JSON.stringify(s.key)}]`;
    else if ('index' in s) out += `[${s.index}]`;
    else out += `[${s.id}]`;
  }
  return out || '(whole object)';
}

/** The last object key of a path (`address` for `spec.bmc.address`). */
export function lastKey(path: readonly PathSegment[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const s = path[i];
    if ('key' in s) return s.key;
  }
  return undefined;
}
