import { ApiObject } from 'cdk8s';

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
