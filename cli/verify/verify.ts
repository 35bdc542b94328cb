/**
 * `ztpfw verify`: proves a rendered output folder offline. Reads every file back, unwraps the objects that Policies
 * and ManifestWorks deliver to edge clusters, and runs four checks over the result: schemas, references,
 * invariants and a real kustomize build. Returns findings; printing them is the command's business.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fleet } from '../../model/types';
import { outOfBandSecrets } from '../../model/secrets';
import { airgapCheck } from './airgap';
import { checkFileInvariants, checkObjectInvariants, describeObject, LocatedObject, objectId } from './invariants';
import { checkRbacInvariants } from './rbac';
import { KubectlUnavailable, kubectlPath, kustomizeBuildAll } from './kustomize';
import { planBuilds } from './kustomize-shapes';
import { checkReferences, ExternalRef, K8sObject, OPENSHIFT_NAMESPACES, selects } from './references';
import { isNamespaced, validateManifest } from './schemas';
import { HOLDS_MANIFESTS_ANNOTATION } from '../../charts/common/day2';
import { asList, loadRendered, loadRenderedAll, objectShapeProblem, readRenderedFile, RenderedYamlError } from '../rendered-yaml';

export type Severity = 'error' | 'warning' | 'notice';
/** What kind of problem a finding is; the summary counts findings by class. */
export type FindingClass = 'parse' | 'schema' | 'unknown-field' | 'no-schema' | 'reference' | 'invariant' | 'airgap' | 'kustomize';

export interface Finding {
  readonly severity: Severity;
  readonly class: FindingClass;
  /** File relative to the output folder. */
  readonly file?: string;
  /** `Kind namespace/name`, with the embedding path for delivered objects. */
  readonly object?: string;
  readonly message: string;
}

export interface CheckRun {
  readonly name: 'schema' | 'references' | 'invariants' | 'airgap' | 'kustomize';
  /** What the check looked at, e.g. `1234 objects`. */
  readonly scope: string;
  readonly skipped?: string;
}

export interface VerifyOptions {
  /** Absolute output folder. */
  readonly out: string;
  /** The fleet that was rendered: its out-of-band Secrets count as external, its DISCONNECTED setting applies. */
  readonly fleet?: Fleet;
  /**
   * `auto`: build with kustomize when a kubectl is available, else a notice; `require`: no kubectl is an error;
   * `skip`: do not build.
   */
  readonly kustomize: 'auto' | 'require' | 'skip';
  /** Called as each phase starts and as it advances (`done` of `total`), for a progress line on a terminal. */
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

export interface VerifyReport {
  readonly files: number;
  /** Objects in files. */
  readonly objects: number;
  /** Objects delivered inside Policies and ManifestWorks (ConfigurationPolicies included). */
  readonly embedded: number;
  /** Top-level and embedded objects by kind, sorted by kind. */
  readonly kinds: Readonly<Record<string, number>>;
  /** Clusters objects land on: `hub` and every edge cluster that receives delivered objects. */
  readonly targets: readonly string[];
  readonly checks: readonly CheckRun[];
  readonly findings: readonly Finding[];
}

export const HUB = 'hub';
/** The target of what an unbound Policy carries: schema-checked, but it lands nowhere, so nothing is pulled. */
const NO_CLUSTER = '(no cluster)';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Loaded {
  readonly files: string[];
  readonly objects: LocatedObject[];
  readonly kustomizations: Map<string, readonly unknown[] | undefined>;
  /** Folder → its whole kustomization document. */
  readonly kustomizationDocs: Map<string, unknown>;
  readonly unparsed: Set<string>;
  readonly findings: Finding[];
}

/** Every file below `dir`, relative and `/`-separated, in name order (links and other entries are files here). */
export function filesBelow(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesBelow(dir, p));
    else out.push(p);
  }
  return out;
}

/** Keys synth writes into a kustomization.yaml. */
const KUSTOMIZATION_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'resources']);

