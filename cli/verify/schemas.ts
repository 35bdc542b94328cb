/**
 * Offline validation of rendered Kubernetes objects against the schemas pinned in `schemas/` (schemas/SOURCES.md):
 * - every served version of every CRD in `crds/*.yaml` (its `openAPIV3Schema`),
 * - the Kubernetes 1.27 core definitions (`k8s-schema/v1.27.0/_definitions.json`, OpenShift 4.14),
 * - OAuthClient from the openshift/api OpenAPI document (it is an aggregated API with no CRD).
 *
 * The API server does more than plain JSON Schema: it prunes (CRDs) or rejects (built-in types) fields it does
 * not know, honours the `x-kubernetes-*` structural extensions and checks object names and labels. The schemas are
 * rewritten once so that ajv reports the same problems, and the metadata rules are checked here directly.
 * Validators are compiled lazily, per kind, and cached for the life of the process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as YAML from 'yaml';

/** The project root: the nearest folder above this file with a package.json (works from the sources and from build/). */
export function projectRoot(): string {
  return (root ??= findProjectRoot());
}

let root: string | undefined;

function findProjectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(__dirname, '../..');
    dir = up;
  }
  return dir;
}

let schemaOverride: string | undefined;

/** The folder of pinned schemas: the one set by `useSchemaDir` (`--schemas`), else `schemas/` of the project. */
export function schemaDir(): string {
  return path.resolve(schemaOverride ?? path.join(projectRoot(), 'schemas'));
}

/** Points the validator at another folder of schemas; compiled validators of the previous one are dropped. */
export function useSchemaDir(dir: string | undefined): void {
  const next = dir === undefined ? undefined : path.resolve(dir);
  if (next === schemaOverride) return;
  schemaOverride = next;
  registry = undefined;
  crdCache.clear();
}

/**
 * Why `dir` cannot serve as the schema folder, or undefined when it can. Verification without schemas must fail
 * loudly rather than pass.
 */
export function schemaDirProblem(dir: string = schemaDir()): string | undefined {
  const crds = path.join(dir, 'crds');
  const core = path.join(dir, 'k8s-schema', K8S_SCHEMA_VERSION, '_definitions.json');
  if (!fs.existsSync(dir)) return `schema folder ${dir} does not exist`;
  if (!fs.existsSync(crds) || !fs.readdirSync(crds).some((f) => f.endsWith('.yaml'))) return `schema folder ${dir} has no crds/*.yaml`;
  if (!fs.existsSync(core)) return `schema folder ${dir} has no k8s-schema/${K8S_SCHEMA_VERSION}/_definitions.json`;
  return undefined;
}

/** Kubernetes version of the core schemas: the one OpenShift 4.14 ships (imports/k8s.ts is generated from it too). */
export const K8S_SCHEMA_VERSION = 'v1.27.0';

/** Kinds whose names end up as DNS labels (host names, label values), so they get the 63-character rule. */
export const DNS_LABEL_NAMED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'Service', 'ManagedCluster', 'ManagedClusterSet']);

/** Definitions of the openshift/api OpenAPI document that we validate against, by `apiVersion kind`. */
export const OPENSHIFT_OPENAPI_KINDS: Readonly<Record<string, string>> = {
  'oauth.openshift.io/v1 OAuthClient': 'com.github.openshift.api.oauth.v1.OAuthClient',
};

