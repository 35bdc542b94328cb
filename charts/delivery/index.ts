/**
 * What day-2 delivery needs besides the bundles themselves. Policy mode: the hub namespace of the Policies, bound to
 * the `global` ManagedClusterSet, and one Placement per cluster that selects exactly that cluster by name.
 * ManifestWork mode needs nothing more: the works live in the cluster's own namespace.
 */
import { App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as ocm from '../../imports/ocm-cluster';
import type { EdgeCluster, Fleet } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { CLUSTER_NAME_LABEL, deliveredBundles, placementName, POLICY_CLUSTER_SET, POLICY_NAMESPACE } from '../common/day2';
import { deliversDay2 } from '../common/lifecycle';
import { setWave, Wave } from '../common/waves';

/** The fleet-wide policy namespace and its cluster-set binding, in `dist/hub/day2/`. */
export class PolicyNamespaceChart extends ZtpChart {
  constructor(scope: App) {
    super(scope, 'day2-policies', { outputDir: 'hub/day2' });
    const ns = new k8s.KubeNamespace(this, 'namespace', { metadata: { name: POLICY_NAMESPACE, labels: { 'ztpfw.io/role': 'day2-policies' } } });
    setWave(ns, Wave.NAMESPACE);
    const binding = new ocm.ManagedClusterSetBinding(this, 'binding', {
      metadata: { name: POLICY_CLUSTER_SET, namespace: POLICY_NAMESPACE },
      spec: { clusterSet: POLICY_CLUSTER_SET },
    });
    setWave(binding, Wave.CONFIG);
  }
}

/** The Placement of one cluster's day-2 Policies, in `dist/clusters/<cluster>/day2/`. */
export class ClusterPlacementChart extends ZtpChart {
  constructor(scope: App, cluster: EdgeCluster) {
    super(scope, `day2-placement-${cluster.name}`, { outputDir: `clusters/${cluster.name}/day2` });
    const placement = new ocm.Placement(this, 'placement', {
      metadata: { name: placementName(cluster.name), namespace: POLICY_NAMESPACE, labels: { 'ztpfw.io/cluster': cluster.name } },
      spec: {
        clusterSets: [POLICY_CLUSTER_SET],
        predicates: [{
          requiredClusterSelector: {
            labelSelector: { matchExpressions: [{ key: CLUSTER_NAME_LABEL, operator: 'In', values: [cluster.name] }] },
          },
        }],
        // keep enforcing through the factory's reboots and network moves instead of dropping the decision
        tolerations: [
          { key: 'cluster.open-cluster-management.io/unreachable', operator: 'Exists' },
          { key: 'cluster.open-cluster-management.io/unavailable', operator: 'Exists' },
        ],
      },
    });
    setWave(placement, Wave.DAY2);
  }
}

/**
 * Sees the whole fleet: the policy namespace stays while any policy-mode cluster exists in any lifecycle state (a
 * cluster being installed or detached must not make it come and go); Placements only for clusters being configured.
 */
export function deliveryFamily(app: App, fleet: Fleet): void {
  // a bundle from contrib (GPU) counts: its Policies need the namespace and the Placement as much as any other
  const policyClusters = fleet.clusters.filter((c) => c.day2Delivery === 'policy' && deliveredBundles(c).length > 0);
  if (policyClusters.length === 0) return;
  new PolicyNamespaceChart(app);
  for (const c of policyClusters.filter(deliversDay2)) new ClusterPlacementChart(app, c);
}