/**
 * Why a kustomization must not reach kubectl, or undefined: a key synth never writes (helmCharts, components,
 * generators…), or a resource that is not a plain relative path inside its folder. kustomize would fetch a remote
 * resource (`https://…`, `github.com/…?ref=`) from the machine running verify, often CI with network access.
 */
function unbuildableKustomization(k: Record<string, unknown>, dir: string, exists: (p: string) => boolean): { key?: string } | undefined {
  const key = Object.keys(k).find((x) => !KUSTOMIZATION_KEYS.has(x));
  if (key !== undefined) return { key };
  // kustomize reads a path that does not exist locally as a remote one (`github.com/org/repo/dir`): every resource
  // must be a file or folder that is there, below the kustomization's own folder
  const local = (r: unknown) => typeof r === 'string' && /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(r) && !r.split('/').includes('..') && exists(dir === '.' ? r : `${dir}/${r}`);
  return Array.isArray(k.resources) && k.resources.every(local) ? undefined : {};
}

function load(out: string, progress: VerifyOptions['onProgress']): Loaded {
  const files = filesBelow(out);
  const objects: LocatedObject[] = [];
  const kustomizations = new Map<string, readonly unknown[] | undefined>();
  const kustomizationDocs = new Map<string, unknown>();
  const unparsed = new Set<string>();
  const findings: Finding[] = [];
  // the files and the folders above them
  const present = new Set(files.flatMap((f) => f.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  for (const [i, file] of files.entries()) {
    if (i % 1000 === 0) progress?.('reading', i, files.length);
    const isYaml = /\.ya?ml$/.test(file);
    const read = readRenderedFile(path.join(out, file));
    if ('problem' in read) {
      findings.push({ severity: 'error', class: 'parse', file, message: read.problem });
      unparsed.add(file);
      continue;
    }
    if (!isYaml) continue;
    const text = read.text;
    let docs: unknown[];
    try {
      docs = loadRenderedAll(text);
    } catch (e) {
      if (!(e instanceof RenderedYamlError)) throw e;
      findings.push({ severity: 'error', class: 'parse', file, message: e.message });
      unparsed.add(file);
      continue;
    }
    if (path.posix.basename(file) === 'kustomization.yaml') {
      const k = docs[0] as any;
      if (docs.length !== 1 || typeof k !== 'object' || Array.isArray(k)) {
        findings.push({ severity: 'error', class: 'parse', file, message: 'is not one kustomization (a map with apiVersion, kind and resources)' });
        unparsed.add(file);
        continue;
      }
      kustomizations.set(path.posix.dirname(file), Array.isArray(k.resources) ? k.resources : undefined);
      kustomizationDocs.set(path.posix.dirname(file), k);
      const unsafe = unbuildableKustomization(k, path.posix.dirname(file), (p) => present.has(p));
      if (unsafe) {
        // the folder checks report a bad listing; here only what synth never writes is reported, and nothing is built
        if (unsafe.key) findings.push({ severity: 'error', class: 'invariant', file, message: `sets ${unsafe.key}, which synth never writes (a kustomization lists resources only)` });
        unparsed.add(file);
      }
      continue;
    }
    if (docs.length !== 1) {
      findings.push({ severity: 'error', class: 'invariant', file, message: `holds ${docs.length} documents; the output has one object per file` });
    }
    for (const obj of docs) {
      const problem = objectShapeProblem(obj);
      if (problem) findings.push({ severity: 'error', class: 'schema', file, message: `the document ${problem}` });
      else objects.push({ obj, file, target: HUB, bytes: Buffer.byteLength(text) / Math.max(docs.length, 1) });
    }
  }
  return { files, objects, kustomizations, kustomizationDocs, unparsed, findings };
}

const isPolicy = (o: any) => o?.kind === 'Policy' && String(o.apiVersion).startsWith('policy.open-cluster-management.io/');
const isWork = (o: any) => o?.kind === 'ManifestWork' && String(o.apiVersion).startsWith('work.open-cluster-management.io/');
/** Kinds with a size limit (invariants): only their embedded copies are serialized to measure them. */
const SIZED_KINDS: ReadonlySet<string> = new Set(['ConfigMap', 'Secret', 'ManifestWork']);
const sizeOf = (o: any) => (SIZED_KINDS.has(o?.kind) ? Buffer.byteLength(JSON.stringify(o) ?? '') : 0);

/**
 * Edge clusters each Policy reaches: PlacementBinding subjects → Placement → the rendered ManagedClusters its
 * predicates select. What the hub would decide, from the rendered objects alone.
 */
function policyTargets(top: readonly LocatedObject[]): Map<string, string[]> {
  const clusters = top.filter((o) => o.obj?.kind === 'ManagedCluster').map((o) => o.obj);
  const placements = new Map<string, string[]>();
  for (const { obj } of top) {
    if (obj?.kind !== 'Placement') continue;
    // one that broke its schema is seen without a spec (identityOnly): it reaches nobody rather than everybody
    if (obj.spec === undefined) {
      placements.set(`${obj.metadata?.namespace}/${obj.metadata?.name}`, []);
      continue;
    }
    const predicates: any[] = obj.spec.predicates ?? [];
    const picked = clusters.filter((c) => predicates.length === 0 || predicates.some((p) => selects(p.requiredClusterSelector?.labelSelector ?? {}, c.metadata?.labels)));
    placements.set(`${obj.metadata?.namespace}/${obj.metadata?.name}`, picked.map((c) => String(c.metadata?.name)));
  }
  const out = new Map<string, string[]>();
  for (const { obj } of top) {
    if (obj?.kind !== 'PlacementBinding' || obj.placementRef?.kind !== 'Placement') continue;
    const ns = obj.metadata?.namespace;
    const reached = placements.get(`${ns}/${obj.placementRef.name}`) ?? [];
    for (const s of obj.subjects ?? []) {
      if (s.kind !== 'Policy') continue;
      const k = `${ns}/${s.name}`;
      out.set(k, [...new Set([...(out.get(k) ?? []), ...reached])]);
    }
  }
  return out;
}

/**
 * The objects Policies and ManifestWorks carry, once per cluster they reach; an embedded document that is not shaped
 * like an object is a finding instead (the schema check reports what else is wrong with its carrier).
 */
function unwrap(top: readonly LocatedObject[]): { objects: LocatedObject[]; findings: Finding[] } {
  const targets = policyTargets(top);
  const out: LocatedObject[] = [];
  const findings: Finding[] = [];
  const add = (carrier: LocatedObject, obj: unknown, target: string, embeddedAt: string, nameOptional = false) => {
    const problem = objectShapeProblem(obj, { nameOptional });
    if (problem) findings.push({ severity: 'error', class: 'schema', file: carrier.file, object: describeObject(carrier), message: `${embeddedAt} ${problem}` });
    else out.push({ obj, file: carrier.file, target, embeddedAt, bytes: sizeOf(obj) });
    return !problem;
  };
  for (const w of top) {
    const o = w.obj;
    if (isPolicy(o)) {
      const reached = targets.get(`${o.metadata.namespace}/${o.metadata.name}`) ?? [];
      // An unbound Policy still gets its schemas checked (under a target no cluster has); references flag it.
      const on = reached.length ? reached : [NO_CLUSTER];
      asList(o.spec?.['policy-templates']).forEach((t: any, i: number) => {
        const def = t?.objectDefinition;
        if (!def) return;
        const at = `spec.policy-templates[${i}].objectDefinition`;
        for (const target of on) {
          if (!add(w, def, target, at)) break;
          asList(def.spec?.['object-templates']).forEach((ot: any, j: number) => {
            // a ConfigurationPolicy may match objects by kind and namespace alone
            if (ot?.objectDefinition) add(w, ot.objectDefinition, target, `${at}.spec.object-templates[${j}]`, true);
          });
        }
      });
    } else if (isWork(o)) {
      asList(o.spec?.workload?.manifests).forEach((m: any, i: number) => add(w, m, String(o.metadata.namespace), `spec.workload.manifests[${i}]`));
    }
  }
  // A delivered ConfigMap marked as holding manifests carries objects a Job applies on the edge (the registry switch):
  // they reach the same cluster, so they are checked like every other delivered object.
  for (const d of [...out]) {
    if (d.obj.kind !== 'ConfigMap' || d.obj.metadata.annotations?.[HOLDS_MANIFESTS_ANNOTATION] !== 'true') continue;
    const data = typeof d.obj.data === 'object' && d.obj.data !== null ? d.obj.data : {};
    for (const [key, text] of Object.entries(data).sort(([a], [b]) => a.localeCompare(b))) {
      if (!/\.ya?ml$/.test(key) || typeof text !== 'string') continue;
      const at = `${d.embeddedAt}.data[${key}]`;
      let m: unknown;
      try {
        m = loadRendered(text);
      } catch (e) {
        if (!(e instanceof RenderedYamlError)) throw e;
        findings.push({ severity: 'error', class: 'parse', file: d.file, object: describeObject(d), message: `${at} ${e.message}` });
        continue;
      }
      if (m !== null && m !== undefined) add(d, m, d.target, at);
    }
  }
  return { objects: out, findings };
}

const isConfigurationPolicy = (o: LocatedObject) => o.embeddedAt !== undefined && o.obj?.kind === 'ConfigurationPolicy' && /policy-templates\[\d+\]\.objectDefinition$/.test(o.embeddedAt);

/**
 * Schema findings, and the objects that break their schema (not merely lack one): the checks after this one read
 * fields as the schema types them, so they see such an object as its identity only (see {@link identityOnly}).
 */
function schemaFindings(objects: readonly LocatedObject[], progress: VerifyOptions['onProgress']): { findings: Finding[]; invalid: Set<unknown> } {
  const findings: Finding[] = [];
  const invalid = new Set<unknown>();
  // An object delivered to several clusters is one object: validate it once.
  const seen = new Set<unknown>();
  for (const [i, o] of objects.entries()) {
    if (i % 1000 === 0) progress?.('schemas', i, objects.length);
    if (seen.has(o.obj)) continue;
    seen.add(o.obj);
    const object = describeObject(o);
    for (const message of validateManifest(o.obj)) {
      const cls: FindingClass = message.startsWith('no pinned schema') ? 'no-schema' : message.startsWith('unknown field') ? 'unknown-field' : 'schema';
      if (cls === 'schema') invalid.add(o.obj);
      findings.push({ severity: cls === 'no-schema' ? 'warning' : 'error', class: cls, file: o.file, object, message });
    }
    const { apiVersion, kind, metadata } = o.obj ?? {};
    const namespaced = typeof apiVersion === 'string' && typeof kind === 'string' ? isNamespaced(apiVersion, kind) : undefined;
    // ConfigurationPolicies may pick namespaces with a namespaceSelector, so their templates may leave it out.
    const inPolicy = o.embeddedAt?.includes('object-templates') ?? false;
    if (namespaced === true && !metadata?.namespace && !inPolicy && !isConfigurationPolicy(o)) {
      findings.push({ severity: 'error', class: 'schema', file: o.file, object, message: `${kind} is namespaced but has no metadata.namespace` });
    }
    if (namespaced === false && metadata?.namespace !== undefined) {
      findings.push({ severity: 'error', class: 'schema', file: o.file, object, message: `${kind} is cluster-scoped but has metadata.namespace` });
    }
  }
  return { findings, invalid };
}

/**
 * An object that breaks its schema, as the later checks see it: apiVersion, kind and metadata (whose shape the loader
 * checked), nothing else. References to it still resolve, and no check reads a field of the wrong type (a list
 * where the schema says map) from it; its own findings are the schema check's.
 */
function identityOnly(objects: readonly LocatedObject[], invalid: ReadonlySet<unknown>): LocatedObject[] {
  if (invalid.size === 0) return [...objects];
  const stubs = new Map<unknown, unknown>();
  return objects.map((o) => {
    if (!invalid.has(o.obj)) return o;
    if (!stubs.has(o.obj)) stubs.set(o.obj, { apiVersion: o.obj.apiVersion, kind: o.obj.kind, metadata: o.obj.metadata });
    return { ...o, obj: stubs.get(o.obj) };
  });
}

/**
 * Argo CD Applications rendered into the output, and the Applications an ApplicationSet's git directory generator
 * yields for the rendered folders, must point at a folder Argo CD can sync (one with a kustomization.yaml, or for a
 * `directory` source a folder of plain YAML files) and belong to a rendered AppProject. Returns the folders synced as
 * plain directories, which need no kustomization.yaml.
 */
function applicationFindings(out: string, gitPath: string | undefined, top: readonly LocatedObject[], kustomizations: ReadonlyMap<string, unknown>, files: readonly string[]): { findings: Finding[]; directories: Set<string> } {
  const findings: Finding[] = [];
  const directories = new Set<string>();
  // Argo CD reads the output at GIT_PATH of the repository: paths under it are the output folder's, whatever the
  // folder is called here; other paths are the repository's, whose root is above the output folder.
  const prefix = gitPath ?? path.basename(out);
  const root = out.endsWith(`${path.sep}${prefix.split('/').join(path.sep)}`) ? out.slice(0, out.length - prefix.length - 1) : path.dirname(out);
  const yamlDirs = new Set(files.filter((f) => /\.ya?ml$/.test(f) && path.posix.basename(f) !== 'kustomization.yaml').map((f) => path.posix.dirname(f)));
  const allDirs = new Set([...files.map((f) => path.posix.dirname(f))].flatMap((d) => d.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  const projects = new Set(top.filter((o) => o.obj?.kind === 'AppProject' && String(o.obj.apiVersion).startsWith('argoproj.io/')).map((o) => String(o.obj.metadata?.name)));
  const locate = (p: string) => {
    const norm = path.posix.normalize(p).replace(/\/+$/, '');
    const abs = norm === prefix || norm.startsWith(`${prefix}/`) ? path.join(out, norm.slice(prefix.length)) : path.resolve(root, p);
    const rel = path.relative(out, abs).split(path.sep).join('/') || '.';
    return { abs, rel, inside: !rel.startsWith('..') && !path.isAbsolute(rel) };
  };
  const checkApp = (o: LocatedObject, object: string, spec: any) => {
    const report = (message: string) => findings.push({ severity: 'error', class: 'reference', file: o.file, object, message });
    if (typeof spec?.project === 'string' && !projects.has(spec.project)) report(`spec.project ${spec.project} is not a rendered AppProject`);
    const sources: any[] = [spec?.source, ...(spec?.sources ?? [])].filter(Boolean);
    for (const s of sources) {
      if (s.chart || s.path === undefined) continue;
      const { abs, rel, inside } = locate(String(s.path));
      if (!inside) {
        if (!fs.existsSync(abs)) report(`spec.source.path ${s.path} is not a folder of the repository`);
      } else if (s.directory !== undefined) {
        // Argo CD builds a folder with a kustomization.yaml with kustomize, whatever the source says.
        if (!yamlDirs.has(rel) || kustomizations.has(rel)) report(`spec.source.path ${s.path} is not a rendered folder of plain YAML files (a directory source)`);
        directories.add(rel);
      } else if (!kustomizations.has(rel)) {
        report(`spec.source.path ${s.path} is not a rendered folder with a kustomization.yaml`);
      }
    }
  };
  for (const o of top) {
    if (!String(o.obj?.apiVersion).startsWith('argoproj.io/')) continue;
    if (o.obj.kind === 'Application') checkApp(o, describeObject(o), o.obj.spec);
    if (o.obj.kind !== 'ApplicationSet') continue;
    for (const g of o.obj.spec?.generators ?? []) {
      for (const d of g?.git?.directories ?? []) {
        if (d?.exclude || typeof d?.path !== 'string') continue;
        const { rel, inside } = locate(d.path);
        if (!inside) continue;
        // A path glob of whole segments (`dist/clusters/*`): the rendered folders it matches.
        const pattern = new RegExp(`^${rel.split('/').map((seg: string) => seg.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('/')}$`);
        for (const dir of [...allDirs].filter((x) => pattern.test(x)).sort()) {
          const repoPath = dir === '.' ? prefix : `${prefix}/${dir}`;
          const fill = (v: unknown): unknown => (typeof v === 'string' ? v.split('{{path.basename}}').join(path.posix.basename(dir)).split('{{path}}').join(repoPath) : v);
          const spec = JSON.parse(JSON.stringify(o.obj.spec?.template?.spec ?? {}), (_k, v) => fill(v));
          checkApp(o, `${describeObject(o)} (the Application for ${repoPath})`, spec);
        }
      }
    }
  }
  return { findings, directories };
}

interface KustomizeRun {
  readonly findings: Finding[];
  /** kubectl processes run. */
  readonly builds: number;
  readonly roots: number;
  readonly shapes: number;
}

/**
 * Builds the kustomizations with a real kustomize: one root folder per shape (see kustomize-shapes.ts), and every
 * folder of a shape whose representative fails, so that the findings are those of building every folder.
 */
function kustomizeFindings(out: string, loaded: Loaded, kubectl: string, progress: VerifyOptions['onProgress']): KustomizeRun {
  const objects = loaded.objects;
  const findings: Finding[] = [];
  const identity = (o: any) => `${o?.apiVersion} ${o?.kind} ${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;
  const fileOf = (dir: string) => `${dir === '.' ? '' : `${dir}/`}kustomization.yaml`;
  // What the folder's files (and the folders below) hold is what Argo CD must receive, nothing more or less.
  const compare = (dir: string, built: readonly unknown[]): Finding[] => {
    const prefix = dir === '.' ? '' : `${dir}/`;
    // Files of folders without a kustomization (synced as plain directories) are no kustomization's business.
    const want = objects.filter((o) => o.file.startsWith(prefix) && loaded.kustomizations.has(path.posix.dirname(o.file))).map((o) => identity(o.obj)).sort();
    const got = built.map(identity).sort();
    const gotSet = new Set(got);
    const wantSet = new Set(want);
    const missing = want.filter((w) => !gotSet.has(w));
    const extra = got.filter((g) => !wantSet.has(g));
    const file = fileOf(dir);
    const list: Finding[] = [];
    if (missing.length) list.push({ severity: 'error', class: 'kustomize', file, message: `the build lacks ${missing.length} object(s) of the folder: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}` });
    if (extra.length) list.push({ severity: 'error', class: 'kustomize', file, message: `the build yields ${extra.length} object(s) not in the folder: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}` });
    return list;
  };
  const full = planBuilds({ files: loaded.files, objects, kustomizations: loaded.kustomizationDocs, unparsed: loaded.unparsed });
  // A tree with a file that could not be read is not handed to kubectl: a FIFO would block it, an alias loop crash it,
  // a link lead it out of the folder. Its files already have their findings.
  const unread = [...loaded.unparsed];
  const blocked = [...full.roots.keys()].filter((root) => unread.some((f) => root === '.' || f.startsWith(`${root}/`)));
  for (const root of blocked) findings.push({ severity: 'notice', class: 'kustomize', file: fileOf(root), message: 'not built: a file in its folder was refused (see its finding), and kubectl is never handed one' });
  const plan = { ...full, shapes: full.shapes.map((g) => g.filter((r) => !blocked.includes(r))).filter((g) => g.length > 0) };
  const representatives = plan.shapes.filter((g) => !plan.irregular.has(g[0])).map((g) => g[0]);
  progress?.(`kustomize (${representatives.length} builds)`, 0, representatives.length);
  const first = kustomizeBuildAll(representatives.map((r) => path.join(out, r)), kubectl);
  const everyFolder = new Set<string>();
  for (const group of plan.shapes) {
    const i = representatives.indexOf(group[0]);
    const result = i >= 0 ? first[i] : undefined;
    if (result?.objects && compare(group[0], result.objects).length === 0) continue;
    for (const root of group) for (const dir of plan.roots.get(root) ?? []) everyFolder.add(dir);
  }
  const dirs = [...everyFolder].sort();
  if (dirs.length) progress?.(`kustomize (${dirs.length} more builds)`, 0, dirs.length);
  kustomizeBuildAll(dirs.map((d) => path.join(out, d)), kubectl).forEach((r, i) => {
    if (r.error !== undefined) findings.push({ severity: 'error', class: 'kustomize', file: fileOf(dirs[i]), message: r.error.replace(out, path.basename(out)) });
    else findings.push(...compare(dirs[i], r.objects));
  });
  return { findings, builds: representatives.length + dirs.length, roots: plan.roots.size, shapes: plan.shapes.length };
}

/**
 * Removes, from `findings[from..]`, what the checks after the schema check said about the schema-invalid objects
 * themselves: they saw such an object as its identity only (a BareMetalHost without its spec has no BMC), so those
 * findings restate the schema finding in misleading words. Findings about other objects stay.
 */
function dropFindingsAboutInvalid(findings: Finding[], from: number, invalid: readonly LocatedObject[]): void {
  if (invalid.length === 0) return;
  const described = new Set(invalid.map(describeObject));
  // reference messages start with the object (`Kind ns/name: …`), or `on <cluster>: Kind ns/name: …` when delivered
  const prefixes = invalid.map((o) => `${o.embeddedAt ? `on ${o.target}: ` : ''}${objectId(o.obj)}:`);
  const kept = findings.slice(from).filter((f) => !(f.object !== undefined ? described.has(f.object) : prefixes.some((p) => f.message.startsWith(p))));
  findings.splice(from, findings.length - from, ...kept);
}

export function verifyOutput(options: VerifyOptions): VerifyReport {
  const { out, fleet } = options;
  const progress = options.onProgress;
  const loaded = load(out, progress);
  const findings: Finding[] = [...loaded.findings];
  const checks: CheckRun[] = [];

  // The files' objects are schema-checked before Policies and ManifestWorks are unwrapped, so unwrapping (Placement
  // predicates, PlacementBinding subjects, templates, manifests) reads only objects of a valid shape.
  const topSchema = schemaFindings(loaded.objects, progress);
  const top = identityOnly(loaded.objects, topSchema.invalid);
  const unwrapped = unwrap(top);
  const embeddedSchema = schemaFindings(unwrapped.objects, progress);
  findings.push(...topSchema.findings, ...unwrapped.findings, ...embeddedSchema.findings);
  checks.push({ name: 'schema', scope: `${loaded.objects.length} objects + ${new Set(unwrapped.objects.map((o) => o.obj)).size} embedded` });
  const schema = { invalid: new Set([...topSchema.invalid, ...embeddedSchema.invalid]) };
  const embedded = identityOnly(unwrapped.objects, schema.invalid);
  const all = [...top, ...embedded];
  const firstSemantic = findings.length;

  progress?.('references', 0, 1);
  const external: ExternalRef[] = fleet ? outOfBandSecrets(fleet).map((s) => ({ kind: 'Secret', namespace: s.namespace, name: s.name })) : [];
  const disconnected = fleet?.config.disconnected;
  const reference = (file: string | undefined, message: string): Finding => ({ severity: 'error', class: 'reference', file, message });
  const fileOf = new Map<string, string>();
  for (const o of top) fileOf.set(objectId(o.obj), o.file);
  const objectOf = (message: string) => {
    const m = /^([A-Za-z]+ [^:]+):/.exec(message);
    return m ? fileOf.get(m[1]) : undefined;
  };
  for (const m of checkReferences(top.map((o) => o.obj as K8sObject), { external, disconnected, platformNamespaces: OPENSHIFT_NAMESPACES })) {
    findings.push(reference(objectOf(m), m));
  }
  const byTarget = new Map<string, LocatedObject[]>();
  for (const o of embedded) {
    if (isConfigurationPolicy(o)) continue;
    byTarget.set(o.target, [...(byTarget.get(o.target) ?? []), o]);
  }
  for (const [target, list] of [...byTarget].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const m of checkReferences(list.map((o) => o.obj as K8sObject), { disconnected, platformNamespaces: OPENSHIFT_NAMESPACES })) {
      findings.push({ ...reference(undefined, `on ${target}: ${m}`), file: list.find((o) => m.startsWith(`${objectId(o.obj)}:`))?.file });
    }
  }
  const apps = applicationFindings(out, fleet?.config.git?.path, top, loaded.kustomizations, loaded.files);
  findings.push(...apps.findings);
  checks.push({ name: 'references', scope: `hub + ${byTarget.size} edge cluster(s)${fleet ? `, ${external.length} out-of-band Secrets from the fleet` : ', no fleet (no external Secrets)'}` });

  progress?.('invariants', 0, 1);
  const invariantObjects = all.filter((o) => !isConfigurationPolicy(o));
  for (const f of [...checkObjectInvariants(invariantObjects), ...checkRbacInvariants(invariantObjects), ...checkFileInvariants(path.basename(out), loaded.files, loaded.kustomizations, apps.directories)]) {
    findings.push({ severity: 'error', class: 'invariant', ...f });
  }
  checks.push({ name: 'invariants', scope: `${loaded.files.length} files, ${loaded.kustomizations.size} kustomizations` });

  const airgap = airgapCheck(invariantObjects.filter((o) => o.target !== NO_CLUSTER), HUB, disconnected);
  findings.push(...airgap.findings);
  checks.push(airgap.run);
  dropFindingsAboutInvalid(findings, firstSemantic, [...loaded.objects, ...unwrapped.objects].filter((o) => schema.invalid.has(o.obj)));

  if (options.kustomize === 'skip') {
    checks.push({ name: 'kustomize', scope: `${loaded.kustomizations.size} folders`, skipped: 'skipped on request' });
  } else {
    let kubectl: string | undefined;
    try {
      kubectl = kubectlPath();
    } catch (e) {
      if (!(e instanceof KubectlUnavailable)) throw e;
      const required = options.kustomize === 'require';
      findings.push({ severity: required ? 'error' : 'notice', class: 'kustomize', message: `kustomize build not run: ${e.message}` });
      checks.push({ name: 'kustomize', scope: `${loaded.kustomizations.size} folders`, skipped: e.message });
    }
    if (kubectl) {
      const run = kustomizeFindings(out, loaded, kubectl, progress);
      findings.push(...run.findings);
      checks.push({ name: 'kustomize', scope: `${loaded.kustomizations.size} folders: ${run.roots} root folders of ${run.shapes} shapes, ${plural(run.builds, 'build')}` });
    }
  }

  const kinds: Record<string, number> = {};
  for (const obj of new Set(all.map((o) => o.obj))) {
    const k = String((obj as { kind?: unknown })?.kind);
    kinds[k] = (kinds[k] ?? 0) + 1;
  }
  return {
    files: loaded.files.length,
    objects: top.length,
    embedded: new Set(embedded.map((o) => o.obj)).size,
    kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : 1))),
    targets: [HUB, ...[...byTarget.keys()].sort()],
    checks,
    findings,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
