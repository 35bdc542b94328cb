/**
 * Rules about the rendered tree as a whole (in the spirit of the telco reference's `make check`): things no single
 * schema can see, such as two OperatorGroups in one namespace or a kustomization that forgot a file.
 */
import * as path from 'node:path';
import { SYNC_WAVE_ANNOTATION } from '../../charts/common/waves';
import { bmcIdentity } from '../../model/bmc';
import { reservedNameReason } from '../../model/reserved';
/** etcd's request limit: a ConfigMap or Secret above it cannot be stored. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** The work webhook of open-cluster-management rejects ManifestWorks whose manifests exceed this size. */
export const MAX_MANIFESTWORK_BYTES = 500 * 1024;
/** Longest path (from the repository root) Git hosts and Windows checkouts accept. */
export const MAX_PATH = 255;

/** One object as verify sees it: where it came from, and which cluster it lands on. */
export interface LocatedObject {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly obj: any;
  /** File under the output folder (`hub/namespace-x.yaml`), for embedded objects the file of their wrapper. */
  readonly file: string;
  /** `hub`, or the edge cluster the object is delivered to. */
  readonly target: string;
  /** Where inside the wrapper, e.g. `spec.workload.manifests[2]`; absent for top-level objects. */
  readonly embeddedAt?: string;
  /** Size of the serialized object in bytes (for embedded objects: measured only for kinds with a size limit, else 0). */
  readonly bytes: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const POD_SPEC: Readonly<Record<string, (o: any) => any>> = {
  Pod: (o) => o.spec,
  Deployment: (o) => o.spec?.template?.spec,
  StatefulSet: (o) => o.spec?.template?.spec,
  DaemonSet: (o) => o.spec?.template?.spec,
  ReplicaSet: (o) => o.spec?.template?.spec,
  Job: (o) => o.spec?.template?.spec,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template?.spec,
};

/** The pod spec of a workload object (Pod, Deployment, Job, CronJob, …); undefined for any other kind. */
export function podSpecOf(obj: any): any {
  return POD_SPEC[obj?.kind]?.(obj);
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface InvariantFinding {
  readonly file?: string;
  readonly object?: string;
  readonly message: string;
}

/** `Kind namespace/name` (or `Kind name`), the way reference messages start. */
export function objectId(obj: any): string {
  const m = obj?.metadata ?? {};
  return `${obj?.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
}

export function describeObject(o: LocatedObject): string {
  return `${objectId(o.obj)}${o.embeddedAt ? ` (${o.embeddedAt}, delivered to ${o.target})` : ''}`;
}

const groupOf = (apiVersion: unknown) => (String(apiVersion).includes('/') ? String(apiVersion).split('/')[0] : '');

/** Checks over objects (top-level and embedded). `outName` is the output folder's name as seen from the repo root. */
export function checkObjectInvariants(objects: readonly LocatedObject[]): InvariantFinding[] {
  const findings: InvariantFinding[] = [];
  const push = (o: LocatedObject, message: string) => findings.push({ file: o.file, object: describeObject(o), message });
  const operatorGroups = new Map<string, LocatedObject[]>();
  const identities = new Map<string, LocatedObject>();
  const reservedClusters = new Set<string>();
  for (const o of objects) {
    const { kind, metadata, spec } = o.obj ?? {};
    // A cluster's folder name is its hub namespace: a reserved one hands a platform namespace to Argo CD.
    const cluster = o.embeddedAt === undefined ? /^clusters\/([^/]+)\//.exec(o.file)?.[1] : undefined;
    const reserved = cluster === undefined ? undefined : reservedNameReason(cluster);
    if (cluster !== undefined && reserved && !reservedClusters.has(cluster)) {
      reservedClusters.add(cluster);
      push(o, `cluster "${cluster}" has a reserved name (${reserved}): its namespace on the hub would be handed to Argo CD`);
    }
    if (kind === 'OperatorGroup' && groupOf(o.obj.apiVersion) === 'operators.coreos.com') {
      // OLM refuses to install anything into a namespace with two OperatorGroups (TooManyOperatorGroups).
      const k = `${o.target}\u0000${metadata?.namespace}`;
      operatorGroups.set(k, [...(operatorGroups.get(k) ?? []), o]);
    }
    if (kind === 'Subscription' && groupOf(o.obj.apiVersion) === 'operators.coreos.com' && spec?.startingCSV !== undefined) {
      push(o, 'spec.startingCSV pins a CSV: the channel head is what the mirror carries, so the install would wait forever');
    }
    if ((kind === 'ConfigMap' || kind === 'Secret') && o.bytes > MAX_CONFIG_BYTES) {
      push(o, `${kind} is ${o.bytes} bytes, over the ${MAX_CONFIG_BYTES}-byte limit etcd stores`);
    }
    if (kind === 'ManifestWork' && o.bytes > MAX_MANIFESTWORK_BYTES) {
      push(o, `ManifestWork is ${o.bytes} bytes, over the ${MAX_MANIFESTWORK_BYTES}-byte limit the work webhook accepts`);
    }
    if (kind === 'Secret' && (hasEntries(o.obj.data) || hasEntries(o.obj.stringData))) {
      push(o, `Secret carries ${[hasEntries(o.obj.data) ? 'data' : '', hasEntries(o.obj.stringData) ? 'stringData' : ''].filter(Boolean).join(' and ')}: secret values never go into the output, reference the Secret by name and create it out of band`);
    }
    if (!o.embeddedAt) {
      const wave = metadata?.annotations?.[SYNC_WAVE_ANNOTATION];
      if (wave === undefined) push(o, `no ${SYNC_WAVE_ANNOTATION} annotation`);
      else if (!/^-?\d+$/.test(String(wave))) push(o, `${SYNC_WAVE_ANNOTATION} is ${JSON.stringify(wave)}, not an integer`);
    }
    // Two versions of one group are the same resource to the API server, so the group is the identity.
    const identity = `${o.target}\u0000${groupOf(o.obj?.apiVersion)} ${kind} ${metadata?.namespace ?? ''}/${metadata?.name}`;
    const seen = identities.get(identity);
    if (!seen) identities.set(identity, o);
    else if (!o.embeddedAt || !seen.embeddedAt) {
      push(o, `the same object as ${seen.file}${seen.embeddedAt ? ` ${seen.embeddedAt}` : ''} (same API group, kind, namespace and name on ${o.target})`);
    } else if (canonical(o.obj) !== canonical(seen.obj)) {
      // Two deliveries of one object with different content overwrite each other on every reconcile.
      push(o, `also delivered to ${o.target} by ${seen.file} ${seen.embeddedAt} with different content: the two deliveries would keep overwriting each other`);
    }
  }
  for (const all of operatorGroups.values()) {
    // The same OperatorGroup delivered by two bundles is still one object on the cluster.
    const list = all.filter((o, i) => all.findIndex((x) => x.obj.metadata?.name === o.obj.metadata?.name) === i);
    if (list.length < 2) continue;
    const ns = list[0].obj.metadata?.namespace;
    findings.push({
      file: list[1].file,
      object: describeObject(list[1]),
      message: `${list.length} OperatorGroups in namespace ${ns} on ${list[0].target} (${list.map((o) => String(o.obj.metadata?.name)).sort().join(', ')}): OLM installs nothing there`,
    });
  }
  findings.push(...uniqueHardware(objects.filter((o) => !o.embeddedAt)));
  return findings;
}

/** JSON with sorted keys, so equal objects compare equal whatever order their keys were written in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : val);
}

function hasEntries(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}

/** Boot MACs and BMC addresses identify one machine each: a duplicate would install one host twice. */
function uniqueHardware(objects: readonly LocatedObject[]): InvariantFinding[] {
  const findings: InvariantFinding[] = [];
  const macs = new Map<string, LocatedObject>();
  const bmcs = new Map<string, LocatedObject>();
  for (const o of objects) {
    if (o.obj?.kind !== 'BareMetalHost') continue;
    const mac = String(o.obj.spec?.bootMACAddress ?? '').toLowerCase();
    const bmc = bmcIdentity(String(o.obj.spec?.bmc?.address ?? ''));
    if (mac) {
      const other = macs.get(mac);
      if (other) findings.push({ file: o.file, object: describeObject(o), message: `boot MAC ${mac} is also the boot MAC of ${describeObject(other)}` });
      else macs.set(mac, o);
    }
    if (bmc) {
      const other = bmcs.get(bmc);
      if (other) findings.push({ file: o.file, object: describeObject(o), message: `BMC address ${o.obj.spec.bmc.address} also drives ${describeObject(other)}` });
      else bmcs.set(bmc, o);
    }
  }
  return findings;
}

/**
 * Checks over the files: path lengths, and that each folder's kustomization lists exactly its files plus the
 * kustomized folders directly below it (so an Argo CD Application on any folder sees everything beneath).
 * `files` are paths relative to the output folder; `kustomizations` maps a folder to its `resources`.
 */
export function checkFileInvariants(
  outName: string, files: readonly string[], kustomizations: ReadonlyMap<string, readonly unknown[] | undefined>,
  /** Folders an Argo CD Application syncs as a plain directory (a `directory` source): they need no kustomization. */
  directories: ReadonlySet<string> = new Set(),
): InvariantFinding[] {
  const findings: InvariantFinding[] = [];
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const shown = `${outName}/${f}`;
    if (shown.length > MAX_PATH) findings.push({ file: f, message: `path ${shown} is ${shown.length} characters, over ${MAX_PATH}` });
    const dir = path.posix.dirname(f);
    const names = byDir.get(dir);
    if (names) names.push(path.posix.basename(f));
    else byDir.set(dir, [path.posix.basename(f)]);
  }
  // Kustomized folders directly below each folder, collected in one pass (a scan per folder is quadratic).
  const kustomizedBelow = new Map<string, string[]>();
  for (const d of kustomizations.keys()) {
    const parent = path.posix.dirname(d);
    if (parent === d) continue;
    const list = kustomizedBelow.get(parent);
    if (list) list.push(path.posix.basename(d));
    else kustomizedBelow.set(parent, [path.posix.basename(d)]);
  }
  for (const [dir, names] of byDir) {
    const yamls = names.filter((n) => /\.ya?ml$/.test(n) && n !== 'kustomization.yaml');
    if (yamls.length > 0 && !kustomizations.has(dir) && !directories.has(dir)) {
      findings.push({ file: `${dir}/`, message: `folder has ${yamls.length} YAML file(s) but no kustomization.yaml, so no Argo CD Application can sync it` });
    }
  }
  for (const [dir, resources] of kustomizations) {
    const file = `${dir === '.' ? '' : `${dir}/`}kustomization.yaml`;
    if (!Array.isArray(resources)) {
      findings.push({ file, message: 'has no resources list' });
      continue;
    }
    const own = (byDir.get(dir) ?? []).filter((n) => n !== 'kustomization.yaml' && /\.ya?ml$/.test(n));
    const below = kustomizedBelow.get(dir) ?? [];
    const want = new Set([...own, ...below]);
    const have = resources.map(String);
    const haveSet = new Set(have);
    const missing = [...want].filter((n) => !haveSet.has(n)).sort();
    const extra = have.filter((n) => !want.has(n)).sort();
    const dupes = have.length === haveSet.size ? [] : have.filter((n, i) => have.indexOf(n) !== i);
    if (missing.length) findings.push({ file, message: `does not list ${missing.join(', ')}` });
    if (extra.length) findings.push({ file, message: `lists ${extra.join(', ')}, which ${extra.length === 1 ? 'is' : 'are'} neither a file of the folder nor a kustomized folder below it` });
    if (dupes.length) findings.push({ file, message: `lists ${[...new Set(dupes)].join(', ')} more than once` });
  }
  return findings;
}
