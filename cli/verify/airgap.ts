/**
 * Air-gap closure of a disconnected fleet, proven on the rendered objects alone. For every cluster an object lands on
 * (the hub, each edge cluster), every image it makes that cluster pull must
 *  1. be redirected by a mirror set rendered for that cluster (IDMS/ITMS/ICSP; for the release an edge installs, the
 *     hub's `mirror-ref` registries.conf, which the Assisted Service turns into digest-only `imageDigestSources`), or
 *     name the mirror registry itself;
 *  2. be by digest where every mirror that covers it is digest-only (IDMS, ICSP, imageDigestSources);
 *  3. have its repository in a rendered ImageSetConfiguration (hub `imageset-config`, edge `edge-mirror-config`);
 * and 4. the cluster's pull secret must carry credentials for the mirror registry, or a rendered Job must provably
 * write them there (its ServiceAccount may modify that very Secret).
 * Images are read from the containers of every workload kind (also inside ManifestWorks and Policies), the
 * ClusterImageSet release image and CatalogSource images.
 */
import { splitImage } from '../../charts/common/images';
import { describeObject, type LocatedObject, podSpecOf } from './invariants';
import { asList, loadRendered, RenderedYamlError } from '../rendered-yaml';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** An air-gap violation: every one is an error (a pull that leaves the mirror fails on an air-gapped site). */
export interface AirgapFinding {
  readonly file?: string;
  readonly object?: string;
  readonly message: string;
}

export interface AirgapOptions {
  /** `hub` in the target names of the objects. */
  readonly hub: string;
}

/** `host[:port]/path[:tag][@digest]`, parsed; Docker Hub short names get `docker.io/library`. */
export interface ImageRef {
  readonly ref: string;
  readonly host: string;
  /** `host/path`, no tag, no digest. */
  readonly repository: string;
  readonly digest?: string;
}

export function parseImage(ref: string): ImageRef {
  const { host, path } = splitImage(ref);
  return { ref, host, repository: `${host}/${path}`, digest: ref.split('@')[1] };
}

/** One redirect: pulls of `source` (a registry or repository prefix) go to `mirrors`. */
interface MirrorRule {
  readonly source: string;
  readonly mirrors: readonly string[];
  readonly digestOnly: boolean;
  /** What rendered it, for messages. */
  readonly from: string;
}

interface Use {
  readonly image: string;
  readonly where: string;
  readonly o: LocatedObject;
  /** The release an edge installs is pulled through the hub's `mirror-ref`, not through a cluster mirror set. */
  readonly install?: boolean;
}

const under = (repository: string, prefix: string) => repository === prefix || repository.startsWith(`${prefix}/`);

/** Every image an object makes its cluster pull. */
function imageUses(o: LocatedObject): Use[] {
  const out: Use[] = [];
  const kind = o.obj?.kind;
  const pod = podSpecOf(o.obj);
  if (pod) {
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const c of pod[field] ?? []) if (typeof c?.image === 'string') out.push({ image: c.image, where: `${field} ${c.name}`, o });
    }
  }
  if (kind === 'ClusterImageSet' && typeof o.obj.spec?.releaseImage === 'string') out.push({ image: o.obj.spec.releaseImage, where: 'releaseImage', o, install: true });
  if (kind === 'CatalogSource' && typeof o.obj.spec?.image === 'string') out.push({ image: o.obj.spec.image, where: 'image', o });
  return out;
}

function mirrorRules(o: LocatedObject): MirrorRule[] {
  const from = `${o.obj?.kind} ${o.obj?.metadata?.name}`;
  const list = (items: any, digestOnly: boolean): MirrorRule[] => (Array.isArray(items) ? items : [])
    .filter((e) => typeof e?.source === 'string')
    .map((e) => ({ source: e.source, mirrors: (e.mirrors ?? []).filter((m: unknown) => typeof m === 'string'), digestOnly, from }));
  switch (o.obj?.kind) {
    case 'ImageDigestMirrorSet': return list(o.obj.spec?.imageDigestMirrors, true);
    case 'ImageTagMirrorSet': return list(o.obj.spec?.imageTagMirrors, false);
    case 'ImageContentSourcePolicy': return list(o.obj.spec?.repositoryDigestMirrors, true);
    default: return [];
  }
}

