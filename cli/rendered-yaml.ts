/**
 * Reading rendered output back: `verify` and `diff` read an output folder that a pull request may have edited by
 * hand (or by malice), so its files are input like the fleet is. What `synth` writes is plain YAML, one object per
 * file, without anchors or aliases; anything else is reported, never followed:
 * - an anchor (`&name`) is refused, so no alias can make an object contain itself (a cycle that would hang or
 *   crash every walk over it) or repeat a node exponentially (a "billion laughs" document);
 * - a file is read only when it is a regular file, not a link, of at most {@link MAX_RENDERED_BYTES}, in UTF-8;
 * - a document is an object only when it has the shape every Kubernetes object has ({@link objectShapeProblem}).
 */
import * as fs from 'node:fs';
import * as jsyaml from 'js-yaml';
import { decodeText } from '../model/input-file';
import { isPlainObject } from '../model/loader';

/** Largest rendered file read (the API server stores at most about 1.5 MiB per object). */
export const MAX_RENDERED_BYTES = 4 * 1024 * 1024;

/** A rendered file that cannot be read as plain YAML; the message never quotes the file's content. */
export class RenderedYamlError extends Error {}

function refuseAnchors(this: unknown, event: jsyaml.EventType, state: jsyaml.State): void {
  // js-yaml calls this when each node closes; `anchor` is set when the node declared one
  if (event === 'close' && (state as jsyaml.State & { anchor: string | null }).anchor !== null) {
    throw new RenderedYamlError('holds a YAML anchor (&name); rendered output never does (an alias could make an object contain itself)');
  }
}

function loadWith<T>(load: (options: jsyaml.LoadOptions) => T): T {
  try {
    return load({ schema: jsyaml.CORE_SCHEMA, listener: refuseAnchors });
  } catch (e) {
    if (e instanceof RenderedYamlError) throw e;
    throw new RenderedYamlError(`not valid YAML: ${yamlReason(e)}`);
  }
}

/**
 * js-yaml's reason and position without the input it quotes: an alias name, a tag or a directive written where a
 * value belongs may be a password (`bmc_pass: *secret`), and its message lines after the first show the source.
 */
function yamlReason(e: unknown): string {
  if (!(e instanceof jsyaml.YAMLException)) return `${(e as Error).name ?? 'error'}`;
  const reason = (e.reason ?? 'syntax error').replace(/!<[^>]*>/g, '(tag)').replace(/"[^"]*"/g, '(name)');
  return e.mark ? `${reason} (${e.mark.line + 1}:${e.mark.column + 1})` : reason;
}

/** The documents of one rendered file (empty ones dropped); throws {@link RenderedYamlError}. */
export function loadRenderedAll(text: string): unknown[] {
  return loadWith((o) => jsyaml.loadAll(text, undefined, o)).filter((d) => d !== null && d !== undefined);
}

/** The one document of a rendered text (a file, or manifests a ConfigMap carries); throws {@link RenderedYamlError}. */
export function loadRendered(text: string): unknown {
  return loadWith((o) => jsyaml.load(text, o));
}

/** The text of a rendered file, or why it is not read (a link, a FIFO, too big, not UTF-8). */
export function readRenderedFile(file: string): { text: string } | { problem: string } {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    return { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'unknown error'}` };
  }
  if (st.isSymbolicLink()) return { problem: 'is a symbolic link; rendered output holds only regular files' };
  if (!st.isFile()) return { problem: 'is not a regular file (a FIFO, socket or device); rendered output holds only regular files' };
  if (st.size > MAX_RENDERED_BYTES) return { problem: `is ${st.size} bytes, over the ${MAX_RENDERED_BYTES}-byte limit of a rendered file` };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'unknown error'}` };
  }
  const read = decodeText(bytes);
  return 'text' in read ? read : { problem: read.problem.replace(/^refused: /, 'is ') };
}

/** A field that should be a list, as one: anything else (which the schema check reports) reads as empty. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const asList = (v: unknown): any[] => (Array.isArray(v) ? v : []);

const stringMap = (v: unknown) => isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * Why `o` is not shaped like a Kubernetes object, or undefined: a map with string `apiVersion` and `kind`, and a
 * `metadata` map whose `name` (or `generateName`) and `namespace` are strings and whose labels and annotations map
 * strings to strings (`nameOptional`: a ConfigurationPolicy's object template may match by kind alone). Checks that
 * follow can then read these fields without guarding each access.
 */
export function objectShapeProblem(o: unknown, options: { readonly nameOptional?: boolean } = {}): string | undefined {
  if (!isPlainObject(o)) return `is ${Array.isArray(o) ? 'a list' : `a ${typeof o}`}, not a Kubernetes object (a map with apiVersion, kind and metadata)`;
  for (const key of ['apiVersion', 'kind'] as const) {
    if (typeof o[key] !== 'string' || o[key] === '') return `has no ${key} string`;
  }
  const m = o.metadata;
  if (!isPlainObject(m)) return 'has no metadata map';
  if (m.name !== undefined ? typeof m.name !== 'string' : !options.nameOptional && typeof m.generateName !== 'string') return 'has no metadata.name string';
  if (m.namespace !== undefined && typeof m.namespace !== 'string') return 'has a metadata.namespace that is not a string';
  for (const key of ['labels', 'annotations'] as const) {
    if (m[key] !== undefined && !stringMap(m[key])) return `has metadata.${key} that is not a map of strings`;
  }
  return undefined;
}