const K8S_ID = 'k8s';
const OPENSHIFT_ID = 'openshift';
const OBJECT_META_REF = `${K8S_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/** Where a kind's schema comes from. `crd` unknown fields are pruned by the server, the others are rejected. */
type Source =
  | { readonly origin: 'crd'; readonly file: string; readonly version: string; readonly namespaced: boolean }
  | { readonly origin: 'k8s' | 'openshift'; readonly definition: string; readonly namespaced: boolean };

interface CrdIndexEntry {
  readonly apiVersion: string;
  readonly kind: string;
  readonly file: string;
  readonly version: string;
  readonly namespaced: boolean;
}

/**
 * Cluster-scoped built-in kinds (the core definitions do not say which kinds are namespaced). Every other
 * built-in kind is namespaced.
 */
const CLUSTER_SCOPED_BUILTIN_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'CustomResourceDefinition', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'CertificateSigningRequest', 'ClusterTrustBundle',
  'FlowSchema', 'PriorityLevelConfiguration', 'ClusterCIDR', 'IPAddress', 'ResourceClass', 'OAuthClient',
]);

const key = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;

// ---------------------------------------------------------------------------------------------------------------
// Schema rewriting
// ---------------------------------------------------------------------------------------------------------------

type Schema = Record<string, unknown>;

interface RewriteOptions {
  /**
   * CRD semantics: an object node without `properties`/`additionalProperties` keeps no fields at all (the server
   * prunes them). Built-in OpenAPI definitions use such nodes for free-form data (RawExtension), so they stay open.
   */
  readonly closeBareObjects: boolean;
}

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Returns a copy of a Kubernetes schema that ajv validates the way the API server would. `structural` is false
 * inside `allOf`/`anyOf`/`oneOf`/`not`: those only restrict values, the fields themselves are declared outside.
 */
function rewrite(node: unknown, structural: boolean, opts: RewriteOptions): unknown {
  if (!isObject(node)) return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    // Null-valued keywords (Route's `anyOf: null`) mean "absent" to the server but are invalid JSON Schema.
    if (v === null || k === 'description') continue;
    switch (k) {
      case 'properties':
      case 'patternProperties':
      case 'definitions':
        out[k] = isObject(v) ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, rewrite(s, true, opts)])) : v;
        break;
      case 'items':
        out[k] = Array.isArray(v) ? v.map((s) => rewrite(s, true, opts)) : rewrite(v, true, opts);
        break;
      case 'additionalProperties':
        out[k] = isObject(v) ? rewrite(v, true, opts) : v;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[k] = Array.isArray(v) ? v.map((s) => rewrite(s, false, opts)) : v;
        break;
      case 'not':
        out[k] = rewrite(v, false, opts);
        break;
      default:
        out[k] = v;
    }
  }

  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  // OpenAPI v3.0 spells exclusive bounds as booleans next to minimum/maximum; ajv wants the draft-07 numbers.
  for (const [excl, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (out[excl] === true) {
      out[excl] = out[bound];
      delete out[bound];
    } else if (out[excl] === false) {
      delete out[excl];
    }
  }
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  if (out['x-kubernetes-embedded-resource'] === true) {
    // An embedded object is a full resource: apiVersion and kind are required, metadata is an ObjectMeta.
    const props = isObject(out.properties) ? out.properties : {};
    // A declared `metadata: {type: object}` would prune every field, so ObjectMeta replaces it, as on the server.
    out.properties = {
      apiVersion: { type: 'string', minLength: 1 },
      kind: { type: 'string', minLength: 1 },
      ...props,
      metadata: { $ref: OBJECT_META_REF },
    };
    out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), 'apiVersion', 'kind'])];
  }
  const preserve = out['x-kubernetes-preserve-unknown-fields'] === true;
  const isObjectNode = out.properties !== undefined || out.type === 'object';
  if (structural && !preserve && out.additionalProperties === undefined && out.$ref === undefined) {
    if (out.properties !== undefined || (opts.closeBareObjects && isObjectNode)) out.additionalProperties = false;
  }
  return out;
}

/** The root schema of one CRD version, with metadata checked as a real ObjectMeta. */
function crdRootSchema(openAPIV3Schema: unknown): Schema {
  const root = rewrite(openAPIV3Schema, true, { closeBareObjects: true }) as Schema;
  const props = isObject(root.properties) ? root.properties : {};
  // apiVersion, kind and metadata are always part of a custom resource, declared or not.
  root.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...props, metadata: { $ref: OBJECT_META_REF } };
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// Indexes of what is pinned
// ---------------------------------------------------------------------------------------------------------------

/** Cache of the CRD index: parsing every pinned CRD costs most of a second, reading this file a few milliseconds. */
function crdIndexCachePath(): string {
  return path.join(projectRoot(), 'node_modules/.cache/ztpfw-schemas/crd-index.json');
}

function buildCrdIndex(dir: string): CrdIndexEntry[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const stamp = files.map((f) => {
    const st = fs.statSync(path.join(dir, f));
    return `${f}:${st.size}:${st.mtimeMs}`;
  });
  const stampKey = JSON.stringify({ format: 2, dir, stamp });
  const cacheFile = crdIndexCachePath();
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { stamp: string; entries: CrdIndexEntry[] };
    if (cached.stamp === stampKey) return cached.entries;
  } catch {
    // No cache yet, or unreadable: rebuild below.
  }
  const entries: CrdIndexEntry[] = [];
  for (const file of files) {
    const crd = parseCrd(path.join(dir, file));
    for (const v of crd.spec.versions) {
      if (v.served === false || !v.schema?.openAPIV3Schema) continue;
      entries.push({
        apiVersion: `${crd.spec.group}/${v.name}`, kind: crd.spec.names.kind, file, version: v.name, namespaced: crd.spec.scope === 'Namespaced',
      });
    }
  }
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    // Jest runs test files in parallel workers: write beside, then rename, so no reader sees half a file.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ stamp: stampKey, entries }));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A read-only node_modules only costs speed.
  }
  return entries;
}

interface Crd {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly scope: string;
    readonly versions: ReadonlyArray<{ name: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }>;
  };
}

const crdCache = new Map<string, Crd>();
function parseCrd(file: string): Crd {
  let crd = crdCache.get(file);
  if (!crd) {
    crd = YAML.parse(fs.readFileSync(file, 'utf8')) as Crd;
    crdCache.set(file, crd);
  }
  return crd;
}

/**
 * One ajv instance validates every kind. Custom resources are first defaulted from their schema, as the API server
 * does before validating (Route's `wildcardPolicy: None` default is what satisfies its own `anyOf` rule). That is
 * a separate pass because ajv evaluates `allOf`/`anyOf` before it fills in an object's defaults.
 * Built-in types are defaulted by Go code, not by their OpenAPI `default`s, so they get no such pass.
 */
interface Registry {
  readonly sources: Map<string, Source>;
  readonly validators: Map<string, Compiled>;
  ajv?: Ajv;
  defaultsAjv?: Ajv;
  openshiftLoaded: boolean;
  readonly dir: string;
}

interface Compiled {
  readonly validate: ValidateFunction;
  readonly applyDefaults?: ValidateFunction;
  readonly source: Source;
}

let registry: Registry | undefined;

function newAjv(): Ajv {
  // Compiling dominates (a validator runs a handful of times per kind), so skip ajv's code optimisation pass:
  // compiling all pinned CRDs takes ~40% less time. The schemas are upstream data, so no meta-schema check either.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false, code: { optimize: false } });
  addFormats(ajv, ['date-time', 'date', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid', 'byte', 'int32', 'int64', 'float', 'double', 'password']);
  // Kubernetes' own format names: `ip` is either family, `duration` is Go's time.Duration syntax.
  const ipv4 = ajv.formats.ipv4 as RegExp;
  const ipv6 = ajv.formats.ipv6 as RegExp;
  ajv.addFormat('ip', (s: string) => ipv4.test(s) || ipv6.test(s));
  ajv.addFormat('duration', /^[-+]?(0|(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/);
  const k8s = JSON.parse(fs.readFileSync(k8sDefinitionsFile(), 'utf8')) as unknown;
  ajv.addSchema(rewrite(k8s, true, { closeBareObjects: false }) as Schema, K8S_ID);
  return ajv;
}

/** The structural skeleton of a schema with its defaults: validating against it only fills in defaults. */
function defaultsOnly(node: unknown): Schema {
  if (!isObject(node)) return {};
  const out: Schema = {};
  if (node.default !== undefined && node.default !== null) out.default = node.default;
  if (isObject(node.properties)) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([n, s]) => [n, defaultsOnly(s)]));
  }
  if (isObject(node.additionalProperties)) out.additionalProperties = defaultsOnly(node.additionalProperties);
  if (isObject(node.items)) out.items = defaultsOnly(node.items);
  return out;
}

function k8sDefinitionsFile(): string {
  return path.join(schemaDir(), 'k8s-schema', K8S_SCHEMA_VERSION, '_definitions.json');
}

function openshiftOpenApiFile(): string {
  return path.join(schemaDir(), 'crds', 'openapi', 'openshift-api.openapi.json');
}

interface GvkDefinition {
  readonly 'x-kubernetes-group-version-kind'?: ReadonlyArray<{ group: string; version: string; kind: string }>;
}

function getRegistry(): Registry {
  // The folder can change between commands of one process (--schemas): rebuild for a new one.
  if (registry && registry.dir === schemaDir()) return registry;
  if (registry) crdCache.clear();
  const sources = new Map<string, Source>();
  for (const e of buildCrdIndex(path.join(schemaDir(), 'crds'))) {
    sources.set(key(e.apiVersion, e.kind), { origin: 'crd', file: e.file, version: e.version, namespaced: e.namespaced });
  }
  const k8s = JSON.parse(fs.readFileSync(k8sDefinitionsFile(), 'utf8')) as { definitions: Record<string, GvkDefinition> };
  for (const [name, def] of Object.entries(k8s.definitions)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      if (sources.has(key(apiVersion, gvk.kind))) continue;
      sources.set(key(apiVersion, gvk.kind), { origin: 'k8s', definition: name, namespaced: !CLUSTER_SCOPED_BUILTIN_KINDS.has(gvk.kind) });
    }
  }
  for (const [k, definition] of Object.entries(OPENSHIFT_OPENAPI_KINDS)) {
    sources.set(k, { origin: 'openshift', definition, namespaced: !CLUSTER_SCOPED_BUILTIN_KINDS.has(k.split(' ')[1]) });
  }
  registry = { dir: schemaDir(), sources, validators: new Map(), openshiftLoaded: false };
  return registry;
}

function compile(reg: Registry, source: Source): Compiled {
  const ajv = (reg.ajv ??= newAjv());
  if (source.origin === 'crd') {
    const crd = parseCrd(path.join(schemaDir(), 'crds', source.file));
    const schema = crd.spec.versions.find((v) => v.name === source.version)!.schema!.openAPIV3Schema;
    reg.defaultsAjv ??= new Ajv({ strict: false, useDefaults: true, validateSchema: false, validateFormats: false });
    return { validate: ajv.compile(crdRootSchema(schema)), applyDefaults: reg.defaultsAjv.compile(defaultsOnly(schema)), source };
  }
  if (source.origin === 'k8s') return { validate: ajv.compile({ $ref: `${K8S_ID}#/definitions/${source.definition}` }), source };
  if (!reg.openshiftLoaded) {
    const doc = JSON.parse(fs.readFileSync(openshiftOpenApiFile(), 'utf8')) as { definitions: unknown };
    ajv.addSchema(rewrite({ definitions: doc.definitions }, true, { closeBareObjects: false }) as Schema, OPENSHIFT_ID);
    reg.openshiftLoaded = true;
  }
  return { validate: ajv.compile({ $ref: `${OPENSHIFT_ID}#/definitions/${source.definition}` }), source };
}

