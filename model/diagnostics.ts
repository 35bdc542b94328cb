import * as YAML from 'yaml';
import { fastParse } from './fast-yaml';
import { redact, safeLine } from './text';

export type Severity = 'error' | 'warning';

/** One problem found in the input, located at a 1-based line and column of a file. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly message: string;
}

/**
 * `FILE:LINE:COL: error: MESSAGE`, the one format every command prints; always one line, control characters
 * escaped (a Reporter already made the message safe; this also covers the file name and hand-made diagnostics).
 */
export function formatDiagnostic(d: Diagnostic): string {
  return `${safeLine(d.file)}:${d.line}:${d.col}: ${d.severity}: ${safeLine(d.message)}`;
}

/** Sorts by file, then position, errors before warnings at the same place; stable otherwise. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

export type PathSegment = string | number;

/**
 * A parsed YAML file with the means to turn a data path into `line:col`.
 * Where the path does not exist (a missing key), the nearest existing parent is used.
 */
export class SourceFile {
  public readonly lineCounter = new YAML.LineCounter();
  /**
   * The data as the fast reader saw it; undefined when it could not vouch for the text. When set, the text has no
   * YAML errors or warnings and `doc` is only parsed if a position is asked for.
   */
  private readonly fast: { readonly value: unknown } | undefined;
  private _doc: YAML.Document.Parsed | undefined;

  constructor(public readonly name: string, public readonly text: string) {
    this.fast = fastParse(text);
  }

