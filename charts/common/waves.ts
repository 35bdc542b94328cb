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

/** Sets the sync wave of an object (the only place that writes the annotation). */
export function setWave(obj: ApiObject, wave: number): void {
  obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
}
