/**
 * Risk flags over a render diff: changes a reviewer must not wave through, each with a one-line reason. Rules are
 * data (RULES); each looks at one changed object, except the blast radius, which looks at the whole diff.
 */
import { IGNORE_DIFFERENCES } from '../charts/argocd';
import { CLUSTER_LABELS } from '../charts/install';
import { FieldChange, formatPath, lastKey, ObjectDiff, PathSegment, RenderDiff } from './diff';
import { escapeControls } from '../model/text';

export interface RiskFlag {
  /** Stable rule id (`host-deprovisioned`), for tests and for people grepping CI logs. */
  readonly rule: string;
  readonly title: string;
  /** One line: what happens on the hub or the edge when this is merged. */
  readonly explanation: string;
  /** Group of the object (`clusters/sno-01`, `hub`), or `*` for fleet-wide flags. */
  readonly group: string;
  /** `Kind/name` of the object, when the flag is about one. */
  readonly object?: string;
  /** What exactly changed (`spec.bootMACAddress: a → b`). */
  readonly detail?: string;
}

export interface RiskOptions {
  /**
   * More clusters than this changing in one diff is flagged.
   * @default 5
   */
  readonly blastRadius?: number;
}

export const DEFAULT_BLAST_RADIUS = 5;

interface Rule {
  readonly rule: string;
  readonly title: string;
  readonly explanation: string;
  /** Details of every hit in one object (an empty string for a hit without detail); none when the rule does not apply. */
  readonly match: (o: ObjectDiff) => string[];
}

/** Objects the Assisted Installer reads while installing; after the install it no longer acts on their spec. */
const INSTALL_KINDS = new Set(['AgentClusterInstall', 'ClusterDeployment', 'InfraEnv', 'NMStateConfig']);

/**
 * Spec fields of those kinds that are no install input: Hive reads `ClusterDeployment.spec.preserveOnDelete` only when
 * the ClusterDeployment is deleted (a detach sets it on purpose, so the installed cluster survives the hub forgetting it).
 */
const NOT_INSTALL_FIELDS: Readonly<Record<string, readonly string[]>> = { ClusterDeployment: ['spec.preserveOnDelete'] };

/**
 * JSON pointers Argo CD ignores per kind, as rendered into every Application (`IGNORE_DIFFERENCES`): a change there is
 * never applied to the live object (e.g. the AgentClusterInstall worker count after a worker is removed).
 */
const ARGO_IGNORED: ReadonlyMap<string, readonly string[][]> = new Map(
  IGNORE_DIFFERENCES.filter((d) => 'jsonPointers' in d).map((d) => [d.kind, (d as { jsonPointers: readonly string[] }).jsonPointers.map(pointerKeys)]),
);

