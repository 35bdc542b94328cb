import { Testing } from 'cdk8s';
import { Day2Bundle, Day2BundleProps, Manifest, placementName, POLICY_NAMESPACE, resourceOf } from '../../charts/common/day2';

const ns: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb' } };
const sub: Manifest = { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription', metadata: { name: 'metallb-operator', namespace: 'metallb' }, spec: { name: 'metallb-operator', channel: 'stable' } };
const cr: Manifest = { apiVersion: 'metallb.io/v1beta1', kind: 'MetalLB', metadata: { name: 'metallb', namespace: 'metallb' } };

function synth(props: Partial<Day2BundleProps> & Pick<Day2BundleProps, 'mode'>) {
  const chart = Testing.chart();
  new Day2Bundle(chart, 'b', {
    cluster: 'edge-1',
    bundle: 'metallb',
    stages: [{ name: 'operator', manifests: [ns, sub], feedbackKinds: ['Subscription'] }, { name: 'config', manifests: [cr] }],
    ...props,
  });
  return Testing.synth(chart);
}

describe('Day2Bundle in policy mode', () => {
  test('one enforced Policy per stage, chained by dependencies, bound to the cluster placement', () => {
    // WHEN
    const out = synth({ mode: 'policy', after: [{ bundle: 'nmstate', stage: 'config' }] });

    // THEN
    const policies = out.filter((o) => o.kind === 'Policy');
    expect(policies.map((p) => [p.metadata.name, p.metadata.namespace])).toStrictEqual([['edge-1-metallb-operator', POLICY_NAMESPACE], ['edge-1-metallb-config', POLICY_NAMESPACE]]);
    expect(policies[0].spec.dependencies).toStrictEqual([{ apiVersion: 'policy.open-cluster-management.io/v1', kind: 'Policy', name: 'edge-1-nmstate-config', namespace: POLICY_NAMESPACE, compliance: 'Compliant' }]);
    expect(policies[1].spec.dependencies).toStrictEqual([{ apiVersion: 'policy.open-cluster-management.io/v1', kind: 'Policy', name: 'edge-1-metallb-operator', namespace: POLICY_NAMESPACE, compliance: 'Compliant' }]);
    const cfg = policies[0].spec['policy-templates'][0].objectDefinition;
    expect(cfg).toStrictEqual({
      apiVersion: 'policy.open-cluster-management.io/v1',
      kind: 'ConfigurationPolicy',
      metadata: { name: 'edge-1-metallb-operator' },
      spec: { remediationAction: 'enforce', severity: 'high', pruneObjectBehavior: 'None', 'object-templates': [{ complianceType: 'musthave', objectDefinition: ns }, { complianceType: 'musthave', objectDefinition: sub }] },
    });
    expect(policies.every((p) => p.spec.remediationAction === 'Enforce' && p.spec.disabled === false)).toBe(true);
    const binding = out.find((o) => o.kind === 'PlacementBinding');
    expect(binding).toMatchObject({
      metadata: { name: 'edge-1-metallb', namespace: POLICY_NAMESPACE },
      placementRef: { apiGroup: 'cluster.open-cluster-management.io', kind: 'Placement', name: placementName('edge-1') },
      subjects: [{ apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name: 'edge-1-metallb-operator' }, { apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name: 'edge-1-metallb-config' }],
    });
    expect(out.every((o) => o.metadata.annotations['argocd.argoproj.io/sync-wave'] === '5')).toBe(true);
  });

  test('refuses names ACM cannot replicate', () => {
    expect(() => synth({ mode: 'policy', cluster: 'c'.repeat(40) })).toThrow(/longer than 63 characters/);
  });
});

describe('Day2Bundle in manifestwork mode', () => {
  test('one ManifestWork per stage in the cluster namespace, orphaning on delete, with status feedback', () => {
    const out = synth({ mode: 'manifestwork' });
    expect(out.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toStrictEqual([
      ['ManifestWork', 'ztpfw-metallb-operator', 'edge-1'],
      ['ManifestWork', 'ztpfw-metallb-config', 'edge-1'],
    ]);
    expect(out[0].spec.workload.manifests).toStrictEqual([ns, sub]);
    expect(out[0].spec.deleteOption).toStrictEqual({ propagationPolicy: 'Orphan' });
    expect(out[0].spec.manifestConfigs).toStrictEqual([{
      resourceIdentifier: { group: 'operators.coreos.com', resource: 'subscriptions', name: 'metallb-operator', namespace: 'metallb' },
      feedbackRules: [{ type: 'WellKnownStatus' }],
    }]);
    expect(out[1].spec.manifestConfigs).toStrictEqual([]);
    expect(out[1].metadata.labels).toStrictEqual({ 'ztpfw.io/cluster': 'edge-1', 'ztpfw.io/bundle': 'metallb', 'ztpfw.io/stage': '1' });
  });

  test('resource names are the plural of the kind', () => {
    expect(['Subscription', 'QuayRegistry', 'NMState', 'Deployment', 'IngressClass'].map(resourceOf)).toStrictEqual(['subscriptions', 'quayregistries', 'nmstates', 'deployments', 'ingressclasses']);
  });
});
