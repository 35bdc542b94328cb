import { App, Testing } from 'cdk8s';
import * as path from 'node:path';
import { deliveryFamily } from '../../charts/delivery';
import { loadFleet } from '../../model/loader';
import type { Fleet } from '../../model/types';

const ROOT = path.resolve(__dirname, '../..');

function withDelivery(mode: 'policy' | 'manifestwork'): Fleet {
  const fleet = loadFleet(path.join(ROOT, 'clusters')).fleet!;
  return { ...fleet, clusters: fleet.clusters.map((c, i) => ({ ...c, day2Delivery: i === 0 ? mode : 'manifestwork' })) };
}

function synthAll(app: App) {
  return app.charts.flatMap((c) => Testing.synth(c).map((o) => ({ dir: (c as unknown as { outputDir: string }).outputDir, ...o })));
}

describe('delivery family', () => {
  test('renders nothing when every cluster uses ManifestWorks', () => {
    const app = Testing.app();
    deliveryFamily(app, withDelivery('manifestwork'));
    expect(app.charts).toHaveLength(0);
  });

  test('policy mode: one policy namespace bound to the global set, and a placement selecting only that cluster', () => {
    const fleet = withDelivery('policy');
    const app = Testing.app();
    deliveryFamily(app, fleet);
    const objs = synthAll(app);
    const name = fleet.clusters[0].name;
    expect(objs.map((o) => [o.dir, o.kind, o.metadata.name])).toStrictEqual([
      ['hub/day2', 'Namespace', 'ztpfw-day2'],
      ['hub/day2', 'ManagedClusterSetBinding', 'global'],
      [`clusters/${name}/day2`, 'Placement', `${name}-day2`],
    ]);
    const placement = objs[2];
    expect(placement.spec.predicates).toStrictEqual([{ requiredClusterSelector: { labelSelector: { matchExpressions: [{ key: 'name', operator: 'In', values: [name] }] } } }]);
    expect(placement.spec.clusterSets).toStrictEqual(['global']);
    expect(placement.spec.tolerations.map((t: { key: string }) => t.key)).toStrictEqual(['cluster.open-cluster-management.io/unreachable', 'cluster.open-cluster-management.io/unavailable']);
    expect(objs[1].spec).toStrictEqual({ clusterSet: 'global' });
  });
});
