/**
 * Least privilege of the rendered output, per target (the hub, or an edge cluster for delivered objects), and proof
 * that Argo CD may apply the RBAC it syncs:
 * - a pod whose ServiceAccount no binding names never calls the API, so it gets no token;
 * - no role lets anything write MachineConfigs (a MachineConfig is root on every node of its pool, and a reboot);
 * - no wildcard, and bind, escalate and impersonate only with resourceNames;
 * - the Argo CD application controller may create every Role it syncs and every binding: Kubernetes allows it when
 *   the controller already holds everything the role grants, or has `escalate` (to create) and `bind` (to bind) on
 *   that role by name ("Privilege escalation prevention and bootstrapping", Kubernetes RBAC docs). Without either,
 *   the API server refuses the object and the sync never finishes.
 */
import { ARGOCD_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT } from '../../charts/common/argocd';
import { describeObject, type InvariantFinding, type LocatedObject, podSpecOf } from './invariants';

/* eslint-disable @typescript-eslint/no-explicit-any */

const RBAC = 'rbac.authorization.k8s.io';
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'];
/** Verbs that grant more than the rule names. */
const ESCALATING_VERBS = ['bind', 'escalate', 'impersonate'];

interface Rule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly verbs?: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
}

const groupOf = (apiVersion: unknown) => (String(apiVersion).includes('/') ? String(apiVersion).split('/')[0] : '');
const isRbac = (o: LocatedObject, ...kinds: string[]) => groupOf(o.obj?.apiVersion) === RBAC && kinds.includes(o.obj?.kind);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Whether `rules` allow `verb` on `group/resource` (named `name`, or any object when undefined). */
function allows(rules: readonly Rule[], group: string, resource: string, verb: string, name?: string): boolean {
  const has = (values: string[], v: string) => values.includes(v) || values.includes('*');
  return rules.some((r) => has(list(r.apiGroups), group) && has(list(r.resources), resource) && has(list(r.verbs), verb)
    && (list(r.resourceNames).length === 0 || (name !== undefined && list(r.resourceNames).includes(name))));
}

/** The first part of `rule` that `held` does not allow, as text; undefined when it allows all of it. */
function uncovered(rule: Rule, held: readonly Rule[]): string | undefined {
  if (list(rule.nonResourceURLs).length > 0) return `nonResourceURLs ${list(rule.nonResourceURLs).join(', ')}`;
  const names = list(rule.resourceNames);
  for (const group of list(rule.apiGroups)) {
    for (const resource of list(rule.resources)) {
      for (const verb of list(rule.verbs)) {
        for (const name of names.length > 0 ? names : [undefined]) {
          if (!allows(held, group, resource, verb, name)) return `${verb} ${group ? `${group}/` : ''}${resource}${name !== undefined ? ` "${name}"` : ''}`;
        }
      }
    }
  }
  return undefined;
}

/** The checks above. */
export function checkRbacInvariants(objects: readonly LocatedObject[]): InvariantFinding[] {
  const findings: InvariantFinding[] = [];
  const push = (o: LocatedObject, message: string) => findings.push({ file: o.file, object: describeObject(o), message });
  const bound = new Set<string>();
  const accounts = new Map<string, LocatedObject>();
  for (const o of objects) {
    const { kind, metadata } = o.obj ?? {};
    if (isRbac(o, 'RoleBinding', 'ClusterRoleBinding')) {
      for (const sub of o.obj.subjects ?? []) if (sub?.kind === 'ServiceAccount') bound.add(`${o.target}\u0000${sub.namespace ?? metadata?.namespace}/${sub.name}`);
    }
    if (kind === 'ServiceAccount' && groupOf(o.obj.apiVersion) === '') accounts.set(`${o.target}\u0000${metadata?.namespace}/${metadata?.name}`, o);
    if (!isRbac(o, 'Role', 'ClusterRole')) continue;
    for (const rule of (o.obj.rules ?? []) as Rule[]) {
      const groups = list(rule.apiGroups);
      const resources = list(rule.resources);
      const verbs = list(rule.verbs);
      if (groups.some((g) => g === 'machineconfiguration.openshift.io' || g === '*') && resources.some((r) => r === 'machineconfigs' || r === '*') && verbs.some((v) => WRITE_VERBS.includes(v))) {
        push(o, 'may write MachineConfigs (root on every node of a pool, and a reboot of each): nothing we run may');
      }
      if (resources.includes('*') || verbs.includes('*') || groups.includes('*')) push(o, 'grants a wildcard (*): name the API groups, resources and verbs');
      const escalating = verbs.filter((v) => ESCALATING_VERBS.includes(v));
      if (escalating.length > 0 && list(rule.resourceNames).length === 0) push(o, `grants ${escalating.join(', ')} without resourceNames: limit it to the roles (or users) it must grant`);
    }
  }
  for (const o of objects) {
    const pod = podSpecOf(o.obj);
    if (!pod) continue;
    const account = pod.serviceAccountName ?? 'default';
    const key = `${o.target}\u0000${o.obj.metadata?.namespace}/${account}`;
    if (bound.has(key)) continue;
    const mounted = pod.automountServiceAccountToken ?? accounts.get(key)?.obj?.automountServiceAccountToken ?? true;
    if (mounted !== false) push(o, `runs as ServiceAccount ${account}, which no binding names, with its API token mounted: set automountServiceAccountToken: false`);
  }
  findings.push(...checkControllerCanApply(objects));
  return findings;
}