function pointerKeys(pointer: string): string[] {
  return pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** True when Argo CD ignores the field, so merging the change does not touch the live object. */
export function ignoredByArgo(c: FieldChange): boolean {
  return (ARGO_IGNORED.get(c.ownerKind) ?? []).some((keys) => startsWith(c.path, keys));
}

function startsWith(path: readonly PathSegment[], keys: readonly string[]): boolean {
  return keys.every((k, i) => { const s = path[i]; return s !== undefined && 'key' in s && s.key === k; });
}

function installField(c: FieldChange): boolean {
  return under(c, 'spec') && !ignoredByArgo(c) && !(NOT_INSTALL_FIELDS[c.ownerKind] ?? []).includes(formatPath(c.path));
}

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

function removed(kind: string): (o: ObjectDiff) => string[] {
  return (o) => (o.status === 'removed' && o.kind === kind ? [''] : []);
}

function changes(o: ObjectDiff, pick: (c: FieldChange) => boolean): string[] {
  return o.changes.filter(pick).map(describe);
}

export function describe(c: FieldChange): string {
  const p = formatPath(c.path);
  if (c.status === 'added') return `${p} added`;
  if (c.status === 'removed') return `${p} removed`;
  if (c.lines) return `${p} changed`;
  return `${p}: ${short(c.before)} → ${short(c.after)}`;
}

/** A value on one line, cut at 80 characters; no control character reaches the terminal (JSON leaves C1 ones raw). */
export function short(v: unknown): string {
  const s = v === undefined ? '(none)' : JSON.stringify(v) ?? String(v);
  return escapeControls(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}

function keyIs(c: FieldChange, ...keys: string[]): boolean {
  const k = lastKey(c.path);
  return k !== undefined && keys.includes(k);
}

function under(c: FieldChange, ...keys: string[]): boolean {
  return startsWith(c.path, keys);
}

/** Keys that name a Secret (`credentialsName`, `pullSecretRef`, `secretKeyRef`, `imagePullSecrets`); data keys have dots or dashes. */
const SECRET_KEY = /^(credentialsName|[A-Za-z]*(Secret|secret)(Ref|Name|KeyRef|s)?)$/;

export const RULES: readonly Rule[] = [
  {
    rule: 'host-deprovisioned',
    title: 'BareMetalHost removed',
    explanation: 'Argo CD prunes the BareMetalHost and the bare-metal operator deprovisions the machine (when the whole cluster folder goes, only its Application is deleted and the host stays, unmanaged).',
    match: removed('BareMetalHost'),
  },
  {
    rule: 'cluster-detached',
    title: 'ManagedCluster removed',
    explanation: 'The hub detaches the cluster: add-ons, policies and manifest works stop reaching it.',
    match: removed('ManagedCluster'),
  },
  {
    rule: 'cluster-reattached',
    title: 'Detached cluster taken back',
    explanation: 'The ClusterDeployment no longer preserves the installation on delete and the cluster registers with the hub again: a cluster that was handed over (STATE: detach) comes back under hub management. synth refuses this without --reattach; check the edge is meant to come back.',
    match: (o) => (o.kind === 'ClusterDeployment' && o.status === 'changed'
      ? changes(o, (c) => keyIs(c, 'preserveOnDelete') && under(c, 'spec') && c.before === true && c.after !== true)
      : []),
  },
  {
    rule: 'install-record-removed',
    title: 'ClusterDeployment removed',
    explanation: 'Hive forgets the installation, and the admin kubeconfig and password Secrets it owns go with it.',
    match: removed('ClusterDeployment'),
  },
  {
    rule: 'namespace-removed',
    title: 'Namespace removed',
    explanation: 'Deleting a namespace deletes everything in it, Secrets that are not in git included (BMC credentials, pull secret).',
    match: removed('Namespace'),
  },
  {
    rule: 'installed-cluster-install-change',
    title: 'Install field changed on an installed cluster',
    explanation: 'The object is already in the base, so the cluster is installed: the Assisted Installer rejects or ignores install changes.',
    match: (o) => (o.status === 'changed' && INSTALL_KINDS.has(o.kind) ? changes(o, installField) : []),
  },
  {
    rule: 'topology-changed',
    title: 'Cluster topology changed',
    explanation: 'The topology label the hub selects clusters by changes (e.g. standard → compact): an installed cluster keeps the layout it was installed with, so the control-plane nodes of a 3+N cluster stay unschedulable when its last worker goes.',
    match: (o) => changes(o, (c) => c.status === 'changed' && under(c, 'metadata', 'labels', CLUSTER_LABELS.TOPOLOGY)),
  },
  {
    rule: 'boot-mac-changed',
    title: 'Boot or interface MAC changed',
    explanation: 'Hosts and their static network are matched by MAC: a wrong one boots another machine or leaves the node without its network.',
    match: (o) => changes(o, (c) => c.status === 'changed' && ((c.ownerKind === 'BareMetalHost' && keyIs(c, 'bootMACAddress')) || (c.ownerKind === 'NMStateConfig' && keyIs(c, 'macAddress', 'mac-address')))),
  },
  {
    rule: 'bmc-address-changed',
    title: 'BMC address changed',
    explanation: 'The hub powers and boots the host through this address: a wrong one leaves the host unmanageable.',
    match: (o) => changes(o, (c) => c.ownerKind === 'BareMetalHost' && under(c, 'spec', 'bmc', 'address')),
  },
  {
    rule: 'secret-reference-changed',
    title: 'Secret reference changed',
    explanation: 'The Secret now referenced must exist on the hub before Argo CD syncs; it is not in git (ztpfw secrets creates it).',
    match: (o) => (o.status === 'changed' && o.kind !== 'Secret'
      ? changes(o, (c) => c.ownerKind !== 'Secret' && c.path.some((s) => 'key' in s && SECRET_KEY.test(s.key)))
      : []),
  },
  {
    rule: 'policy-enforce-to-inform',
    title: 'Policy remediation enforce → inform',
    explanation: 'The policy stops correcting drift on the cluster and only reports it.',
    match: (o) => changes(o, (c) => c.status === 'changed' && keyIs(c, 'remediationAction')
      && String(c.before).toLowerCase() === 'enforce' && String(c.after).toLowerCase() === 'inform'),
  },
  {
    rule: 'subscription-channel-changed',
    title: 'Operator channel changed',
    explanation: 'OLM follows the new channel and upgrades the operator at the next install plan.',
    match: (o) => changes(o, (c) => c.status === 'changed' && c.ownerKind === 'Subscription' && keyIs(c, 'channel')),
  },
  {
    rule: 'sync-wave-changed',
    title: 'Sync wave changed',
    explanation: 'Argo CD applies and deletes the object at another point of the sync order.',
    match: (o) => changes(o, (c) => keyIs(c, SYNC_WAVE) && under(c, 'metadata', 'annotations')),
  },
];

/** Details shown per flag; the rest is counted. */
const MAX_DETAILS = 3;

/**
 * Every flag of a diff, one per rule and object: the blast radius first (it is about the whole merge), then the rules
 * in the order of RULES (most severe first), objects in diff order.
 */
export function riskFlags(diff: RenderDiff, options: RiskOptions = {}): RiskFlag[] {
  const limit = options.blastRadius ?? DEFAULT_BLAST_RADIUS;
  const flags: RiskFlag[] = [];
  if (diff.clusters.length > limit) {
    flags.push({
      rule: 'blast-radius',
      title: `${diff.clusters.length} clusters changed at once`,
      explanation: `More than ${limit} clusters change in one merge: a mistake reaches all of them together; consider smaller batches.`,
      group: '*',
    });
  }
  for (const r of RULES) {
    for (const o of diff.objects) {
      const hits = r.match(o);
      if (hits.length === 0) continue;
      const details = hits.filter(Boolean);
      const detail = details.slice(0, MAX_DETAILS).join('; ') + (details.length > MAX_DETAILS ? `; ${details.length - MAX_DETAILS} more` : '');
      flags.push({ rule: r.rule, title: r.title, explanation: r.explanation, group: o.group, object: `${o.kind}/${o.name}`, ...(detail ? { detail } : {}) });
    }
  }
  return flags;
}

/** The flags of one rule: how many, on how many clusters, and the flags themselves in order. */
export interface FlagGroup {
  readonly rule: string;
  readonly title: string;
  readonly explanation: string;
  /** Flags of this rule (objects, or 1 for the blast radius). */
  readonly count: number;
  /** Distinct clusters among them. */
  readonly clusters: number;
  readonly flags: readonly RiskFlag[];
}

/** Flags grouped by rule, in the order of the flags (blast radius first, then RULES). */
export function groupFlags(flags: readonly RiskFlag[]): FlagGroup[] {
  const by = new Map<string, RiskFlag[]>();
  for (const f of flags) {
    const list = by.get(f.rule);
    if (list) list.push(f);
    else by.set(f.rule, [f]);
  }
  return [...by.values()].map((list) => ({
    rule: list[0].rule,
    title: list[0].title,
    explanation: list[0].explanation,
    count: list.length,
    clusters: new Set(list.filter((f) => f.group.startsWith('clusters/')).map((f) => f.group)).size,
    flags: list,
  }));
}