/**
 * The registries.conf the hub hands the Assisted Service (`mirror-ref`), as rules. Assisted turns every entry into an
 * install-config `imageDigestSources` entry, so for an installing edge each one is digest-only.
 */
export function registriesConfRules(text: string, from: string): MirrorRule[] {
  const out: MirrorRule[] = [];
  let current: { source?: string; mirrors: string[] } | undefined;
  let inMirror = false;
  const flush = () => { if (current?.source) out.push({ source: current.source, mirrors: current.mirrors, digestOnly: true, from }); };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '[[registry]]') { flush(); current = { mirrors: [] }; inMirror = false; continue; }
    if (line === '[[registry.mirror]]') { inMirror = true; continue; }
    const m = /^location\s*=\s*"([^"]*)"$/.exec(line);
    if (m && current) {
      if (inMirror) current.mirrors.push(m[1]);
      else current.source = m[1];
    }
  }
  flush();
  return out;
}

/** Repositories an ImageSetConfiguration (v1alpha2 or v2alpha1) puts into the mirror. */
export function imageSetRepositories(isc: any): Set<string> {
  const out = new Set<string>();
  for (const i of asList(isc?.mirror?.additionalImages)) if (typeof i?.name === 'string') out.add(parseImage(i.name).repository);
  for (const c of asList(isc?.mirror?.operators)) if (typeof c?.catalog === 'string') out.add(parseImage(c.catalog).repository);
  const platform = isc?.mirror?.platform;
  if (platform && (asList(platform.channels).some((c: any) => (c?.type ?? 'ocp') === 'ocp') || typeof platform.release === 'string')) {
    // A mirrored release brings its payload: the release image and the component images it names by digest.
    out.add(typeof platform.release === 'string' ? parseImage(platform.release).repository : 'quay.io/openshift-release-dev/ocp-release');
    out.add('quay.io/openshift-release-dev/ocp-v4.0-art-dev');
  }
  return out;
}

interface ClusterView {
  readonly rules: MirrorRule[];
  readonly installRules: MirrorRule[];
  readonly uses: Use[];
}

/** A rendered Job proves a Secret filled when its ServiceAccount may create, patch or update that very Secret. */
function secretWriters(on: readonly LocatedObject[]): Map<string, string> {
  const roles = new Map<string, any[]>();
  for (const o of on) {
    const k = o.obj?.kind;
    if (k === 'Role' || k === 'ClusterRole') roles.set(`${k}/${k === 'Role' ? `${o.obj.metadata?.namespace}/` : ''}${o.obj.metadata?.name}`, o.obj.rules ?? []);
  }
  const writesSecret = (rule: any) => (rule?.apiGroups ?? []).includes('') && (rule?.resources ?? []).includes('secrets')
    && (rule?.verbs ?? []).some((v: string) => v === 'patch' || v === 'update' || v === '*');
  const out = new Map<string, string>();
  const jobsBySa = new Map<string, string>();
  for (const o of on) {
    const pod = podSpecOf(o.obj);
    if (o.obj?.kind !== 'Job' || !pod) continue;
    jobsBySa.set(`${o.obj.metadata?.namespace}/${pod.serviceAccountName ?? 'default'}`, `Job ${o.obj.metadata?.namespace}/${o.obj.metadata?.name}`);
  }
  for (const o of on) {
    const k = o.obj?.kind;
    if (k !== 'RoleBinding' && k !== 'ClusterRoleBinding') continue;
    const ref = o.obj.roleRef ?? {};
    const bindingNs = o.obj.metadata?.namespace;
    const rules = roles.get(ref.kind === 'Role' ? `Role/${bindingNs}/${ref.name}` : `ClusterRole/${ref.name}`) ?? [];
    for (const s of o.obj.subjects ?? []) {
      if (s?.kind !== 'ServiceAccount') continue;
      const job = jobsBySa.get(`${s.namespace ?? bindingNs}/${s.name}`);
      if (!job) continue;
      for (const rule of rules.filter(writesSecret)) {
        for (const name of rule.resourceNames ?? []) out.set(`${k === 'RoleBinding' ? bindingNs : '*'}/${name}`, job);
      }
    }
  }
  return out;
}

