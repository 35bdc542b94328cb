/**
 * The smaller steps: the kubeadmin user, the SSH key, the setup record, and the reconcile progress the page shows
 * after "Finish setup".
 */
import type { Kube, Obj } from '../kube.js';
import { CLUSTER_ADMIN_BINDING_PREFIX, IDP_NAME, KUBEADMIN, SETUP_CONFIGMAP, SSH_KEYPAIR, UI_NAMESPACE } from '../names.js';
import { identityProviderPresent, readUsers } from './identity.js';
import type { StepResult } from './result.js';

export const KUBEADMIN_REF = { apiVersion: 'v1', kind: 'Secret', ...KUBEADMIN } as const;
export const SSH_REF = { apiVersion: 'v1', kind: 'Secret', name: SSH_KEYPAIR.name, namespace: SSH_KEYPAIR.namespace } as const;
export const SETUP_REF = { apiVersion: 'v1', kind: 'ConfigMap', name: SETUP_CONFIGMAP, namespace: UI_NAMESPACE } as const;

export async function kubeadminPresent(kube: Kube): Promise<boolean> {
  return (await kube.get(KUBEADMIN_REF)) !== undefined;
}

/**
 * Deletes `kube-system/kubeadmin` (irreversible). Refused until a user of our identity provider is cluster-admin:
 * OpenShift docs ("Removing the kubeadmin user") warn that removing it before another cluster-admin exists means
 * reinstalling the cluster.
 */
export async function deleteKubeadmin(kube: Kube): Promise<StepResult> {
  if (!(await identityProviderPresent(kube))) {
    throw new Error(`Create your own user first: without the ${IDP_NAME} identity provider nobody could log in after kubeadmin is gone.`);
  }
  const users = await readUsers(kube);
  const bindings = await Promise.all(users.map((u) => kube.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: `${CLUSTER_ADMIN_BINDING_PREFIX}${u}` })));
  if (!bindings.some(Boolean)) throw new Error('No user of the identity provider is cluster-admin yet; finish the setup first.');
  return { changed: (await kube.delete(KUBEADMIN_REF)) ? [`Secret ${KUBEADMIN.namespace}/${KUBEADMIN.name}`] : [] };
}

/** The private key the factory left, or undefined when the cluster has none. */
export async function readSshKey(kube: Kube): Promise<string | undefined> {
  const s = await kube.get<Obj & { data?: Record<string, string> }>(SSH_REF);
  const b64 = s?.data?.[SSH_KEYPAIR.privateKey];
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
}

export async function sshKeyPresent(kube: Kube): Promise<boolean> {
  return (await readSshKey(kube)) !== undefined;
}

export interface SetupRecord {
  readonly completed: string;
  readonly user: string;
}

export async function readSetup(kube: Kube): Promise<SetupRecord | undefined> {
  const cm = await kube.get<Obj & { data?: Record<string, string> }>(SETUP_REF);
  return cm?.data?.completed ? { completed: cm.data.completed, user: cm.data.user ?? '' } : undefined;
}

export async function recordSetup(kube: Kube, user: string, now = new Date()): Promise<StepResult> {
  if (await readSetup(kube)) return { changed: [] };
  await kube.create({ ...SETUP_REF, metadata: { name: SETUP_CONFIGMAP, namespace: UI_NAMESPACE }, data: { completed: now.toISOString(), user } });
  return { changed: [`ConfigMap ${UI_NAMESPACE}/${SETUP_CONFIGMAP}`] };
}

interface ClusterOperator extends Obj {
  status?: { conditions?: { type: string; status: string; message?: string; lastTransitionTime?: string }[] };
}

export interface OperatorState {
  readonly name: string;
  readonly available: boolean;
  readonly progressing: boolean;
  readonly degraded: boolean;
  readonly message?: string;
  /** When Progressing last changed (to tell a rollout that started after a change from an older one). */
  readonly since?: string;
}

export async function readOperators(kube: Kube, names: readonly string[]): Promise<OperatorState[]> {
  return Promise.all(
    names.map(async (name) => {
      const co = await kube.get<ClusterOperator>({ apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', name });
      const cond = (t: string) => co?.status?.conditions?.find((c) => c.type === t);
      const degraded = cond('Degraded')?.status === 'True';
      return {
        name,
        available: cond('Available')?.status === 'True',
        progressing: cond('Progressing')?.status === 'True',
        degraded,
        message: degraded ? cond('Degraded')?.message : cond('Progressing')?.status === 'True' ? cond('Progressing')?.message : undefined,
        since: cond('Progressing')?.lastTransitionTime,
      };
    }),
  );
}

/** Settled: available, not progressing, not degraded. */
export const settled = (o: OperatorState) => o.available && !o.progressing && !o.degraded;
