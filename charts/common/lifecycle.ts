/**
 * What each lifecycle state (`STATE` of a cluster: install → configure → standalone → detach) means for the rendered output.
 * Shared by the install, lifecycle and argocd families and by `ztpfw synth`'s guards, so they agree on names.
 */
import type { PolicyRule } from '../../imports/k8s';
import type { EdgeCluster, LifecycleState } from '../../model/types';

/** BMAC deletes the Agent and the spoke Node when a BareMetalHost carrying this annotation is deleted. */
export const REMOVE_AGENT_AND_NODE_ANNOTATION = 'bmac.agent-install.openshift.io/remove-agent-and-node-on-delete';
/** metal3: the host is no longer managed (no power changes, no deprovisioning, also on delete). */
export const DETACHED_ANNOTATION = 'baremetalhost.metal3.io/detached';
/** Value of DETACHED_ANNOTATION: deleting the detached BareMetalHost only forgets the host. */
export const DETACHED_VALUE = JSON.stringify({ deleteAction: 'delete' });

/** Hub namespace holding one credentials Secret per detached cluster (nothing else lives there). */
export const CREDENTIALS_NAMESPACE = 'ztpfw-credentials';
/** Sub-folder of `clusters/<cluster>/` with the detach hooks; its presence in `dist/` marks a detached cluster. */
export const DETACH_FOLDER = 'detach';

export function credentialsSecretName(cluster: string): string {
  return `${cluster}-credentials`;
}

/** Name of the detach hook's Job, ServiceAccount, Role and RoleBinding in the cluster namespace. */
export const DETACH_HOOK = 'ztpfw-detach';

/**
 * Where the detach hook puts the factory's SSH key pair on the edge (keys `id_rsa.key`, `id_rsa.pub`): the setup UI
 * reads it there for its download step (`ui/src/server/names.ts` `SSH_KEYPAIR`), as the original's UI did.
 */
export const EDGE_SSH_KEYPAIR = { namespace: 'default', name: 'cluster-ssh-keypair' } as const;

/**
 * What the detach hooks' per-cluster Roles grant in the credentials namespace (create the cluster's Secret, then get
 * and patch it by name; people read it by name): the Argo CD controller holds this there, so it may sync those Roles
 * without `escalate` or `bind` on names that change with every cluster.
 */
export const CREDENTIALS_RULES: readonly PolicyRule[] = [{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get', 'patch'] }];

/**
 * What a detach hook reads in the policy namespace (the compliance of its cluster's Policies), granted by a per-cluster
 * Role there; the Argo CD controller holds it cluster-wide for the same reason.
 */
export const POLICY_READ_RULES: readonly PolicyRule[] = [{ apiGroups: ['policy.open-cluster-management.io'], resources: ['policies'], verbs: ['get', 'list'] }];

/**
 * Day-2 bundles are delivered while the hub manages a configured cluster: `configure`, and `standalone`, where the
 * disconnected edge pulls from its own registry instead of the hub mirror.
 */
export function deliversDay2(cluster: Pick<EdgeCluster, 'state'>): boolean {
  return cluster.state === 'configure' || cluster.state === 'standalone';
}

/** The edge has been told to pull from its own registry (the switch happens once its mirror is complete). */
export function pullsFromOwnRegistry(cluster: Pick<EdgeCluster, 'state'>): boolean {
  return cluster.state === 'standalone';
}

/** The ManagedCluster (and KlusterletAddonConfig) exist until the cluster is detached. */
export function registeredWithHub(cluster: Pick<EdgeCluster, 'state'>): boolean {
  return cluster.state !== 'detach';
}

export function isDetached(state: LifecycleState): boolean {
  return state === 'detach';
}

/**
 * Kinds that a cluster folder holds only in some states (detach hooks, registration, day-2 delivery). The Argo CD project whitelists them
 * always, so flipping a cluster's state never waits for a project update.
 */
export const LIFECYCLE_KINDS: readonly { readonly group: string; readonly kind: string; readonly namespaced: boolean }[] = [
  { group: '', kind: 'ServiceAccount', namespaced: true },
  { group: '', kind: 'ConfigMap', namespaced: true },
  { group: 'rbac.authorization.k8s.io', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', namespaced: false },
  { group: 'batch', kind: 'Job', namespaced: true },
  // Registration goes away on detach: Argo CD only prunes kinds its project still permits.
  { group: 'cluster.open-cluster-management.io', kind: 'ManagedCluster', namespaced: false },
  { group: 'agent.open-cluster-management.io', kind: 'KlusterletAddonConfig', namespaced: true },
  // Day-2 delivery appears when a cluster moves from install to configure.
  { group: 'work.open-cluster-management.io', kind: 'ManifestWork', namespaced: true },
  { group: 'policy.open-cluster-management.io', kind: 'Policy', namespaced: true },
  { group: 'policy.open-cluster-management.io', kind: 'PlacementBinding', namespaced: true },
  { group: 'cluster.open-cluster-management.io', kind: 'Placement', namespaced: true },
];