  /** The `yaml` document with node positions, parsed on first use. */
  public get doc(): YAML.Document.Parsed {
    // uniqueKeys: false: the yaml package checks duplicates with a scan per key (quadratic in the keys of a map);
    // the loader reports them itself in one pass (reportYamlErrors).
    this._doc ??= YAML.parseDocument(this.text, { lineCounter: this.lineCounter, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
    return this._doc;
  }

  /** True when the text is known to be free of YAML errors and warnings without parsing `doc`. */
  public get clean(): boolean {
    return this.fast !== undefined;
  }

  private _data: unknown;
  private _hasData = false;

  /** The document as plain data (computed once). */
  public get data(): unknown {
    if (!this._hasData) {
      this._data = this.fast ? this.fast.value : this.doc.toJS({ maxAliasCount: 1000 });
      this._hasData = true;
    }
    return this._data;
  }

  /** The node at `path`, or the closest ancestor that exists. */
  public nodeAt(path: readonly PathSegment[]): { node: unknown; exact: boolean } {
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      const next = childOf(node, path[i]);
      if (next === undefined) return { node, exact: false };
      node = next;
    }
    return { node, exact: true };
  }

  /** Position of the node at `path` (its value), or of the parent when the key is missing. */
  public positionOf(path: readonly PathSegment[]): { line: number; col: number } {
    return this.offsetToPos(rangeStart(this.nodeAt(path).node));
  }

  /** Position of the *key* of the last segment (for "unknown key" reports); falls back to the value. */
  public keyPositionOf(path: readonly PathSegment[]): { line: number; col: number } {
    if (path.length === 0) return this.positionOf(path);
    const parent = this.nodeAt(path.slice(0, -1));
    const last = path[path.length - 1];
    if (parent.exact && YAML.isMap(parent.node)) {
      const pair = pairOf(parent.node, String(last));
      if (pair && YAML.isNode(pair.key)) return this.offsetToPos(rangeStart(pair.key));
    }
    return this.positionOf(path);
  }

  /** Source text of a scalar at `path` as written (so `4.10` stays `4.10`, not `4.1`). */
  public sourceOf(path: readonly PathSegment[]): string | undefined {
    const hit = this.nodeAt(path);
    if (hit.exact && YAML.isScalar(hit.node) && typeof hit.node.source === 'string') return hit.node.source;
    return undefined;
  }

  public offsetToPos(offset: number): { line: number; col: number } {
    const pos = this.lineCounter.linePos(offset);
    return { line: pos.line, col: pos.col };
  }
}

export function scalarKey(key: unknown): string | undefined {
  if (YAML.isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/**
 * The first pair of `map` with key `key`, through an index built once per map: a scan per lookup made reporting n
 * unknown keys of one map quadratic (20,000 keys took minutes).
 */
const pairIndex = new WeakMap<YAML.YAMLMap, Map<string, YAML.Pair>>();
function pairOf(map: YAML.YAMLMap, key: string): YAML.Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items as YAML.Pair[]) {
      const k = scalarKey(p.key);
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

function childOf(node: unknown, seg: PathSegment): unknown {
  if (YAML.isMap(node)) {
    const pair = pairOf(node, String(seg));
    return pair ? (pair.value ?? pair.key ?? undefined) : undefined;
  }
  if (YAML.isSeq(node) && typeof seg === 'number') return node.items[seg] ?? undefined;
  return undefined;
}

function rangeStart(node: unknown): number {
  if (YAML.isNode(node) && node.range) return node.range[0];
  return 0;
}

/**
 * Collects diagnostics while a file is being checked. Every message is made safe on the way in: secret values the
 * input holds ({@link Reporter.hide}) replaced by `***`, control characters escaped, the length capped.
 */
export class Reporter {
  public readonly diagnostics: Diagnostic[] = [];
  private readonly hidden: string[] = [];

  /** Values (credentials, keys) that must never appear in a message. */
  public hide(values: readonly string[]): void {
    // longest first, so a value that contains another is replaced whole
    this.hidden.push(...values);
    this.hidden.sort((a, b) => b.length - a.length);
  }

  public error(file: SourceFile, path: readonly PathSegment[], message: string, at: 'value' | 'key' = 'value'): void {
    this.add(file, path, 'error', message, at);
  }

  public warning(file: SourceFile, path: readonly PathSegment[], message: string, at: 'value' | 'key' = 'value'): void {
    this.add(file, path, 'warning', message, at);
  }

  public raw(d: Diagnostic): void {
    this.diagnostics.push({ ...d, message: safeLine(redact(d.message, this.hidden)) });
  }

  public get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  private add(file: SourceFile, path: readonly PathSegment[], severity: Severity, message: string, at: 'value' | 'key'): void {
    const pos = at === 'key' ? file.keyPositionOf(path) : file.positionOf(path);
    this.raw({ file: file.name, line: pos.line, col: pos.col, severity, message });
  }
}

/** Locations listed on the one line of a repeated warning; the rest are counted. */
export const GROUP_LOCATIONS = 3;

/** Warnings with one message, in the order their first location was reported. */
export interface DiagnosticGroup {
  readonly first: Diagnostic;
  /** Every location, the first one included. */
  readonly all: readonly Diagnostic[];
}

/**
 * Diagnostics as printed: each error on its own (each must be fixed where it is), and warnings with the same message
 * reported more than GROUP_LOCATIONS times folded into one group at the place of the first. `quiet` drops warnings.
 */
export function groupDiagnostics(list: readonly Diagnostic[], options: { readonly quiet?: boolean } = {}): DiagnosticGroup[] {
  const counts = new Map<string, number>();
  for (const d of list) if (d.severity === 'warning') counts.set(d.message, (counts.get(d.message) ?? 0) + 1);
  const out: DiagnosticGroup[] = [];
  const groups = new Map<string, Diagnostic[]>();
  for (const d of list) {
    if (d.severity === 'warning' && options.quiet) continue;
    if (d.severity === 'error' || (counts.get(d.message) ?? 0) <= GROUP_LOCATIONS) {
      out.push({ first: d, all: [d] });
      continue;
    }
    const all = groups.get(d.message);
    if (all) {
      all.push(d);
      continue;
    }
    const fresh = [d];
    groups.set(d.message, fresh);
    out.push({ first: d, all: fresh });
  }
  return out;
}

const at = (d: Diagnostic) => `${d.file}:${d.line}:${d.col}`;

/** `N warnings like this: at A, B, C and M more` for a group of more than one, else nothing. */
export function groupNote(g: DiagnosticGroup): string | undefined {
  if (g.all.length === 1) return undefined;
  const shown = g.all.slice(0, GROUP_LOCATIONS).map(at).join(', ');
  const more = g.all.length - GROUP_LOCATIONS;
  return `${g.all.length} ${g.first.severity}s like this: at ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * The lines a command prints for its diagnostics: `FILE:LINE:COL: SEVERITY: MESSAGE`, a repeated warning once, at
 * its first location, followed by ` (N warnings like this: at A, B, C and M more)`.
 */
export function formatDiagnostics(list: readonly Diagnostic[], options: { readonly quiet?: boolean } = {}): string[] {
  return groupDiagnostics(list, options).map((g) => {
    const note = groupNote(g);
    return `${formatDiagnostic(g.first)}${note ? ` (${note})` : ''}`;
  });
}

/**
 * GitHub Actions workflow commands (`::error file=F,line=L,col=C::MESSAGE`), escaped as `@actions/core` does
 * (actions/toolkit packages/core/src/command.ts): in the message `%`, CR and LF; in a property also `:` and `,`.
 */
export function githubAnnotations(list: readonly Diagnostic[], options: { readonly quiet?: boolean } = {}): string[] {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return groupDiagnostics(list, options).map((g) => {
    const d = g.first;
    const note = groupNote(g);
    const props = [`file=${prop(d.file)}`, `line=${d.line}`, `col=${d.col}`, ...(note ? [`title=${prop(`${g.all.length} ${d.severity}s like this`)}`] : [])];
    return `::${d.severity} ${props.join(',')}::${data(`${d.message}${note ? ` (${note})` : ''}`)}`;
  });
}