/** Where a cluster's nodes read pull credentials from, and which rendered Job (if any) proves the mirror is in it. */
function credentialProof(onCluster: ReadonlyMap<string, string>, onHub: ReadonlyMap<string, string>, isHub: boolean, installSecrets: readonly string[]): string | undefined {
  const global = onCluster.get('openshift-config/pull-secret') ?? onCluster.get('*/pull-secret');
  if (global) return global;
  if (isHub) return undefined;
  // An edge installs with the pull secret in its namespace on the hub; a hub Job that fills it proves the edge too.
  for (const s of installSecrets) {
    const job = onHub.get(s) ?? onHub.get(`*/${s.split('/')[1]}`);
    if (job) return job;
  }
  return undefined;
}

export function checkAirgap(objects: readonly LocatedObject[], options: AirgapOptions): AirgapFinding[] {
  const { hub } = options;
  const findings: AirgapFinding[] = [];
  const views = new Map<string, ClusterView>();
  const view = (t: string) => {
    let v = views.get(t);
    if (!v) views.set(t, (v = { rules: [], installRules: [], uses: [] }));
    return v;
  };
  const hubIsc = new Set<string>();
  const edgeIsc = new Map<string, Set<string>>();
  /** Edge cluster (its hub namespace) → its install pull secret `namespace/name`. */
  const installSecrets = new Map<string, string[]>();
  const byTarget = new Map<string, LocatedObject[]>();
  for (const o of objects) {
    const list = byTarget.get(o.target);
    if (list) list.push(o);
    else byTarget.set(o.target, [o]);
    const v = view(o.target);
    v.rules.push(...mirrorRules(o));
    v.uses.push(...imageUses(o));
    const kind = o.obj?.kind;
    const data = o.obj?.data ?? {};
    if (kind === 'ConfigMap' && typeof data['imageset-config.yaml'] === 'string') {
      let isc: unknown;
      try {
        isc = loadRendered(data['imageset-config.yaml']);
      } catch (e) {
        if (!(e instanceof RenderedYamlError)) throw e;
        findings.push({ file: o.file, object: describeObject(o), message: `data imageset-config.yaml ${e.message}: its repositories count as not mirrored` });
      }
      const repos = imageSetRepositories(isc);
      const into = o.target === hub ? hubIsc : (edgeIsc.get(o.target) ?? new Set<string>());
      if (o.target !== hub) edgeIsc.set(o.target, into);
      for (const r of repos) into.add(r);
    }
    if (kind === 'ConfigMap' && o.target === hub && typeof data['registries.conf'] === 'string' && o.obj.metadata?.name === 'mirror-registries') {
      view(hub).installRules.push(...registriesConfRules(data['registries.conf'], `ConfigMap ${o.obj.metadata.namespace}/mirror-registries (mirror-ref)`));
    }
    if (kind === 'ClusterDeployment') {
      const ps = o.obj.spec?.pullSecretRef?.name;
      const ns = String(o.obj.metadata?.namespace);
      if (ps) installSecrets.set(ns, [...(installSecrets.get(ns) ?? []), `${ns}/${ps}`]);
    }
  }
  const hubView = view(hub);
  const hubWriters = secretWriters(byTarget.get(hub) ?? []);
  const mirrorHosts = new Set<string>();
  for (const v of views.values()) for (const r of [...v.rules, ...v.installRules]) for (const m of r.mirrors) mirrorHosts.add(parseImage(`${m}/x`).host);

  const report = (u: Use, message: string) => findings.push({ file: u.o.file, object: describeObject(u.o), message });

  for (const [target, v] of [...views].sort(([a], [b]) => a.localeCompare(b))) {
    const repos = new Set([...hubIsc, ...(target === hub ? [] : edgeIsc.get(target) ?? [])]);
    const pullsFromMirror = new Set<string>();
    for (const u of v.uses) {
      const img = parseImage(u.image);
      const rules = u.install ? hubView.installRules : v.rules;
      const rulesName = u.install ? 'the hub\'s mirror-ref (the edge install\'s imageDigestSources)' : `a mirror set rendered for ${target}`;
      if (mirrorHosts.has(img.host)) {
        // Named in the mirror directly: the source it was mirrored from must be in an image set.
        pullsFromMirror.add(img.host);
        const back = rules.concat(v.rules, hubView.rules).flatMap((r) => r.mirrors.filter((m) => under(img.repository, m)).map((m) => `${r.source}${img.repository.slice(m.length)}`));
        if (!back.some((s) => repos.has(s))) report(u, `${u.where} ${u.image} names the mirror, but no rendered ImageSetConfiguration mirrors what it holds there`);
        continue;
      }
      const covering = rules.filter((r) => under(img.repository, r.source));
      if (!covering.length) {
        report(u, `${u.where} ${u.image}: ${img.host} is not redirected by ${rulesName}; the pull goes to the internet`);
        continue;
      }
      for (const r of covering) for (const m of r.mirrors) pullsFromMirror.add(parseImage(`${m}/x`).host);
      if (!img.digest && covering.every((r) => r.digestOnly)) {
        const hint = u.install ? `; set OC_OCP_RELEASE_DIGEST to the output of: oc adm release info -o 'jsonpath={.digest}' ${u.image}` : '';
        report(u, `${u.where} ${u.image} is by tag, but every mirror of ${img.repository} is digest-only (${[...new Set(covering.map((r) => r.from))].join(', ')}); a tag pull bypasses the mirror${hint}`);
      }
      if (!repos.has(img.repository)) report(u, `${u.where} ${u.image}: ${img.repository} is in no rendered ImageSetConfiguration, so the mirror does not hold it`);
    }
    const writers = target === hub ? hubWriters : secretWriters(byTarget.get(target) ?? []);
    const installs = installSecrets.get(target) ?? [];
    if (pullsFromMirror.size && !credentialProof(writers, hubWriters, target === hub, installs)) {
      findings.push({
        message: `${target} pulls from ${[...pullsFromMirror].sort().join(', ')}, but no rendered Job provably writes the mirror credentials into its pull secret (openshift-config/pull-secret${target === hub ? '' : ' or the install pull secret in its hub namespace'})`,
      });
    }
  }
  return findings;
}

