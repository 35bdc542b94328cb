/**
 * Reads a fleet (one legacy `edgeclusters.yaml`, or a folder with one hub-level config file and one file per
 * edge cluster), validates it completely, and returns either a defaulted Fleet or every problem at once,
 * each located at `file:line:col`. Never throws for bad input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { z } from 'zod';
import { bmcIdentity } from './bmc';
import { parseGpuOperator } from './contrib';
import { DEFAULTS, defaultRhcosImagesUrl } from './defaults';
import { Diagnostic, PathSegment, Reporter, scalarKey, SourceFile, sortDiagnostics } from './diagnostics';
import { cidrContainsHost, cidrsOverlap, hostAt, parseCidr, parseIpv4, reservedOverlap, reservedRangeOf } from './net';
import {
  BMC_SCHEMES, CLUSTER_KEYS, ClusterConfig, FleetConfig as FleetConfigSchema, NODE_KEY, Node as NodeSchema,
  TOP_LEVEL_KEYS, VIRTUAL_MEDIA_SCHEMES, DNS_LABEL, IFACE, MAC, VERSION_XY, VERSION_XYZ, DAY2_BUNDLE_NAMES, Day2BundleName,
} from './schema';
import { readInputFile } from './input-file';
import { reservedNameReason } from './reserved';
import { describeValue as describe, maskUserinfo, PUBLIC_KEY_MATERIAL, quote, SECRET_KEYS, secretValuesIn, urlCredential } from './text';
import { didYouMean } from './suggest';
import { ACM_RELEASES, acmRelease, minorNumber, minorOf, ocpRelease, storageRelease, SUPPORTED_ACM, SUPPORTED_OCP, SUPPORTED_STORAGE, VERSION_TABLE } from './versions';
import { ClusterSettings, EdgeCluster, EdgeNode, Fleet, FleetConfig, InlineBmcCredential, LifecycleState, Registry, Topology } from './types';

export interface LoadResult {
  /** Present only when there is no error. */
  readonly fleet?: Fleet;
  /** Legacy plaintext BMC credentials found in the input (never part of `fleet`). */
  readonly inlineCredentials: readonly InlineBmcCredential[];
  /** Errors and warnings, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** Folder that relative paths are shown against. @default process.cwd() */
  readonly cwd?: string;
  /**
   * Clusters whose committed output is detached (`ztpfw synth` reads it from `dist/`): going back to install or
   * configure would register them with the hub again, so it is an error unless listed in `reattach`.
   * @default - none
   */
  readonly detached?: ReadonlySet<string>;
  /**
   * Clusters whose committed output is registered and still pulls from the hub mirror (neither switched to its own
   * registry nor detached): detaching them straight away is warned about.
   * @default - none
   */
  readonly configured?: ReadonlySet<string>;
  /** Clusters the user acknowledged to re-attach (`--reattach`). @default - none */
  readonly reattach?: ReadonlySet<string>;
}

/** ACM's limit on `<policy namespace>.<policy name>`. */
const DEFAULT_POLICY_NAME_MAX = 63 - DEFAULTS.POLICY_NAMESPACE.length - 1;

/** Kubernetes limit for names that must be DNS labels (namespaces, host names, label values). */
export const DNS_LABEL_MAX = 63;

/** The fixed parts of derived names, so their length can be checked against the cluster name. */
export function nodeHostname(cluster: string, role: string, index: number): string {
  return `ztpfw-${cluster}-${role}-${index}`;
}
export function bmcSecretName(hostname: string): string {
  return `${hostname}-bmc`;
}
export function extraManifestsName(cluster: string): string {
  return `${cluster}-extra-manifests`;
}
/** Kubernetes limit for object names that must be DNS subdomains (Secrets, ConfigMaps). */
export const DNS_SUBDOMAIN_MAX = 253;

const NODE_FIELDS = Object.keys(NodeSchema.shape);
const FLEET_CONFIG_KEYS = Object.keys(FleetConfigSchema.shape);
const CLUSTER_CONFIG_KEYS = Object.keys(ClusterConfig.shape);
const VERSION_KEYS = ['OC_OCP_VERSION', 'OC_ACM_VERSION', 'OC_ODF_VERSION', 'OC_RHCOS_RELEASE'];

/**
 * Lists the YAML files of a fleet input: the file itself, or the `*.yaml`/`*.yml` files of a folder, sorted.
 * Paths are returned as the user named them (joined to `input`); `cwd` is where relative ones are read from.
 */
export function inputFiles(input: string, cwd: string = process.cwd()): string[] {
  const stat = fs.statSync(path.resolve(cwd, input));
  if (!stat.isDirectory()) return [input];
  return fs
    .readdirSync(path.resolve(cwd, input))
    .filter((f) => /\.ya?ml$/i.test(f) && !f.startsWith('.'))
    .sort()
    .map((f) => path.join(input, f));
}

export function loadFleet(input: string, options: LoadOptions = {}): LoadResult {
  const cwd = options.cwd ?? process.cwd();
  // Files are shown as the user named them: the input path, joined with the file name for a folder.
  const shown = (p: string) => p;
  const r = new Reporter();
  const credentials: InlineBmcCredential[] = [];
  const fail = (message: string): LoadResult => ({
    inlineCredentials: [],
    diagnostics: [{ file: shown(input), line: 1, col: 1, severity: 'error', message }],
  });

  let files: string[];
  let isDir: boolean;
  try {
    isDir = fs.statSync(path.resolve(cwd, input)).isDirectory();
    files = inputFiles(input, cwd);
  } catch {
    return fail(`cannot read input "${input}": no such file or folder (pass --input with a fleet file or folder)`);
  }
  if (files.length === 0) return fail('folder holds no .yaml file; add a config file and one file per edge cluster');

  const sources: SourceFile[] = [];
  for (const f of files) {
    const read = readInputFile(f, cwd, isDir ? input : undefined);
    if ('problem' in read) {
      r.raw({ file: shown(f), line: read.line ?? 1, col: read.col ?? 1, severity: 'error', message: `input file ${read.problem}` });
      continue;
    }
    const text = read.text;
    r.hide(secretValuesIn(text));
    const src = new SourceFile(shown(f), text);
    if (reportYamlErrors(src, r)) continue;
    sources.push(src);
  }

  // Top level of each file.
  let configSrc: SourceFile | undefined;
  const configFiles: SourceFile[] = [];
  const clusterItems: { src: SourceFile; index: number }[] = [];
  for (const src of sources) {
    const top = src.data as unknown;
    if (top === null || top === undefined) {
      if (!isDir) r.error(src, [], 'file is empty; expected the keys "config" and "edgeclusters"');
      continue;
    }
    if (!isPlainObject(top)) {
      r.error(src, [], `expected a map with the keys "config" and "edgeclusters", got ${describe(top)}`);
      continue;
    }
    for (const key of Object.keys(top)) {
      if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
        r.error(src, [key], `unknown top-level key "${key}"${didYouMean(key, TOP_LEVEL_KEYS)}`, 'key');
      }
    }
    if ('config' in top) configFiles.push(src);
    const list = top.edgeclusters;
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) {
      r.error(src, ['edgeclusters'], `"edgeclusters" must be a list of single-key maps (- <cluster-name>: {...}), got ${describe(list)}`);
      continue;
    }
    list.forEach((_, index) => clusterItems.push({ src, index }));
  }

  if (configFiles.length === 0 && sources.length > 0) {
    const where = sources[0];
    r.error(where, [], isDir
      ? 'no file in the folder has a "config:" section; add one hub-level file (e.g. config.yaml) with config: OC_OCP_VERSION, OC_ACM_VERSION, OC_ODF_VERSION, BASE_DOMAIN'
      : 'missing required key "config" (OC_OCP_VERSION, OC_ACM_VERSION, OC_ODF_VERSION, BASE_DOMAIN)');
  } else if (configFiles.length > 1) {
    for (const extra of configFiles.slice(1)) {
      r.error(extra, ['config'], `a second "config:" section; the fleet config is already in ${configFiles[0].name} (keep exactly one)`, 'key');
    }
  }
  configSrc = configFiles[0];
  const config = configSrc ? readFleetConfig(configSrc, r) : undefined;

  // Clusters.
  const clusters: EdgeCluster[] = [];
  const names = new Map<string, { src: SourceFile; path: PathSegment[] }>();
  const hardware: FleetHardware = { macs: new Map(), bmcs: new Map() };
  for (const { src, index } of clusterItems) {
    const item = getIn(src.data, ['edgeclusters', index]);
    const name = isPlainObject(item) ? Object.keys(item)[0] : undefined;
    if (name !== undefined) {
      const seen = names.get(name);
      if (seen) {
        const pos = seen.src.keyPositionOf(seen.path);
        r.error(src, ['edgeclusters', index, name],
          `duplicate cluster name "${name}" (first defined at ${seen.src.name}:${pos.line}:${pos.col}); cluster names must be unique in the fleet`, 'key');
      } else {
        names.set(name, { src, path: ['edgeclusters', index, name] });
      }
    }
    const cluster = readCluster(src, index, config, r, credentials, hardware, options);
    if (cluster) clusters.push(cluster);
  }

  const diagnostics = sortDiagnostics(r.diagnostics);
  if (r.errorCount > 0 || !config) return { inlineCredentials: credentials, diagnostics };
  return { fleet: { source: input, config, clusters }, inlineCredentials: credentials, diagnostics };
}

