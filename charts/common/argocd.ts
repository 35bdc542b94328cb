import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { setWave } from './waves';

const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

function addSyncOptions(obj: ApiObject, ...options: string[]): void {
  const current = (obj.metadata.toJson().annotations ?? {})[SYNC_OPTIONS] as string | undefined;
  const all = [...(current ? current.split(',') : []), ...options];
  obj.metadata.addAnnotation(SYNC_OPTIONS, [...new Set(all)].join(','));
}

/** A CR whose CRD is installed by an operator in the same sync: Argo must not dry-run it before the CRD exists. */
export function skipDryRun(obj: ApiObject): void {
  addSyncOptions(obj, 'SkipDryRunOnMissingResource=true');
}

/**
 * A cluster singleton that exists before us (`Image cluster`, `OperatorHub cluster`, `Provisioning`): apply only
 * our fields server-side, and never delete it when the app is deleted or pruned.
 */
export function clusterSingleton(obj: ApiObject): void {
  addSyncOptions(obj, 'ServerSideApply=true', 'Delete=false', 'Prune=false');
}

/**
 * An object that must survive the deletion of the Application that synced it, even a cascading one (the
 * resources finalizer, or "delete" in the Argo CD UI): Argo CD skips objects with `Delete=false` when it finalizes
 * an Application (argo-cd `controller/appcontroller.go` `shouldBeDeleted`), while pruning an object removed from git
 * (a worker's `state: remove`, a detach) still works: that is `Prune`, a separate option.
 */
export function keepOnAppDeletion(obj: ApiObject): void {
  addSyncOptions(obj, 'Delete=false');
}

/**
 * A Job that runs on every sync in its wave: a Sync hook, replaced before each run, so a changed script or image
 * never collides with an immutable finished Job. The scripts are idempotent.
 */
export function syncHook(obj: ApiObject): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/hook', 'Sync');
  obj.metadata.addAnnotation('argocd.argoproj.io/hook-delete-policy', 'BeforeHookCreation');
}

/**
 * A hook that runs before every sync of its application, ahead of any apply or prune: the sync stops if it fails.
 * Objects the hook needs (ServiceAccount, RBAC, scripts) must be PreSync hooks of a lower wave, because regular
 * objects are applied only after the PreSync phase.
 */
export function preSyncHook(obj: ApiObject): void {
  obj.metadata.addAnnotation('argocd.argoproj.io/hook', 'PreSync');
  obj.metadata.addAnnotation('argocd.argoproj.io/hook-delete-policy', 'BeforeHookCreation');
}

/** Namespace of the default Argo CD instance that the OpenShift GitOps operator creates. */
export const ARGOCD_NAMESPACE = 'openshift-gitops';
/** ServiceAccount of that instance's application controller (the identity every sync runs as). */
export const CONTROLLER_SERVICE_ACCOUNT = 'openshift-gitops-argocd-application-controller';
/** Name of the Role (and its binding) that {@link controllerGrant} renders in a namespace. */
export const CONTROLLER_GRANT = 'ztpfw-argocd-controller';

export interface ControllerGrantProps {
  readonly namespace: string;
  /** What the controller holds there: a superset of every per-cluster Role the cluster Applications sync into it. */
  readonly rules: readonly k8s.PolicyRule[];
  readonly wave: number;
}

/**
 * A Role in a shared hub namespace, bound to the Argo CD application controller. Kubernetes lets a subject create a
 * Role, or bind one, when it already holds every permission the Role grants, without `escalate` or `bind` on it
 * ("Privilege escalation prevention and bootstrapping" in the Kubernetes RBAC docs). Holding exactly what per-cluster
 * Roles in that namespace grant (`ztpfw-detach-<cluster>`, `<cluster>-credentials-reader`, …) lets the controller
 * sync them, while its `escalate` and `bind` stay limited to fixed role names: adding a cluster never changes the
 * controller's own role, so pull requests that add different clusters never touch the same file.
 */
export function controllerGrant(scope: Construct, id: string, props: ControllerGrantProps): void {
  const metadata = { name: CONTROLLER_GRANT, namespace: props.namespace };
  setWave(new k8s.KubeRole(scope, `${id}-role`, { metadata, rules: [...props.rules] }), props.wave);
  setWave(new k8s.KubeRoleBinding(scope, `${id}-binding`, {
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CONTROLLER_GRANT },
    subjects: [{ kind: 'ServiceAccount', name: CONTROLLER_SERVICE_ACCOUNT, namespace: ARGOCD_NAMESPACE }],
  }), props.wave);
}
