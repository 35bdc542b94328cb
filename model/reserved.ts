/**
 * Names an edge cluster may not take. A cluster's name is also the name of its namespace on the hub (and of its
 * ManagedCluster): Argo CD's clusters project gains that namespace as a destination and owns its Namespace object,
 * so a cluster named after a platform, hub or project namespace would let Argo CD rewrite (and, once the cluster file
 * is deleted, prune) that namespace.
 *
 * Sources:
 * - `kube-*`: reserved for Kubernetes system namespaces (kubernetes.io, "Namespaces": "Avoid creating namespaces
 *   with the prefix kube-"); `default` is Kubernetes' own.
 * - `openshift`, `openshift-*`: OpenShift's default projects, "considered critical" and refused to `oc new-project`
 *   (openshift/openshift-docs applications/projects/working-with-projects.adoc).
 * - MCE and ACM on the hub: `multicluster-engine` (MCE operator and the Assisted Service,
 *   stolostron/backplane-operator), `hive`, `hypershift`, `assisted-installer` (the Assisted Installer's
 *   controller namespace), `open-cluster-management*` (ACM and the cluster manager/agents), and `local-cluster`: the
 *   ManagedCluster and namespace of the hub itself (stolostron/backplane-operator `local-cluster`).
 * - `ztpfw-*`: the namespaces this project renders on the hub (ztpfw-hub, ztpfw-registry, ztpfw-httpd,
 *   ztpfw-credentials, ztpfw-day2, …); the prefix is reserved whole so a new one never collides.
 */
export const RESERVED_NAMES: readonly string[] = [
  'default',
  'openshift',
  'multicluster-engine',
  'hive',
  'hypershift',
  'assisted-installer',
  'local-cluster',
  'open-cluster-management',
];

/** Prefixes (with their dash) no cluster name may start with. */
export const RESERVED_PREFIXES: readonly string[] = ['kube-', 'openshift-', 'open-cluster-management-', 'ztpfw-'];

/** Why `name` may not be a cluster name, or undefined when it may. */
export function reservedNameReason(name: string): string | undefined {
  if (RESERVED_NAMES.includes(name)) return `"${name}" is a namespace of the hub platform`;
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `names starting with "${prefix}" are reserved for ${prefix === 'ztpfw-' ? "this project's hub namespaces" : 'platform namespaces'}`;
  return undefined;
}