/**
 * The `airgap` check of `ztpfw verify`: runs for a disconnected fleet, or, without a fleet, when the output renders a
 * hub mirror set. A tag-referenced release behind a digest-only mirror and unproven credentials are errors (the loader
 * requires OC_OCP_RELEASE_DIGEST on a disconnected fleet; the per-cluster mirror pull-secret Job proves the credentials).
 */
export function airgapCheck(objects: readonly LocatedObject[], hub: string, disconnected: boolean | undefined): {
  findings: { severity: 'error' | 'warning'; class: 'airgap'; file?: string; object?: string; message: string }[];
  run: { name: 'airgap'; scope: string; skipped?: string };
} {
  const mirrored = objects.some((o) => o.target === hub && mirrorRules(o).length > 0);
  if (!(disconnected ?? mirrored)) return { findings: [], run: { name: 'airgap', scope: 'connected fleet', skipped: 'the fleet is connected (DISCONNECTED: false)' } };
  const findings = checkAirgap(objects, { hub }).map((f) => ({ severity: 'error' as const, class: 'airgap' as const, ...f }));
  if (!mirrored) findings.unshift({ severity: 'error', class: 'airgap', message: 'the fleet is disconnected but the hub renders no mirror set (IDMS/ITMS/ICSP)' });
  const clusters = new Set(objects.map((o) => o.target)).size;
  return { findings, run: { name: 'airgap', scope: `${clusters} cluster(s): images redirected, by digest where digest-only, in an image set; pull credentials` } };
}