const kindIndex = new WeakMap<Registry, Map<string, string[]>>();

/** The apiVersions a kind is pinned under (empty for a kind without any pinned schema). */
function apiVersionsOf(reg: Registry, kind: string): string[] {
  let index = kindIndex.get(reg);
  if (!index) {
    index = new Map();
    for (const k of reg.sources.keys()) {
      const [apiVersion, name] = k.split(' ');
      index.set(name, [...(index.get(name) ?? []), apiVersion].sort());
    }
    kindIndex.set(reg, index);
  }
  return index.get(kind) ?? [];
}

function validatorFor(reg: Registry, apiVersion: string, kind: string): Compiled | undefined {
  const k = key(apiVersion, kind);
  const source = reg.sources.get(k);
  if (!source) return undefined;
  let compiled = reg.validators.get(k);
  if (!compiled) {
    compiled = compile(reg, source);
    reg.validators.set(k, compiled);
  }
  return compiled;
}

/** Whether objects of a pinned kind live in a namespace; undefined for kinds without a pinned schema. */
export function isNamespaced(apiVersion: string, kind: string): boolean | undefined {
  return getRegistry().sources.get(key(apiVersion, kind))?.namespaced;
}

/** True when a schema for this apiVersion and kind is pinned (in `schemas/`, or the `--schemas` folder). */
export function hasPinnedSchema(apiVersion: string, kind: string): boolean {
  return getRegistry().sources.has(key(apiVersion, kind));
}

