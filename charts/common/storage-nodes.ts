/**
 * Which nodes of an edge cluster carry its storage, in one place: the storage bundle builds LocalVolumes and the
 * ODF StorageCluster from it, and the install family labels the same nodes for ODF at install time (node labels
 * cannot be owned by a day-2 manifest: a Node object in a Policy or ManifestWork would fight the kubelet for it).
 */
import type { EdgeCluster, EdgeNode } from '../../model/types';

/** The node label ODF (ocs-operator) schedules its daemons and OSDs on. */
export const ODF_NODE_LABEL = 'cluster.ocs.openshift.io/openshift-storage';

/**
 * BareMetalHost annotation prefix that BMAC copies into `Agent.spec.nodeLabels`; the assisted installer applies
 * those labels when the node joins (`bmac.agent-install.openshift.io.node-label.<label key>: <value>`).
 */
export const BMAC_NODE_LABEL_PREFIX = 'bmac.agent-install.openshift.io.node-label.';

/** Minimum number of ODF nodes: Ceph keeps three replicas on three different hosts. */
export const ODF_MIN_NODES = 3;

/** The cluster has the storage bundle enabled. */
export function storageEnabled(cluster: Pick<EdgeCluster, 'day2Bundles'>): boolean {
  return cluster.day2Bundles.includes('storage');
}

/** Nodes whose listed storage disks the bundle wipes and hands to LVMS or LSO: every node that lists one. */
export function storageNodes(cluster: Pick<EdgeCluster, 'nodes'>): EdgeNode[] {
  return cluster.nodes.filter((n) => n.storageDisks.length > 0);
}

/**
 * Nodes that run Ceph (compact / 3+N with the storage bundle): every node with storage disks, workers included,
 * so a worker's disks add capacity instead of lying idle. Empty on SNO (MCG only, no Ceph) and without the bundle.
 */
export function odfNodes(cluster: Pick<EdgeCluster, 'nodes' | 'topology' | 'day2Bundles'>): EdgeNode[] {
  if (cluster.topology === 'sno' || !storageEnabled(cluster)) return [];
  return storageNodes(cluster);
}

/** Node labels a node gets at install time for the storage bundle (`{}` when it takes no part in ODF). */
export function storageNodeLabels(cluster: Pick<EdgeCluster, 'nodes' | 'topology' | 'day2Bundles'>, node: EdgeNode): Record<string, string> {
  return odfNodes(cluster).some((n) => n.key === node.key) ? { [ODF_NODE_LABEL]: '' } : {};
}
