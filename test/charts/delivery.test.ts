import { App, Testing } from 'cdk8s';
import * as path from 'node:path';
import { deliveryFamily } from '../../charts/delivery';
import { loadFleet } from '../../model/loader';
import type { Fleet } from '../../model/types';
import { checkDay2 } from '../support/day2';
import { findObject, renderFleet } from '../support/render';

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

describe('a cluster whose only day-2 content is contrib.gpu-operator', () => {
  const fleetYaml = (mode: 'policy' | 'manifestwork') => `
config:
  OC_OCP_VERSION: "4.14.25"
  OC_ACM_VERSION: "2.9"
  OC_ODF_VERSION: "4.14"
  BASE_DOMAIN: factory.example.com
  DISCONNECTED: false
  ACM_ENABLED: true
  DAY2_DELIVERY: ${mode}
edgeclusters:
  - sno-a:
      config: {DAY2_BUNDLES: []}
      contrib: {gpu-operator: {}}
      master0: {nic_ext_dhcp: eno1, mac_ext_dhcp: "3c:ec:ef:a0:01:01", bmc_url: "redfish-virtualmedia://10.20.0.11/redfish/v1/Systems/1", root_disk: /dev/sda, storage_disk: [/dev/sdb]}
`;

  test('policy mode: the GPU Policies get the policy namespace and the Placement they are bound to', () => {
    // WHEN
    const { objects } = renderFleet({ yaml: fleetYaml('policy') });

    // THEN
    const objs = objects.map((o) => o.obj);
    expect(objs.filter((o) => o.kind === 'Policy').map((o) => o.metadata.name).sort()).toStrictEqual(['sno-a-gpu-config', 'sno-a-gpu-operators']);
    expect(findObject(objects, 'Namespace', 'ztpfw-day2').path).toBe('hub/day2/namespace-ztpfw-day2.yaml');
    expect(findObject(objects, 'Placement', 'sno-a-day2', 'ztpfw-day2').path).toBe('clusters/sno-a/day2/placement-sno-a-day2.yaml');
    expect(checkDay2(objs)).toStrictEqual([]);
  });

  test('manifestwork mode: the GPU ManifestWorks need neither', () => {
    // WHEN
    const { objects } = renderFleet({ yaml: fleetYaml('manifestwork') });

    // THEN
    const objs = objects.map((o) => o.obj);
    expect(objs.filter((o) => o.kind === 'ManifestWork').map((o) => o.metadata.name).sort()).toStrictEqual(['ztpfw-gpu-config', 'ztpfw-gpu-operators']);
    expect(objs.filter((o) => o.kind === 'Placement' || (o.kind === 'Namespace' && o.metadata.name === 'ztpfw-day2'))).toStrictEqual([]);
    expect(checkDay2(objs)).toStrictEqual([]);
  });
});