// ---------------------------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------------------------

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.template.spec.containers[0].name`, `metadata.annotations["argocd.argoproj.io/sync-wave"]`. */
function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (SIMPLE_KEY.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '(root)';
}

/** Splits an ajv instancePath into keys and array indexes, looking at the data to tell them apart. */
function pathSegments(root: unknown, pointer: string): (string | number)[] {
  if (!pointer) return [];
  const out: (string | number)[] = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = isObject(cur) ? cur[seg] : undefined;
    }
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * Turns ajv errors into one sentence each. Values of strings are never echoed: a finding may be printed, and the
 * object may be a Secret.
 */
function describe(errors: readonly ErrorObject[], obj: unknown, source: Source): string[] {
  // Branch errors of a failed anyOf/oneOf repeat the same problem per alternative; the combinator's own error says it.
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const findings: string[] = [];
  for (const e of errors) {
    if (combinators.some((c) => e.schemaPath.startsWith(c))) continue;
    const segs = pathSegments(obj, e.instancePath);
    const at = formatPath(segs);
    switch (e.keyword) {
      case 'additionalProperties': {
        const field = formatPath([...segs, (e.params as { additionalProperty: string }).additionalProperty]);
        findings.push(source.origin === 'crd' ? `unknown field ${field} (would be pruned)` : `unknown field ${field}`);
        break;
      }
      case 'required':
        findings.push(`missing required field ${formatPath([...segs, (e.params as { missingProperty: string }).missingProperty])}`);
        break;
      case 'type':
        findings.push(`${at}: must be ${String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ')}, got ${typeName(e.data)}`);
        break;
      case 'enum':
        findings.push(`${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'anyOf':
      case 'oneOf': {
        const alternatives = (e.schema as Schema[]) ?? [];
        const types = alternatives.map((s) => s.type).sort().join(',');
        findings.push(types === 'integer,string' ? `${at}: must be integer or string, got ${typeName(e.data)}` : `${at}: ${e.message ?? 'is invalid'}`);
        break;
      }
      case 'pattern':
        findings.push(`${at}: must match ${(e.params as { pattern: string }).pattern}`);
        break;
      case 'format':
        findings.push(`${at}: must be a valid ${(e.params as { format: string }).format}`);
        break;
      default:
        findings.push(`${at}: ${e.message ?? 'is invalid'}`);
    }
  }
  return findings;
}

const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL_RE.test(s);
}
export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && DNS_SUBDOMAIN_RE.test(s);
}
/** Label and annotation keys: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isQualifiedName(s: string): boolean {
  const slash = s.lastIndexOf('/');
  const prefix = slash >= 0 ? s.slice(0, slash) : undefined;
  const name = slash >= 0 ? s.slice(slash + 1) : s;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && QUALIFIED_NAME_RE.test(name);
}
export function isLabelValue(s: string): boolean {
  return s.length <= 63 && LABEL_VALUE_RE.test(s);
}

/** Name, namespace, label and annotation rules the API server applies to every object. */
function checkMetadata(obj: Schema): string[] {
  const findings: string[] = [];
  const meta = isObject(obj.metadata) ? obj.metadata : undefined;
  const name = meta?.name;
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  if (typeof name !== 'string' || name === '') {
    findings.push('missing required field metadata.name');
  } else if (DNS_LABEL_NAMED_KINDS.has(kind)) {
    if (!isDnsLabel(name)) {
      findings.push(`metadata.name: "${name}" is not a DNS label (lower-case alphanumerics and '-', at most 63 characters), which a ${kind} name must be`);
    }
  } else if (!isDnsSubdomain(name)) {
    findings.push(`metadata.name: "${name}" is not a DNS subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters)`);
  }
  const ns = meta?.namespace;
  if (typeof ns === 'string' && !isDnsLabel(ns)) {
    findings.push(`metadata.namespace: "${ns}" is not a DNS label (lower-case alphanumerics and '-', at most 63 characters)`);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta?.[field];
    if (!isObject(map)) continue;
    for (const [k, v] of Object.entries(map)) {
      const at = formatPath(['metadata', field, k]);
      if (!isQualifiedName(k)) {
        findings.push(`${at}: key is not a qualified name (optional DNS-subdomain prefix and '/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric)`);
      }
      if (field === 'labels' && typeof v === 'string' && !isLabelValue(v)) {
        findings.push(`${at}: value "${v}" is not a label value (at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric)`);
      }
    }
  }
  return findings;
}

