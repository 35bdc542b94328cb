import { ApiObject } from 'cdk8s';

/** The Argo CD annotation that orders a sync: lower waves apply first and are pruned last. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Every sync wave used in `dist/`, in one table, so the order of a whole sync can be read in one place.
 * Argo CD applies waves in ascending order and deletes in descending order.
 */
export const Wave = {
  /** Namespaces: first in, last out. */
  NAMESPACE: 0,
  /**
   * ConfigMaps and other inputs that later objects read; also NMStateConfigs, so an InfraEnv's first discovery
   * ISO already holds every node's network.
   */
  CONFIG: 1,
  /** Install CRs: ClusterDeployment, AgentClusterInstall, InfraEnv. */
  INSTALL: 2,
  /** ACM registration: ManagedCluster, KlusterletAddonConfig. */
  REGISTRATION: 3,
  /** BareMetalHosts: last in, so they are deleted first while InfraEnv/NMState/Namespace still exist. */
  HOSTS: 4,
  /** Day-2 delivery (Policies, Placements, ManifestWorks): after the cluster objects they target. */
  DAY2: 5,
} as const;
export type Wave = (typeof Wave)[keyof typeof Wave];

/**
 * Waves of the hub application (`dist/hub/`), a separate Argo CD app: a fresh hub converges in one sync because each
 * wave only starts when the previous one is healthy (Jobs complete, Deployments available, PVCs bound).
 */
export const HubWave = {
  /** Namespaces. */
  NAMESPACE: Wave.NAMESPACE,
  /** ServiceAccounts, RBAC, script and config ConfigMaps, ClusterImageSet. */
  CONFIG: Wave.CONFIG,
  /** Pre-flight Job: nothing else starts on a hub that fails it. */
  PREFLIGHT: 2,
  /** Hub LVMS operator (OperatorGroup, Subscription). */
  STORAGE_OPERATOR: 3,
  /** LVMCluster (default StorageClass). */
  STORAGE: 4,
  /** Registry credentials Job (the registry Deployment mounts its Secret). */
  CREDENTIALS: 5,
  /** HTTPD and registry: PVCs, Deployments, Services, Routes (PVCs bind when their pod is scheduled). */
  SERVICES: 6,
  /** RHCOS download and registry CA trust Jobs. */
  CONTENT: 7,
  /** Global pull secret merge Job. */
  PULL_SECRET: 8,
  /** oc-mirror Job. */
  MIRROR: 9,
  /** Disconnected switch: mirror sets, OperatorHub default sources off, image.config trusted CA. */
  DISCONNECT: 10,
  /** Mirrored CatalogSources (after the defaults are disabled, so they may take the default names). */
  CATALOG: 11,
  /** MCE / ACM OperatorGroup and Subscription. */
  MCE_OPERATOR: 12,
  /** MultiClusterEngine / MultiClusterHub. */
  MCE: 13,
  /** Assisted Service: AgentServiceConfig and its ConfigMap, metal3 Provisioning. */
  ASSISTED: 14,
} as const;

/** Sets the sync wave of an object (the only place that writes the annotation). */
export function setWave(obj: ApiObject, wave: number): void {
  obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
}