/**
 * Reports what keeps a file from being read as plain data, each at its position; returns true when the file cannot
 * be used. The policy for source text: a syntax message never quotes the input (the token at fault may be a
 * password), it names the kind of problem and the position; aliases and tags are never quoted either. Unknown tags
 * and aliases without an anchor are errors (the `yaml` package would drop or stringify the value), as are keys that
 * are maps or lists (a template such as `{{ .Name }}` left in the file), which plain data cannot hold.
 */
export function reportYamlErrors(src: SourceFile, r: Reporter): boolean {
  if (src.clean) return false;
  let unusable = false;
  for (const w of src.doc.warnings) {
    const pos = src.offsetToPos(w.pos[0]);
    // An unknown tag is a warning to the yaml package (it keeps the value as a string); here it is an error.
    const severity = w.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning';
    unusable ||= severity === 'error';
    r.raw({ file: src.name, line: pos.line, col: pos.col, severity, message: yamlMessage(w, src) });
  }
  for (const e of src.doc.errors) {
    const pos = src.offsetToPos(e.pos[0]);
    r.raw({ file: src.name, line: pos.line, col: pos.col, severity: 'error', message: yamlMessage(e, src) });
  }
  YAML.visit(src.doc, {
    Alias(_, node, ancestors) {
      const target = node.resolve(src.doc);
      const pos = src.offsetToPos(node.range?.[0] ?? 0);
      if (!target) {
        r.raw({ file: src.name, line: pos.line, col: pos.col, severity: 'error', message: 'invalid YAML: an alias (*name) refers to no anchor (&name) defined before it; quote the value if it is not meant as an alias' });
        unusable = true;
      } else if (ancestors.includes(target as never)) {
        // `&a [*a]`: the value would contain itself, which no data (and no JSON or Kubernetes object) can hold
        r.raw({ file: src.name, line: pos.line, col: pos.col, severity: 'error', message: 'invalid YAML: an alias (*name) inside the value its anchor (&name) names makes that value contain itself; quote the value if it is not meant as an alias' });
        unusable = true;
      }
    },
    Map(_, map) {
      // Duplicate keys, in one pass per map (the second one would silently win).
      const seen = new Set<string>();
      for (const pair of map.items as YAML.Pair[]) {
        const k = scalarKey(pair.key);
        if (k === undefined) continue;
        if (seen.has(k)) {
          const pos = src.offsetToPos(YAML.isNode(pair.key) && pair.key.range ? pair.key.range[0] : 0);
          r.raw({ file: src.name, line: pos.line, col: pos.col, severity: 'error', message: `duplicate key ${quote(k)}; each key may appear only once in a map (the second one would silently win)` });
        }
        seen.add(k);
      }
    },
    Pair(_, pair) {
      if (YAML.isCollection(pair.key)) {
        const pos = src.offsetToPos(pair.key.range?.[0] ?? 0);
        r.raw({ file: src.name, line: pos.line, col: pos.col, severity: 'error', message: 'invalid key: a key must be a plain value, not a map or list (a template such as {{ .Name }} left in the file?)' });
        unusable = true;
      }
    },
  });
  if (!unusable && src.doc.errors.length === 0) {
    try {
      void src.data;
    } catch (e) {
      // toJS refusals (too many aliases): its message may name the input, so only the kind of problem is shown
      r.raw({ file: src.name, line: 1, col: 1, severity: 'error', message: `invalid YAML: the document cannot be read as data (${(e as Error).name})` });
      return true;
    }
  }
  // A duplicate key still leaves a usable document: keep checking so every problem is reported at once.
  return unusable || src.doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');
}

/** Codes whose `yaml` messages are fixed texts (no input in them): shown as they are. */
const FIXED_TEXT_CODES = new Set<YAML.ErrorCode>([
  'ALIAS_PROPS', 'BAD_ALIAS', 'BAD_INDENT', 'BAD_PROP_ORDER', 'BLOCK_AS_IMPLICIT_KEY', 'BLOCK_IN_FLOW', 'IMPOSSIBLE', 'KEY_OVER_1024_CHARS',
  'MISSING_CHAR', 'MULTILINE_IMPLICIT_KEY', 'MULTIPLE_ANCHORS', 'MULTIPLE_TAGS', 'TAB_AS_INDENT', 'RESOURCE_EXHAUSTION',
]);

/** Our own words for codes whose `yaml` messages quote the input. */
const OWN_TEXT: Partial<Record<YAML.ErrorCode, string>> = {
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string (single quotes keep backslashes as they are)',
  BAD_SCALAR_START: 'a plain value cannot start with this character; quote the value',
  UNEXPECTED_TOKEN: 'unexpected text here',
  TAG_RESOLVE_FAILED: 'unknown tag: a value starting with "!" is read as a YAML tag; quote the value',
  MULTIPLE_DOCS: 'a second YAML document starts here (a "---" line after content); a fleet file holds one document: merge them, or put each in its own file of an input folder',
};