/**
 * Validates one rendered object. Returns one human-readable finding per problem, each naming the JSON path;
 * an empty list means the object is valid against its pinned schema.
 */
export function validateManifest(obj: unknown): string[] {
  if (!isObject(obj)) return [`(root): must be object, got ${typeName(obj)}`];
  const findings: string[] = [];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || apiVersion === '') findings.push('missing required field apiVersion');
  if (typeof kind !== 'string' || kind === '') findings.push('missing required field kind');
  if (findings.length > 0) return [...findings, ...checkMetadata(obj)];

  const reg = getRegistry();
  const found = validatorFor(reg, apiVersion as string, kind as string);
  const servedAs = found ? [] : apiVersionsOf(reg, kind as string);
  if (!found && servedAs.length > 0) {
    // a known kind under an apiVersion that does not serve it: the API server would refuse the object, and the checks
    // that read this kind's fields must not take its content for that kind
    findings.push(`apiVersion ${String(apiVersion)} does not serve ${String(kind)}; pinned: ${servedAs.join(', ')}`);
  } else if (!found) {
    findings.push(`no pinned schema for ${String(apiVersion)} ${String(kind)}`);
  } else {
    // Defaulting writes into the data: validate a copy, and read paths from that same copy.
    const data = found.applyDefaults ? structuredClone(obj) : obj;
    found.applyDefaults?.(data);
    if (!found.validate(data)) findings.push(...describe(found.validate.errors ?? [], data, found.source));
  }
  findings.push(...checkMetadata(obj));
  return [...new Set(findings)];
}
