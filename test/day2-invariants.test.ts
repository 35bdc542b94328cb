import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDay2 } from './support/day2';
import { REPO_ROOT, renderFleet } from './support/render';

const inputs = ['clusters', ...fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)];

const mc = (name: string) => ({ apiVersion: 'cluster.open-cluster-management.io/v1', kind: 'ManagedCluster', metadata: { name, labels: { name } } });
const placement = (cluster: string, values = [cluster]) => ({
  apiVersion: 'cluster.open-cluster-management.io/v1beta1', kind: 'Placement',
  metadata: { name: `${cluster}-day2`, namespace: 'p', labels: { 'ztpfw.io/cluster': cluster } },
  spec: { predicates: [{ requiredClusterSelector: { labelSelector: { matchExpressions: [{ key: 'name', operator: 'In', values }] } } }] },
});
const pol = (name: string, cluster: string, deps: string[] = []) => ({
  apiVersion: 'policy.open-cluster-management.io/v1', kind: 'Policy',
  metadata: { name, namespace: 'p', labels: { 'ztpfw.io/cluster': cluster } },
  spec: { dependencies: deps.map((d) => ({ apiVersion: 'policy.open-cluster-management.io/v1', kind: 'Policy', name: d, namespace: 'p', compliance: 'Compliant' })) },
});
const binding = (cluster: string, subjects: string[]) => ({
  apiVersion: 'policy.open-cluster-management.io/v1', kind: 'PlacementBinding',
  metadata: { name: `${cluster}-b`, namespace: 'p' },
  placementRef: { apiGroup: 'cluster.open-cluster-management.io', kind: 'Placement', name: `${cluster}-day2` },
  subjects: subjects.map((name) => ({ apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name })),
});

describe('day-2 delivery invariants', () => {
  test.each(inputs)('%s: every policy bound and placed on its cluster only, dependencies acyclic, works in cluster namespaces', (input) => {
    const { objects } = renderFleet(input);
    expect(checkDay2(objects.map((o) => o.obj))).toStrictEqual([]);
  });

  test('the policy-delivery example really renders policies, bindings and placements', () => {
    const kinds = renderFleet('examples/policy-delivery.yaml').objects.map((o) => o.obj.kind);
    expect(kinds).toContain('Placement');
    expect(kinds).toContain('ManagedClusterSetBinding');
  });

  test('finds each kind of problem', () => {
    const objects = [
      mc('a'), mc('b'),
      placement('a'), placement('b', ['a', 'b']),
      pol('a-x-1', 'a', ['a-x-2']), pol('a-x-2', 'a', ['a-x-1']), pol('a-y-1', 'a', ['missing']), pol('b-x-1', 'b'), pol('lonely', 'a'),
      binding('a', ['a-x-1', 'a-x-2', 'a-y-1', 'ghost']), binding('b', ['b-x-1']),
      { apiVersion: 'work.open-cluster-management.io/v1', kind: 'ManifestWork', metadata: { name: 'w', namespace: 'nowhere' } },
    ];
    expect(checkDay2(objects)).toStrictEqual([
      'Placement p/b-day2 selects [a, b], expected exactly [b]',
      'PlacementBinding p/a-b binds a missing Policy ghost',
      'Policy p/b-x-1 for cluster b is placed on [a, b]',
      'Policy p/lonely is not bound to any Placement',
      'Policy p/a-y-1 depends on a missing Policy p/missing',
      'Policy dependency cycle: p/a-x-1 → p/a-x-2 → p/a-x-1',
      'ManifestWork nowhere/w is not in the namespace of a ManagedCluster',
    ]);
  });
});
