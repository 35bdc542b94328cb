/**
 * The Secrets a fleet needs on the hub but never renders: one pull secret per cluster namespace and one BMC Secret
 * per node. `ztpfw secrets` produces them; the reference checks accept exactly these as external.
 */
import type { EdgeCluster, EdgeNode, Fleet } from './types';

export interface OutOfBandSecret {
  readonly kind: 'pull-secret' | 'bmc';
  readonly cluster: EdgeCluster;
  /** The cluster namespace on the hub. */
  readonly namespace: string;
  readonly name: string;
  /** The node whose BMC the Secret opens (BMC Secrets only). */
  readonly node?: EdgeNode;
  /** `external` = named by `bmc_secret` and created by someone else: `ztpfw secrets` leaves it alone. */
  readonly source: 'generated' | 'external';
}

export function outOfBandSecrets(fleet: Fleet): OutOfBandSecret[] {
  const out: OutOfBandSecret[] = [];
  for (const cluster of fleet.clusters) {
    out.push({ kind: 'pull-secret', cluster, namespace: cluster.name, name: cluster.pullSecretName, source: 'generated' });
    for (const node of cluster.nodes) {
      out.push({
        kind: 'bmc', cluster, namespace: cluster.name, name: node.bmc.secretName, node,
        source: node.bmc.source === 'external' ? 'external' : 'generated',
      });
    }
  }
  return out;
}