/**
 * Every Role, ClusterRole and binding the hub's Argo CD applications sync (top-level objects, when the output has an
 * Argo CD bootstrap) can be created by the application controller with the permissions the output gives it.
 */
function checkControllerCanApply(objects: readonly LocatedObject[]): InvariantFinding[] {
  const applied = objects.filter((o) => o.embeddedAt === undefined && o.target === 'hub');
  const isController = (s: any) => s?.kind === 'ServiceAccount' && s.name === CONTROLLER_SERVICE_ACCOUNT && s.namespace === ARGOCD_NAMESPACE;
  const bindings = applied.filter((o) => isRbac(o, 'RoleBinding', 'ClusterRoleBinding') && (o.obj.subjects ?? []).some(isController));
  if (bindings.length === 0) return [];
  const roles = new Map<string, LocatedObject>();
  for (const o of applied) if (isRbac(o, 'Role', 'ClusterRole')) roles.set(`${o.obj.kind}\u0000${o.obj.kind === 'Role' ? o.obj.metadata?.namespace : ''}\u0000${o.obj.metadata?.name}`, o);
  const roleOf = (kind: string, name: string, namespace?: string) => roles.get(`${kind}\u0000${kind === 'Role' ? namespace : ''}\u0000${name}`);
  const clusterWide: Rule[] = [];
  const inNamespace = new Map<string, Rule[]>();
  for (const b of bindings) {
    const ns = b.obj.kind === 'RoleBinding' ? b.obj.metadata?.namespace : undefined;
    const rules = (roleOf(b.obj.roleRef?.kind, b.obj.roleRef?.name, ns)?.obj.rules ?? []) as Rule[];
    if (ns === undefined) clusterWide.push(...rules);
    else inNamespace.set(ns, [...(inNamespace.get(ns) ?? []), ...rules]);
  }
  const held = (ns?: string) => (ns === undefined ? clusterWide : [...clusterWide, ...(inNamespace.get(ns) ?? [])]);
  const resourceOf = (kind: string) => (kind === 'ClusterRole' ? 'clusterroles' : 'roles');
  /** Why the controller cannot grant `role` in `ns` (via `verb` on its name, or by holding it all); undefined: it can. */
  const cannot = (verb: 'escalate' | 'bind', kind: string, name: string, ns: string | undefined, role: LocatedObject | undefined) => {
    if (allows(held(ns), RBAC, resourceOf(kind), verb, name)) return undefined;
    if (!role) return `it has no ${verb} on ${kind} "${name}", which the output does not render`;
    for (const rule of (role.obj.rules ?? []) as Rule[]) {
      const missing = uncovered(rule, held(ns));
      if (missing) return `it has no ${verb} on ${kind} "${name}" and does not itself hold ${missing}`;
    }
    return undefined;
  };
  const findings: InvariantFinding[] = [];
  for (const o of applied) {
    const { kind, metadata } = o.obj ?? {};
    const ns = kind === 'Role' || kind === 'RoleBinding' ? metadata?.namespace : undefined;
    let why: string | undefined;
    if (isRbac(o, 'Role', 'ClusterRole')) why = cannot('escalate', kind, metadata?.name, ns, o);
    else if (isRbac(o, 'RoleBinding', 'ClusterRoleBinding')) {
      const ref = o.obj.roleRef ?? {};
      why = cannot('bind', ref.kind, ref.name, ns, roleOf(ref.kind, ref.name, ns));
    } else continue;
    if (why) findings.push({ file: o.file, object: describeObject(o), message: `Argo CD's application controller may not apply this: ${why} (Kubernetes RBAC escalation prevention)` });
  }
  return findings;
}