function yamlMessage(e: YAML.YAMLError, src: SourceFile): string {
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]*/.exec(src.text.slice(e.pos[0]))?.[0].trim().replace(/^["']|["']$/g, '') ?? '';
    return `duplicate key ${quote(key)}; each key may appear only once in a map (the second one would silently win)`;
  }
  if (!FIXED_TEXT_CODES.has(e.code)) return `invalid YAML: ${OWN_TEXT[e.code] ?? `syntax error (${e.code})`}`;
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `invalid YAML: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

/** Replaces unquoted numeric versions (`4.10`) by the text as written, so `4.10` is not read as `4.1`. */
function withVersionSources(src: SourceFile, base: PathSegment[], value: Record<string, unknown>): Record<string, unknown> {
  const out = { ...value };
  for (const key of VERSION_KEYS) {
    if (typeof out[key] === 'number') out[key] = src.sourceOf([...base, key]) ?? String(out[key]);
  }
  return out;
}

function reportZod(src: SourceFile, base: PathSegment[], error: z.ZodError, value: unknown, knownKeys: readonly string[], what: string, r: Reporter): void {
  for (const issue of error.issues) {
    const p = [...base, ...(issue.path as PathSegment[])];
    const key = keyLabel(issue.path as PathSegment[], what);
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        r.error(src, [...p, k], `unknown key "${k}" in ${what}${hintForKey(k, knownKeys)}`, 'key');
      }
    } else if (issue.code === 'invalid_type' && getIn(value, issue.path as PathSegment[]) === undefined) {
      r.error(src, p.slice(0, -1), `missing required key "${key}" in ${what}`);
    } else if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
      const got = getIn(value, issue.path as PathSegment[]);
      r.error(src, p, `"${key}" must be ${expectedOf(issue)}, got ${describeField(p, got)}`);
    } else {
      const got = getIn(value, issue.path as PathSegment[]);
      const last = String(p[p.length - 1]);
      if (last in PUBLIC_KEY_MATERIAL && typeof got === 'string' && (/PRIVATE KEY/.test(got) || (last === 'SSH_PUBLIC_KEY' && /^\s*-----BEGIN/.test(got)))) {
        r.error(src, p, `"${last}" holds a private key, not ${last === 'REGISTRY_CA' ? 'only certificates' : 'a public one'}: remove it from the file (and treat the key as exposed if the file was shared or committed); ${PUBLIC_KEY_MATERIAL[last]}`);
      } else {
        r.error(src, p, `"${key}" ${issue.message}, got ${describeField(p, got)}`);
      }
    }
  }
}

/** `storage_disk[0]` for a list item, the key name otherwise. */
function keyLabel(p: readonly PathSegment[], fallback: string): string {
  let i = p.length - 1;
  let suffix = '';
  while (i >= 0 && typeof p[i] === 'number') suffix = `[${p[i--]}]${suffix}`;
  return i >= 0 ? `${String(p[i])}${suffix}` : fallback;
}

function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return article(issue.expected);
  if (issue.code === 'invalid_union') {
    const kinds = new Set<string>();
    for (const branch of issue.errors) for (const i of branch) if (i.code === 'invalid_type') kinds.add(i.expected);
    if (kinds.size > 0) return [...kinds].map(article).join(' or ');
  }
  return 'a valid value';
}

function article(t: string): string {
  const named: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a map', null: 'empty' };
  return named[t] ?? t;
}

function hintForKey(key: string, known: readonly string[]): string {
  return didYouMean(key, known) || `; allowed keys: ${known.join(', ')}`;
}

function readFleetConfig(src: SourceFile, r: Reporter): FleetConfig | undefined {
  const raw = getIn(src.data, ['config']);
  if (!isPlainObject(raw)) {
    r.error(src, ['config'], `"config" must be a map (OC_OCP_VERSION, OC_ACM_VERSION, OC_ODF_VERSION, BASE_DOMAIN), got ${describe(raw)}`);
    return undefined;
  }
  const value = withVersionSources(src, ['config'], raw);
  const before = r.errorCount;
  const parsed = FleetConfigSchema.safeParse(value);
  if (!parsed.success) reportZod(src, ['config'], parsed.error, value, FLEET_CONFIG_KEYS, 'config', r);
  const c = parsed.success ? parsed.data : undefined;

  let registry: Registry | undefined;
  if (typeof value.REGISTRY === 'string' && value.REGISTRY.trim() !== '' && value.REGISTRY !== 'null') {
    registry = parseRegistry(value.REGISTRY);
    if (!registry) {
      r.error(src, ['config', 'REGISTRY'], `"REGISTRY" must be host[:port] without a scheme or path (e.g. registry.factory.example.com:5000), got ${quote(maskUserinfo(String(value.REGISTRY)))}`);
    }
  }
  // Versions come from the version table: a version outside it is an error that names the table.
  const ocpText = String(value.OC_OCP_VERSION);
  if (VERSION_XYZ.test(ocpText) && !ocpRelease(minorOf(ocpText))) {
    r.error(src, ['config', 'OC_OCP_VERSION'], `OpenShift ${ocpText} is not in ${VERSION_TABLE}; supported: ${SUPPORTED_OCP}`);
  }
  const odfText = String(value.OC_ODF_VERSION);
  if (VERSION_XY.test(odfText) && !storageRelease(odfText)) {
    r.error(src, ['config', 'OC_ODF_VERSION'], `ODF/LVMS ${odfText} is not in ${VERSION_TABLE}; supported: ${SUPPORTED_STORAGE}`);
  }
  const ocpRow = VERSION_XYZ.test(ocpText) ? ocpRelease(minorOf(ocpText)) : undefined;
  if (ocpRow && storageRelease(odfText)) {
    // ODF and LVMS are released with OpenShift: the same minor, or one behind only while an update is under way
    // (OpenShift first, then ODF: ODF "Updating OpenShift Data Foundation", update considerations).
    const ahead = minorNumber(odfText) - minorNumber(ocpRow.minor);
    if (ahead > 0) {
      r.error(src, ['config', 'OC_ODF_VERSION'], `ODF/LVMS ${odfText} is newer than OpenShift ${ocpText}: ODF and LVMS run on the OpenShift minor they were released with; set OC_ODF_VERSION to "${ocpRow.minor}"`);
    } else if (ahead < 0) {
      r.warning(src, ['config', 'OC_ODF_VERSION'], `ODF/LVMS ${odfText} is older than OpenShift ${ocpText}: ODF and LVMS support the OpenShift minor they were released with (an older one only while an update is under way); a new install should use "${ocpRow.minor}"`);
    }
  }
  if (ocpRow?.mirrorSets === 'icsp' && (c?.DISCONNECTED ?? DEFAULTS.DISCONNECTED)) {
    r.error(src, ['config', 'OC_OCP_VERSION'], icspOnlyMessage(ocpText, c?.DISCONNECTED === undefined));
  }
  if (c && !acmRelease(String(c.OC_ACM_VERSION)) && (c.MCE_CHANNEL === undefined || c.ACM_ENABLED)) {
    const alternative = c.ACM_ENABLED ? '' : ', or set MCE_CHANNEL for an MCE-only hub';
    r.error(src, ['config', 'OC_ACM_VERSION'], `ACM ${c.OC_ACM_VERSION} is not in ${VERSION_TABLE}; supported: ${SUPPORTED_ACM}${alternative}`);
  }
  if (c?.MCE_CHANNEL !== undefined && !ACM_RELEASES.some((a) => a.mceChannel === c.MCE_CHANNEL)) {
    const known = [...new Set(ACM_RELEASES.map((a) => a.mceChannel))];
    r.error(src, ['config', 'MCE_CHANNEL'], `MCE channel ${c.MCE_CHANNEL} is not in ${VERSION_TABLE}; supported: ${known.join(', ')}`);
  }
  for (const key of ['GIT_REVISION', 'GIT_PATH'] as const) {
    if (c?.[key] !== undefined && c.GIT_REPO_URL === undefined) {
      r.warning(src, ['config', key], `"${key}" has no effect without GIT_REPO_URL: dist/argocd/ (the Argo CD bootstrap) is rendered only when GIT_REPO_URL is set`, 'key');
    }
  }
  // A credential in a URL would be rendered into dist/, and so into git: Argo CD takes repository credentials from a
  // Secret, and the RHCOS download runs without any.
  for (const [key, instead] of [
    ['GIT_REPO_URL', 'Argo CD takes repository credentials from a Secret labelled argocd.argoproj.io/secret-type: repository, created on the hub out of band (README "Private Git repository")'],
    ['RHCOS_IMAGES_URL', 'the download runs without credentials, so serve the images on the factory network without them'],
    ['REGISTRY', 'registry credentials belong in the pull secret (ztpfw secrets --pull-secret)'],
  ] as const) {
    const v = value[key];
    const kind = typeof v === 'string' ? urlCredential(v) : undefined;
    if (kind) r.error(src, ['config', key], `"${key}" carries a ${kind} in the address (before "@"), which would be written into dist/ and so into git: remove it; ${instead}`);
  }
  if (c?.REGISTRY_CA !== undefined && !registry) {
    r.error(src, ['config', 'REGISTRY_CA'], '"REGISTRY_CA" is the CA of a custom REGISTRY, but REGISTRY is not set; the hub registry trusts its own CA (remove REGISTRY_CA or set REGISTRY)');
  }
  const settings = readSettings(src, ['config'], c ?? {}, undefined, r);
  if (c && c.DAY2_DELIVERY === 'policy' && !c.ACM_ENABLED) {
    r.error(src, ['config', 'DAY2_DELIVERY'], 'DAY2_DELIVERY "policy" needs ACM on the hub; set ACM_ENABLED: true or use "manifestwork"');
  }
  if (!c || !settings || r.errorCount > before) return undefined;

  const ocpVersion = String(c.OC_OCP_VERSION);
  const ocpMinor = minorOf(ocpVersion);
  const hubLvms = c.HUB_LVMS ?? DEFAULTS.HUB_LVMS;
  const ocpTag = c.OC_OCP_TAG ?? `${ocpVersion}-${DEFAULTS.ARCHITECTURE}`;
  const disconnected = c.DISCONNECTED ?? DEFAULTS.DISCONNECTED;
  if (disconnected && c.OC_OCP_RELEASE_DIGEST === undefined) {
    // Reported here but the config is still returned, so the clusters are checked against it (all errors at once).
    r.error(src, ['config', 'OC_OCP_VERSION'], releaseByTagMessage(`${DEFAULTS.RELEASE_REPOSITORY}:${ocpTag}`, c.DISCONNECTED === undefined));
  }
  return {
    ocpVersion,
    ocpMinor,
    ocpTag,
    releaseDigest: c.OC_OCP_RELEASE_DIGEST,
    releaseImage: c.OC_OCP_RELEASE_DIGEST
      ? `${DEFAULTS.RELEASE_REPOSITORY}@${c.OC_OCP_RELEASE_DIGEST}`
      : `${DEFAULTS.RELEASE_REPOSITORY}:${ocpTag}`,
    clusterImageSet: c.clusterimageset ?? `openshift-v${ocpVersion}`,
    rhcosRelease: c.OC_RHCOS_RELEASE === undefined ? undefined : String(c.OC_RHCOS_RELEASE),
    acmVersion: String(c.OC_ACM_VERSION),
    odfVersion: String(c.OC_ODF_VERSION),
    registry,
    acmEnabled: c.ACM_ENABLED ?? DEFAULTS.ACM_ENABLED,
    baseDomain: c.BASE_DOMAIN,
    defaults: settings,
    mceChannel: c.MCE_CHANNEL ?? acmRelease(String(c.OC_ACM_VERSION))!.mceChannel,
    disconnected,
    hubLvms,
    hubStorageClass: c.HUB_STORAGE_CLASS ?? (hubLvms ? DEFAULTS.HUB_LVMS_STORAGE_CLASS : undefined),
    ocMirrorWorkspaceSize: c.OC_MIRROR_WORKSPACE_SIZE ?? DEFAULTS.OC_MIRROR_WORKSPACE_SIZE,
    hubAppsDomain: c.HUB_APPS_DOMAIN ?? `${DEFAULTS.HUB_APPS_DOMAIN_PREFIX}.${c.BASE_DOMAIN}`,
    rhcosImagesUrl: (c.RHCOS_IMAGES_URL ?? defaultRhcosImagesUrl(ocpMinor)).replace(/\/+$/, ''),
    registryCa: c.REGISTRY_CA === undefined ? undefined : `${c.REGISTRY_CA.trim()}\n`,
    git: c.GIT_REPO_URL === undefined ? undefined : {
      repoUrl: c.GIT_REPO_URL,
      revision: c.GIT_REVISION ?? DEFAULTS.GIT_REVISION,
      path: c.GIT_PATH ?? DEFAULTS.GIT_PATH,
    },
    imageOverrides: {
      tools: c.TOOLS_IMAGE,
      httpd: c.HTTPD_IMAGE,
      registry: c.REGISTRY_IMAGE,
      ocMirror: c.OC_MIRROR_IMAGE,
      ui: c.UI_IMAGE,
    },
  };
}

/**
 * A disconnected fleet's release must be pinned by digest: the hub mirror reaches the edge as the AgentServiceConfig
 * `mirror-ref`, which the Assisted Service turns into digest-only `imageDigestSources`, so a release named by tag is
 * pulled from quay.io and the install fails without internet. README "Release through the mirror" says why the
 * digest is an input and not resolved at render time.
 */
export function releaseByTagMessage(taggedImage: string, disconnectedByDefault: boolean): string {
  return `OC_OCP_RELEASE_DIGEST is required: ${disconnectedReason(disconnectedByDefault)}, and the mirror redirects only pulls by digest, `
    + `so ${taggedImage} by tag would be pulled from the internet and the install would fail; `
    + `set OC_OCP_RELEASE_DIGEST to the output of: oc adm release info -o 'jsonpath={.digest}' ${taggedImage} `
    + '(or set DISCONNECTED: false for a fleet whose clusters reach quay.io)';
}

/**
 * OpenShift before 4.13 has only ImageContentSourcePolicy, whose mirrors serve pulls by digest only; ImageTagMirrorSet
 * came with 4.13 (model/versions.ts `mirrorSets`). The images our Jobs, the registry and the UI run are named by
 * tag, so on such a cluster they would bypass the mirror.
 */
export function icspOnlyMessage(version: string, disconnectedByDefault: boolean): string {
  return `OpenShift ${version} cannot run a disconnected fleet: ${disconnectedReason(disconnectedByDefault)}, and before 4.13 the only mirror set is `
    + 'ImageContentSourcePolicy, which redirects pulls by digest only, so the images of the Jobs, the registry and the UI, '
    + 'named by tag, would be pulled from the internet; use OpenShift 4.13 or newer (ImageTagMirrorSet), '
    + 'or set DISCONNECTED: false for a fleet whose clusters reach the internet';
}

/** Why the fleet counts as disconnected, as the messages about it say. */
function disconnectedReason(byDefault: boolean): string {
  return byDefault ? 'the fleet is disconnected (DISCONNECTED defaults to true)' : 'the fleet is disconnected (DISCONNECTED: true)';
}

export function parseRegistry(text: string): Registry | undefined {
  const m = /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const port = m[6] === undefined ? undefined : Number(m[6]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { address: text.trim(), host: m[1], port };
}

type SettingsInput = z.infer<typeof ClusterConfig>;

/**
 * Resolves the per-cluster settings from the keys at `base` over `inherited` (fleet defaults), checking the
 * network plan: VIPs inside the internal network, networks that do not overlap.
 */
function readSettings(src: SourceFile, base: PathSegment[], input: SettingsInput, inherited: ClusterSettings | undefined, r: Reporter): ClusterSettings | undefined {
  const before = r.errorCount;
  const cidrAt = (key: 'INTERNAL_NETWORK' | 'CLUSTER_NETWORK' | 'SERVICE_NETWORK', fallback: string) => {
    const text = input[key] ?? fallback;
    const cidr = parseCidr(text);
    if (!cidr && input[key] !== undefined) {
      r.error(src, [...base, key], `"${key}" must be an IPv4 network with its host bits zero and a prefix of /1 to /30, got "${text}"`);
    }
    return cidr;
  };
  const internal = cidrAt('INTERNAL_NETWORK', inherited?.internalNetwork ?? DEFAULTS.INTERNAL_NETWORK);
  const clusterNet = cidrAt('CLUSTER_NETWORK', inherited?.clusterNetwork ?? DEFAULTS.CLUSTER_NETWORK);
  const serviceNet = cidrAt('SERVICE_NETWORK', inherited?.serviceNetwork ?? DEFAULTS.SERVICE_NETWORK);
  // When a level changes the internal network but not the VIPs, VIPs move with it (same host offsets).
  const networkChanged = input.INTERNAL_NETWORK !== undefined;
  const vip = (key: 'API_VIP' | 'INGRESS_VIP', offset: number, inheritedValue: string | undefined): string | undefined => {
    if (!internal) return undefined;
    const text = input[key] ?? (networkChanged || !inheritedValue ? hostAt(internal, offset) : inheritedValue);
    const ip = parseIpv4(text);
    if (ip === undefined) {
      r.error(src, [...base, key], `"${key}" must be an IPv4 address, got "${text}"`);
      return undefined;
    }
    if (!cidrContainsHost(internal, ip)) {
      r.error(src, input[key] !== undefined ? [...base, key] : [...base, 'INTERNAL_NETWORK'],
        `${key} ${text} is not a host address of the internal network ${internal.text}`);
    }
    return text;
  };
  const apiVip = vip('API_VIP', DEFAULTS.API_VIP_OFFSET, inherited?.apiVip);
  const ingressVip = vip('INGRESS_VIP', DEFAULTS.INGRESS_VIP_OFFSET, inherited?.ingressVip);
  if (apiVip && ingressVip && apiVip === ingressVip) {
    r.error(src, [...base, input.INGRESS_VIP !== undefined ? 'INGRESS_VIP' : 'API_VIP'], `API_VIP and INGRESS_VIP must differ, both are ${apiVip}`);
  }
  const nets: [string, ReturnType<typeof parseCidr>][] = [['INTERNAL_NETWORK', internal], ['CLUSTER_NETWORK', clusterNet], ['SERVICE_NETWORK', serviceNet]];
  for (const [key, net] of nets) {
    const reserved = net && input[key as keyof SettingsInput] !== undefined ? reservedOverlap(net) : undefined;
    if (reserved) r.error(src, [...base, key], `${key} ${net!.text} overlaps ${reserved.cidr.text}, ${reserved.what}; choose another range`);
  }
  for (let i = 0; i < nets.length; i++) {
    for (let j = i + 1; j < nets.length; j++) {
      const [an, a] = nets[i];
      const [bn, b] = nets[j];
      if (a && b && cidrsOverlap(a, b) && (input[an as keyof SettingsInput] !== undefined || input[bn as keyof SettingsInput] !== undefined)) {
        const blame = input[bn as keyof SettingsInput] !== undefined ? bn : an;
        r.error(src, [...base, blame], `${an} ${a.text} and ${bn} ${b.text} overlap; the networks must be disjoint`);
      }
    }
  }
  let bundles: Day2BundleName[] | undefined;
  if (input.DAY2_BUNDLES !== undefined) {
    bundles = [];
    input.DAY2_BUNDLES.forEach((b, i) => {
      if ((DAY2_BUNDLE_NAMES as readonly string[]).includes(b)) {
        if (bundles!.includes(b as Day2BundleName)) r.error(src, [...base, 'DAY2_BUNDLES', i], `"DAY2_BUNDLES" lists ${b} twice`);
        else bundles!.push(b as Day2BundleName);
      } else {
        r.error(src, [...base, 'DAY2_BUNDLES', i], `unknown day-2 bundle "${b}"${didYouMean(b, DAY2_BUNDLE_NAMES) || `; bundles: ${DAY2_BUNDLE_NAMES.join(', ')}`}`);
      }
    });
    bundles = DAY2_BUNDLE_NAMES.filter((b) => bundles!.includes(b));
  }
  const hostPrefix = input.CLUSTER_NETWORK_HOST_PREFIX ?? inherited?.clusterNetworkHostPrefix ?? DEFAULTS.CLUSTER_NETWORK_HOST_PREFIX;
  if (clusterNet && hostPrefix < clusterNet.prefix) {
    r.error(src, [...base, input.CLUSTER_NETWORK_HOST_PREFIX !== undefined ? 'CLUSTER_NETWORK_HOST_PREFIX' : 'CLUSTER_NETWORK'],
      `CLUSTER_NETWORK_HOST_PREFIX /${hostPrefix} must not be shorter than the CLUSTER_NETWORK prefix /${clusterNet.prefix}`);
  }
  if (!internal || !clusterNet || !serviceNet || !apiVip || !ingressVip || r.errorCount > before) return undefined;
  return {
    internalNetwork: internal.text,
    apiVip,
    ingressVip,
    clusterNetwork: clusterNet.text,
    clusterNetworkHostPrefix: hostPrefix,
    serviceNetwork: serviceNet.text,
    fips: input.FIPS ?? inherited?.fips ?? DEFAULTS.FIPS,
    sshPublicKey: input.SSH_PUBLIC_KEY ?? inherited?.sshPublicKey,
    day2Delivery: input.DAY2_DELIVERY ?? inherited?.day2Delivery ?? DEFAULTS.DAY2_DELIVERY,
    day2Bundles: bundles ?? inherited?.day2Bundles ?? DAY2_BUNDLE_NAMES,
  };
}

/** Where a MAC or BMC address of the fleet was first seen. */
interface HardwareClaim { readonly src: SourceFile; readonly path: PathSegment[]; readonly owner: string }
/** MACs and BMC addresses (by `bmcIdentity`) seen so far: each identifies one machine, so each is fleet-unique. */
interface FleetHardware { readonly macs: Map<string, HardwareClaim>; readonly bmcs: Map<string, HardwareClaim> }

/** Claims `key` for `claim`, or reports at `claim` the earlier owner (`sno1/master0.bmc_url (FILE:LINE:COL)`). */
function claimHardware(claims: Map<string, HardwareClaim>, key: string, claim: HardwareClaim, r: Reporter, message: (seen: string) => string): void {
  const seen = claims.get(key);
  if (!seen) {
    claims.set(key, claim);
    return;
  }
  const pos = seen.src.positionOf(seen.path);
  r.error(claim.src, claim.path, message(`${seen.owner} (${seen.src.name}:${pos.line}:${pos.col})`));
}

function readCluster(
  src: SourceFile,
  index: number,
  config: FleetConfig | undefined,
  r: Reporter,
  credentials: InlineBmcCredential[],
  hardware: FleetHardware,
  options: LoadOptions = {},
): EdgeCluster | undefined {
  const itemPath: PathSegment[] = ['edgeclusters', index];
  const item = getIn(src.data, itemPath);
  if (!isPlainObject(item) || Object.keys(item).length === 0) {
    r.error(src, itemPath, `each item of "edgeclusters" must be a map with one key, the cluster name (- my-cluster: {...}), got ${describe(item)}`);
    return undefined;
  }
  const keys = Object.keys(item);
  const name = keys[0];
  const before = r.errorCount;
  if (keys.length > 1) {
    for (const extra of keys.slice(1)) {
      const looksLikeNode = NODE_KEY.test(extra) || (CLUSTER_KEYS as readonly string[]).includes(extra);
      r.error(src, [...itemPath, extra], looksLikeNode
        ? `"${extra}" is at the level of the cluster name; it belongs to cluster "${name}": indent it under "${name}:"`
        : `list item has a second key "${extra}"; each item of "edgeclusters" holds exactly one cluster (start another item with "- ${extra}:")`, 'key');
    }
  }
  const namePath = [...itemPath, name];
  if (!DNS_LABEL.test(name) || name.length > DNS_LABEL_MAX) {
    r.error(src, namePath, `cluster name "${name}" must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most ${DNS_LABEL_MAX} characters`, 'key');
  }
  const reserved = reservedNameReason(name);
  if (reserved) {
    r.error(src, namePath, `cluster name "${name}" is reserved: ${reserved}. The cluster's name is its namespace on the hub, which Argo CD would take over (and prune when the cluster is removed); choose another name`, 'key');
  }
  const body = item[name];
  if (!isPlainObject(body)) {
    r.error(src, namePath, `cluster "${name}" must be a map of nodes (master0, …) and optional config/contrib, got ${describe(body)}`);
    return undefined;
  }

  // Keys of the cluster: config, contrib, masterN, workerN.
  const nodeKeys: { key: string; role: 'master' | 'worker'; index: number }[] = [];
  for (const key of Object.keys(body)) {
    const m = NODE_KEY.exec(key);
    if (m) nodeKeys.push({ key, role: m[1] as 'master' | 'worker', index: Number(m[2]) });
    else if (!(CLUSTER_KEYS as readonly string[]).includes(key)) {
      const hint = NODE_FIELDS.includes(key)
        ? `; "${key}" is a node key: indent it under a node (master0, worker0, …)`
        : didYouMean(key, [...CLUSTER_KEYS, 'master0', 'master1', 'master2', 'worker0']) || '; allowed keys: config, contrib, master0…masterN, worker0…workerN';
      r.error(src, [...namePath, key], `unknown key "${key}" in cluster "${name}"${hint}`, 'key');
    }
  }

  // Cluster config.
  const rawConfig = body.config ?? {};
  let clusterConfig: SettingsInput & { tpm?: boolean; STATE?: LifecycleState; API_EXTERNAL_IP?: string; INGRESS_EXTERNAL_IP?: string } = {};
  if (body.config !== undefined && body.config !== null) {
    const parsed = ClusterConfig.safeParse(rawConfig);
    if (!parsed.success) reportZod(src, [...namePath, 'config'], parsed.error, rawConfig, CLUSTER_CONFIG_KEYS, `the config of cluster "${name}"`, r);
    else clusterConfig = parsed.data;
  }
  if (options.detached?.has(name) && (clusterConfig.STATE ?? DEFAULTS.STATE) !== 'detach' && !options.reattach?.has(name)) {
    const at = clusterConfig.STATE !== undefined ? [...namePath, 'config', 'STATE'] : namePath;
    r.error(src, at, `cluster "${name}" is detached in the committed output; STATE ${clusterConfig.STATE ?? `${DEFAULTS.STATE} (the default)`} would register it with the hub again and manage its hosts. Keep STATE: detach, or run synth with --reattach ${name} if that is intended`, clusterConfig.STATE !== undefined ? undefined : 'key');
  }
  const settings = config ? readSettings(src, [...namePath, 'config'], clusterConfig, config.defaults, r) : undefined;
  if (config && clusterConfig.DAY2_DELIVERY === 'policy' && !config.acmEnabled) {
    r.error(src, [...namePath, 'config', 'DAY2_DELIVERY'], 'DAY2_DELIVERY "policy" needs ACM on the hub; set ACM_ENABLED: true in the fleet config or use "manifestwork"');
  }
  if (settings?.day2Delivery === 'policy') {
    const max = DEFAULT_POLICY_NAME_MAX - DEFAULTS.POLICY_NAME_SUFFIX_MAX;
    if (name.length > max) {
      r.error(src, namePath, `cluster name "${name}" is too long for day-2 Policies: ACM names them "${DEFAULTS.POLICY_NAMESPACE}.${name}-<bundle>-<stage>" within 63 characters; shorten the name to at most ${max} characters or use DAY2_DELIVERY "manifestwork"`, 'key');
    }
  }
  // On a disconnected fleet the edge reaches operator catalogs and images only through the disconnected bundle (the
  // hub mirror), and every other bundle subscribes to operators or runs images (ui: its own image and a tools Job;
  // contrib.gpu-operator: NFD and the GPU operator).
  const pullingBundles = settings?.day2Bundles.filter((b) => b !== 'disconnected') ?? [];
  const gpuAt = isPlainObject(body.contrib) && body.contrib['gpu-operator'] !== undefined ? [...namePath, 'contrib', 'gpu-operator'] : undefined;
  if (config?.disconnected && settings && (pullingBundles.length > 0 || gpuAt) && !settings.day2Bundles.includes('disconnected') && (clusterConfig.STATE ?? DEFAULTS.STATE) === 'configure') {
    const pulling = [...pullingBundles, ...(gpuAt ? ['contrib.gpu-operator'] : [])].join(', ');
    const [at, kind] = pullingBundles.length === 0 ? [gpuAt!, 'key' as const]
      : clusterConfig.DAY2_BUNDLES !== undefined ? [[...namePath, 'config', 'DAY2_BUNDLES'], undefined] : [namePath, 'key' as const];
    r.error(src, at, `DAY2_BUNDLES leaves out "disconnected" in a disconnected fleet, but the edge would pull the operators or images of ${pulling} with no catalog or mirror to pull them from; add "disconnected" to DAY2_BUNDLES (or set DISCONNECTED: false for a connected fleet)`, kind);
  }
  if (config?.disconnected && settings && clusterConfig.STATE === 'detach' && options.configured?.has(name)
    && settings.day2Bundles.includes('registry') && settings.day2Bundles.includes('disconnected')) {
    r.warning(src, [...namePath, 'config', 'STATE'], `cluster "${name}" goes from configure straight to detach: it still pulls its images and operators from the hub registry, which it cannot reach once shipped; set STATE: standalone first and detach after the switch to its own registry`);
  }
  if (config && settings && clusterConfig.STATE === 'standalone') {
    const missing = (['registry', 'disconnected'] as const).filter((b) => !settings.day2Bundles.includes(b));
    if (!config.disconnected || missing.length > 0) {
      const why = !config.disconnected ? 'the fleet is not disconnected (DISCONNECTED: true in the fleet config)' : `DAY2_BUNDLES lacks ${missing.join(' and ')}`;
      r.error(src, [...namePath, 'config', 'STATE'], `STATE "standalone" switches the edge from the hub mirror to its own registry, but ${why}; use STATE "configure" or "detach"`);
    }
  }
  const apiExt = clusterConfig.API_EXTERNAL_IP;
  const ingressExt = clusterConfig.INGRESS_EXTERNAL_IP;
  if ((apiExt === undefined) !== (ingressExt === undefined)) {
    const [has, lacks] = apiExt !== undefined ? ['API_EXTERNAL_IP', 'INGRESS_EXTERNAL_IP'] : ['INGRESS_EXTERNAL_IP', 'API_EXTERNAL_IP'];
    r.error(src, [...namePath, 'config', has], `"${has}" is set but "${lacks}" is missing; MetalLB needs both external addresses (or neither, to resolve them from DNS)`, 'key');
  } else if (apiExt !== undefined && apiExt === ingressExt) {
    r.error(src, [...namePath, 'config', 'INGRESS_EXTERNAL_IP'], `API_EXTERNAL_IP and INGRESS_EXTERNAL_IP must differ (MetalLB announces them from two pools), both are ${apiExt}`);
  }
  for (const [key, ip] of [['API_EXTERNAL_IP', apiExt], ['INGRESS_EXTERNAL_IP', ingressExt]] as const) {
    const internalNet = settings ? parseCidr(settings.internalNetwork) : undefined;
    const num = ip === undefined ? undefined : parseIpv4(ip);
    if (ip !== undefined && num === undefined) r.error(src, [...namePath, 'config', key], `"${key}" must be an IPv4 address, got "${ip}"`);
    else if (num !== undefined && internalNet && cidrContainsHost(internalNet, num)) {
      r.error(src, [...namePath, 'config', key], `${key} ${ip} is inside the internal network ${internalNet.text}; it must be an address of the external (DHCP) network`);
    } else if (num !== undefined) {
      const reserved = reservedRangeOf(num);
      const podOrService = settings ? [settings.clusterNetwork, settings.serviceNetwork].map((t) => parseCidr(t)).find((n) => n && cidrContainsHost(n, num)) : undefined;
      if (reserved) r.error(src, [...namePath, 'config', key], `${key} ${ip} is in ${reserved.cidr.text}, ${reserved.what}; it must be an address of the external (DHCP) network`);
      else if (podOrService) r.error(src, [...namePath, 'config', key], `${key} ${ip} is inside ${podOrService.text}, a pod or service network of the cluster; it must be an address of the external (DHCP) network`);
    }
  }
  if (body.contrib !== undefined && body.contrib !== null && !isPlainObject(body.contrib)) {
    r.error(src, [...namePath, 'contrib'], `"contrib" must be a map (e.g. gpu-operator: {version: v1.10.1}), got ${describe(body.contrib)}`);
  } else if (isPlainObject(body.contrib)) {
    const gpu = parseGpuOperator(body.contrib);
    if (gpu.error) r.error(src, [...namePath, 'contrib', ...gpu.error.path], gpu.error.message);
  }

  // Topology from node keys.
  const masters = nodeKeys.filter((n) => n.role === 'master').sort((a, b) => a.index - b.index);
  const workers = nodeKeys.filter((n) => n.role === 'worker').sort((a, b) => a.index - b.index);
  for (const group of [masters, workers]) {
    group.forEach((n, i) => {
      if (n.index !== i) {
        r.error(src, [...namePath, n.key], `node "${n.key}" breaks the numbering: ${n.role} nodes must be numbered ${n.role}0, ${n.role}1, … without gaps (expected ${n.role}${i})`, 'key');
      }
    });
  }
  // A worker marked `state: remove` keeps its key (so numbering and addresses of the others do not move) but is no
  // longer part of the cluster; a master cannot leave this way (the control plane is fixed at install).
  const removing = (key: string) => isPlainObject(body[key]) && (body[key] as Record<string, unknown>).state === 'remove';
  for (const m of masters.filter((n) => removing(n.key))) {
    r.error(src, [...namePath, m.key, 'state'], `master "${m.key}" cannot be removed: the control plane of a ${masters.length === 1 ? 'single-node' : 'three-master'} cluster is fixed at install; only workers take "state: remove"`);
  }
  const activeWorkers = workers.filter((n) => !removing(n.key));
  let topology: Topology | undefined;
  if (masters.length === 1 && workers.length === 0) topology = 'sno';
  else if (masters.length === 3 && activeWorkers.length === 0) topology = 'compact';
  else if (masters.length === 3 && activeWorkers.length > 0) topology = 'standard';
  else if (masters.length === 1) {
    r.error(src, [...namePath, workers[0].key], `a single-node cluster cannot have workers; use 3 masters (master0-master2) to add "${workers[0].key}"`, 'key');
  } else {
    r.error(src, namePath, `cluster "${name}" has ${masters.length} master node${masters.length === 1 ? '' : 's'}; use 1 (single node) or 3 (compact, or 3+N with workers)`, 'key');
  }

  // Nodes.
  const nodes: EdgeNode[] = [];
  const removedNodes: string[] = [];
  const internal = settings ? parseCidr(settings.internalNetwork) : undefined;
  const usedIps = new Map<string, string>();
  if (settings) {
    usedIps.set(settings.apiVip, 'API_VIP');
    usedIps.set(settings.ingressVip, 'INGRESS_VIP');
  }
  for (const nk of [...masters, ...workers]) {
    const nodePath = [...namePath, nk.key];
    const raw = body[nk.key];
    if (!isPlainObject(raw)) {
      r.error(src, nodePath, `node "${nk.key}" must be a map of node keys (nic_ext_dhcp, mac_ext_dhcp, bmc_url, root_disk, …), got ${describe(raw)}`);
      continue;
    }
    const parsed = NodeSchema.safeParse(raw);
    const nodeBefore = r.errorCount;
    if (!parsed.success) reportZod(src, nodePath, parsed.error, raw, NODE_FIELDS, `node "${nk.key}"`, r);
    // Keep checking the fields that have the right type, so every problem of the node is reported at once.
    const n = lenientNode(raw);
    const hostname = nodeHostname(name, nk.role, nk.index);

    // NIC pairs.
    if ((n.nic_int_static === undefined) !== (n.mac_int_static === undefined)) {
      const [has, lacks] = n.nic_int_static !== undefined ? ['nic_int_static', 'mac_int_static'] : ['mac_int_static', 'nic_int_static'];
      r.error(src, [...nodePath, has], `"${has}" is set but "${lacks}" is missing; the internal NIC needs both its name and its MAC (or neither, for single-NIC mode)`, 'key');
    }
    if (n.nic_int_static !== undefined && n.nic_int_static === n.nic_ext_dhcp) {
      r.error(src, [...nodePath, 'nic_int_static'], `"nic_int_static" names the same interface as "nic_ext_dhcp" (${n.nic_ext_dhcp}); omit both internal keys for single-NIC mode`);
    }
    const extMac = n.mac_ext_dhcp && MAC.test(n.mac_ext_dhcp) ? n.mac_ext_dhcp.toLowerCase() : undefined;
    const intMac = n.mac_int_static && MAC.test(n.mac_int_static) ? n.mac_int_static.toLowerCase() : undefined;
    for (const [key, mac] of [['mac_ext_dhcp', extMac], ['mac_int_static', intMac]] as const) {
      if (!mac) continue;
      claimHardware(hardware.macs, mac, { src, path: [...nodePath, key], owner: `${name}/${nk.key}.${key}` }, r,
        (seen) => `MAC address ${mac} is already used by ${seen}; MAC addresses must be unique in the fleet`);
    }
    // Only a URL (a placeholder such as `<url bmc>` is reported below); not quoted, as it may carry credentials.
    if (n.bmc_url !== undefined && /^[a-z0-9+-]+:\/\/./i.test(n.bmc_url)) {
      claimHardware(hardware.bmcs, bmcIdentity(n.bmc_url), { src, path: [...nodePath, 'bmc_url'], owner: `${name}/${nk.key}.bmc_url` }, r,
        (seen) => `"bmc_url" drives the same BMC as ${seen}; BMC addresses must be unique in the fleet (compared without the scheme, which only picks the protocol): two hosts on one BMC would install one machine twice`);
    }

    // BMC.
    const scheme = n.bmc_url === undefined ? undefined : /^([a-z0-9+-]+):\/\//.exec(n.bmc_url)?.[1];
    if (n.bmc_url === undefined) {
      // reported by the schema
    } else if (!scheme || !BMC_SCHEMES.includes(scheme)) {
      r.error(src, [...nodePath, 'bmc_url'], scheme
        ? `"bmc_url" scheme "${scheme}" is not one metal3 understands${didYouMean(scheme, BMC_SCHEMES)} (e.g. redfish-virtualmedia://10.0.0.5/redfish/v1/Systems/1)`
        : `"bmc_url" must be a metal3 BMC address like redfish-virtualmedia://<host>/redfish/v1/Systems/<id>, got "${n.bmc_url}"`);
    } else if (!validUrlHost(n.bmc_url)) {
      r.error(src, [...nodePath, 'bmc_url'], `"bmc_url" has no valid host: "${n.bmc_url}"`);
    } else if (!VIRTUAL_MEDIA_SCHEMES.includes(scheme)) {
      r.warning(src, [...nodePath, 'bmc_url'], `"${scheme}://" does not boot virtual media; the Assisted Installer boots the discovery ISO through virtual media, so use redfish-virtualmedia://, idrac-virtualmedia:// or ilo5-virtualmedia://`);
    }
    const hasUser = n.bmc_user !== undefined;
    const hasPass = n.bmc_pass !== undefined;
    if (hasUser !== hasPass) {
      r.error(src, [...nodePath, hasUser ? 'bmc_user' : 'bmc_pass'], `"${hasUser ? 'bmc_user' : 'bmc_pass'}" is set without "${hasUser ? 'bmc_pass' : 'bmc_user'}"; give both, or neither and provide the credentials out of band (see "ztpfw secrets")`, 'key');
    }
    if (n.bmc_secret !== undefined && (hasUser || hasPass)) {
      r.error(src, [...nodePath, 'bmc_secret'], '"bmc_secret" names a pre-created Secret; remove "bmc_user"/"bmc_pass" from this node, they would never be used', 'key');
    }
    if (hasPass && n.bmc_secret === undefined) {
      r.warning(src, [...nodePath, 'bmc_pass'],
        'plaintext "bmc_pass" in a tracked file; move the credentials to an untracked secrets file (ztpfw secrets --from FILE) or create the Secret on the hub and set "bmc_secret", then delete bmc_user/bmc_pass here', 'key');
    }

    // Disks.
    const storage = n.storage_disk === undefined ? [] : Array.isArray(n.storage_disk) ? n.storage_disk : [n.storage_disk];
    if (n.root_disk !== undefined && storage.includes(n.root_disk)) {
      const at = Array.isArray(n.storage_disk) ? [...nodePath, 'storage_disk', storage.indexOf(n.root_disk)] : [...nodePath, 'storage_disk'];
      r.error(src, at, `"storage_disk" lists the root disk ${n.root_disk}; storage disks are wiped, the root disk must not be one of them`);
    }
    storage.forEach((d, i) => {
      if (storage.indexOf(d) !== i) r.error(src, [...nodePath, 'storage_disk', i], `"storage_disk" lists ${d} twice`);
    });
    if (nk.role === 'master' && raw.storage_disk === undefined) {
      r.error(src, nodePath, `missing required key "storage_disk" in node "${nk.key}"; masters need at least one disk for local storage (LVMS/ODF)`);
    } else if (nk.role === 'master' && Array.isArray(raw.storage_disk) && raw.storage_disk.length === 0) {
      r.error(src, [...nodePath, 'storage_disk'], `"storage_disk" of node "${nk.key}" is an empty list; masters need at least one disk for local storage (LVMS/ODF)`);
    }

    // Ignored interfaces.
    const ignore = splitIfaces(n.ignore_ifaces);
    ignore.forEach((iface, i) => {
      const at = Array.isArray(n.ignore_ifaces) ? [...nodePath, 'ignore_ifaces', i] : [...nodePath, 'ignore_ifaces'];
      if (!IFACE.test(iface)) r.error(src, at, `"ignore_ifaces" entry "${iface}" is not a network interface name (1-15 characters, no spaces)`);
      else if (iface === n.nic_ext_dhcp || iface === n.nic_int_static) {
        r.error(src, at, `"ignore_ifaces" names ${iface}, which this node uses as ${iface === n.nic_ext_dhcp ? 'nic_ext_dhcp' : 'nic_int_static'}; a cluster NIC cannot be ignored`);
      } else if (ignore.indexOf(iface) !== i) r.error(src, at, `"ignore_ifaces" lists ${iface} twice`);
    });

    // Derived names and addresses.
    if (hostname.length > DNS_LABEL_MAX) {
      r.error(src, namePath, `cluster name "${name}" is too long: node host name "${hostname}" has ${hostname.length} characters, over the ${DNS_LABEL_MAX} a DNS label allows; shorten the name to at most ${DNS_LABEL_MAX - (hostname.length - name.length)} characters`, 'key');
    }
    let internalIp = '';
    if (internal && settings) {
      const offset = (nk.role === 'master' ? DEFAULTS.MASTER_IP_OFFSET : DEFAULTS.WORKER_IP_OFFSET) + nk.index;
      internalIp = hostAt(internal, offset);
      const ipNum = parseIpv4(internalIp) ?? 0;
      if (!cidrContainsHost(internal, ipNum)) {
        r.error(src, [...nodePath], `node "${nk.key}" would get internal address ${internalIp}, outside the internal network ${internal.text}; use a larger INTERNAL_NETWORK`, 'key');
      } else if (usedIps.has(internalIp)) {
        r.error(src, [...nodePath], `node "${nk.key}" would get internal address ${internalIp}, already taken by ${usedIps.get(internalIp)}; move the VIPs or use fewer workers`, 'key');
      }
      usedIps.set(internalIp, nk.key);
    }
    if (r.errorCount > nodeBefore || !parsed.success || !extMac) continue;

    const secretName = n.bmc_secret ?? bmcSecretName(hostname);
    if (n.bmc_secret === undefined && secretName.length > DNS_SUBDOMAIN_MAX) {
      r.error(src, namePath, `cluster name "${name}" is too long: BMC Secret name "${secretName}" has ${secretName.length} characters, over the ${DNS_SUBDOMAIN_MAX} Kubernetes allows`, 'key');
      continue;
    }
    if (hasUser && hasPass && n.bmc_secret === undefined) {
      // an unquoted number as written: `bmc_pass: 007` is the password "007", not 7
      const asWritten = (key: 'bmc_user' | 'bmc_pass') => (typeof n[key] === 'number' ? src.sourceOf([...nodePath, key]) : undefined) ?? String(n[key]);
      credentials.push({ cluster: name, secretName, username: asWritten('bmc_user'), password: asWritten('bmc_pass') });
    }
    if (removing(nk.key)) {
      removedNodes.push(hostname);
      continue;
    }
    nodes.push({
      key: nk.key,
      role: nk.role,
      index: nk.index,
      hostname,
      extNic: { name: parsed.data.nic_ext_dhcp, mac: extMac },
      intNic: n.nic_int_static && intMac ? { name: n.nic_int_static, mac: intMac } : undefined,
      internalIp,
      internalPrefix: internal?.prefix ?? 24,
      bmcAddress: parsed.data.bmc_url,
      bmc: { secretName, source: n.bmc_secret !== undefined ? 'external' : 'inline' },
      rootDisk: parsed.data.root_disk,
      storageDisks: storage,
      ignoreIfaces: ignore,
    });
  }

  const manifestsName = extraManifestsName(name);
  if (manifestsName.length > DNS_SUBDOMAIN_MAX) {
    r.error(src, namePath, `cluster name "${name}" is too long: ConfigMap name "${manifestsName}" has ${manifestsName.length} characters, over the ${DNS_SUBDOMAIN_MAX} Kubernetes allows`, 'key');
  }
  if (config) {
    const apiFqdn = `api.${name}.${config.baseDomain}`;
    if (apiFqdn.length > 253) r.error(src, namePath, `"${apiFqdn}" is longer than the 253 characters DNS allows; shorten the cluster name or BASE_DOMAIN`, 'key');
  }
  if (!config || !settings || !topology || !internal || r.errorCount > before) return undefined;
  return {
    name,
    file: src.name,
    topology,
    state: clusterConfig.STATE ?? DEFAULTS.STATE,
    removedNodes,
    contrib: isPlainObject(body.contrib) ? body.contrib : {},
    tpm: clusterConfig.tpm ?? DEFAULTS.TPM,
    apiExternalIp: apiExt,
    ingressExternalIp: ingressExt,
    apiFqdn: `api.${name}.${config.baseDomain}`,
    gateway: hostAt(internal, DEFAULTS.GATEWAY_OFFSET),
    pullSecretName: DEFAULTS.PULL_SECRET_NAME,
    extraManifestsName: manifestsName,
    ...settings,
    nodes,
  };
}

interface LenientNode {
  nic_ext_dhcp?: string;
  mac_ext_dhcp?: string;
  nic_int_static?: string;
  mac_int_static?: string;
  bmc_url?: string;
  bmc_user?: string | number;
  bmc_pass?: string | number;
  bmc_secret?: string;
  root_disk?: string;
  storage_disk?: string | string[];
  ignore_ifaces?: string | string[] | null;
}

/** The node's fields that have the expected type; others are left out (the schema reports them). */
function lenientNode(raw: Record<string, unknown>): LenientNode {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const strOrNum = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : undefined);
  const strList = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  return {
    nic_ext_dhcp: str(raw.nic_ext_dhcp),
    mac_ext_dhcp: str(raw.mac_ext_dhcp),
    nic_int_static: str(raw.nic_int_static),
    mac_int_static: str(raw.mac_int_static),
    bmc_url: str(raw.bmc_url),
    bmc_user: strOrNum(raw.bmc_user),
    bmc_pass: strOrNum(raw.bmc_pass),
    bmc_secret: str(raw.bmc_secret),
    root_disk: str(raw.root_disk),
    storage_disk: strList(raw.storage_disk),
    ignore_ifaces: strList(raw.ignore_ifaces),
  };
}

/** `ignore_ifaces` as a space- or comma-separated string, or a YAML list. */
export function splitIfaces(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  const parts = Array.isArray(value) ? value.map((v) => String(v).trim()) : value.split(/[\s,]+/);
  return parts.filter((p) => p !== '');
}

function validUrlHost(url: string): boolean {
  const rest = url.replace(/^[a-z0-9+-]+:\/\//, '');
  const host = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\/.*)?$/.exec(rest);
  return host !== null && !/^[.-]|[.-]$/.test(host[1]);
}

/** A YAML map read as data (not a list, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function getIn(value: unknown, p: readonly PathSegment[]): unknown {
  let cur = value;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg as string];
  }
  return cur;
}

/** `describe`, but never the value of a secret key: only its kind and length. */
function describeField(at: readonly PathSegment[], v: unknown): string {
  if (!SECRET_KEYS.has(String(at[at.length - 1]))) return describe(v);
  if (typeof v === 'string') return `a string of ${v.length} characters (not shown)`;
  return v === null || v === undefined || typeof v === 'object' ? describe(v) : `a ${typeof v} (not shown)`;
}


