import * as path from 'node:path';
import { checkReferences, K8sObject } from '../support/references';
import { EXAMPLES, ROOT, externalSecrets, get, render } from './install-support';

const INPUTS = [...EXAMPLES.map((e) => path.join(ROOT, 'examples', e)), path.join(ROOT, 'clusters')];

describe('every reference of the rendered install manifests resolves', () => {
  test.each(INPUTS)('%s', (input) => {
    const { fleet, objects } = render(input);
    expect(objects.filter((o) => o.kind === 'AgentClusterInstall')).toHaveLength(fleet.clusters.length);
    expect(checkReferences(objects, { external: externalSecrets(fleet) })).toStrictEqual([]);
  });

  test('the ClusterImageSet comes from the hub bundle, not the cluster folder', () => {
    const { objects } = render(path.join(ROOT, 'clusters'));
    const sets = objects.filter((o) => o.kind === 'ClusterImageSet') as (K8sObject & { file: string })[];
    expect(sets.map((s) => s.file)).toStrictEqual(['hub/clusterimageset-openshift-v4.14.25.yaml']);
  });
});

/** Each check must be able to fail: break one reference at a time and expect exactly that finding. */
describe('the reference checker catches broken references', () => {
  const base = render(path.join(ROOT, 'examples/three-plus-one.yaml'));
  const external = externalSecrets(base.fleet);
  const mutate = (kind: string, name: string, change: (o: K8sObject) => K8sObject): K8sObject[] =>
    base.objects.map((o) => (o.kind === kind && o.metadata.name === name ? change(structuredClone(o)) : o));
  const withSpec = (o: K8sObject, spec: object): K8sObject => ({ ...o, spec: { ...o.spec, ...spec } });

  test('a BMH boot MAC missing from its NMStateConfig', () => {
    const objs = mutate('BareMetalHost', 'ztpfw-edgecluster1-master-1', (o) => withSpec(o, { bootMACAddress: 'aa:bb:cc:dd:ee:ff' }));
    expect(checkReferences(objs, { external })).toStrictEqual([
      expect.stringMatching(/^BareMetalHost edgecluster1\/ztpfw-edgecluster1-master-1: boot MAC aa:bb:cc:dd:ee:ff is not among/),
    ]);
  });

  test('an NMState selector that misses nodes, and one that reaches into another cluster', () => {
    const misses = mutate('InfraEnv', 'edgecluster1', (o) => withSpec(o, { nmStateConfigLabelSelector: { matchLabels: { 'nmstate-label': 'other' } } }));
    expect(checkReferences(misses, { external }).join('\n')).toMatch(/nmStateConfigLabelSelector misses NMStateConfig edgecluster1\/ztpfw-edgecluster1-master-0/);
    const stray: K8sObject = { ...get(base.objects, 'NMStateConfig', 'ztpfw-edgecluster1-master-0'), metadata: { name: 'x', namespace: 'elsewhere', labels: { 'nmstate-label': 'edgecluster1' } } };
    expect(checkReferences([...base.objects, stray], { external }).join('\n')).toMatch(/also selects NMStateConfig elsewhere\/x of another namespace/);
  });

  test('agent counts that do not match the hosts', () => {
    const objs = mutate('AgentClusterInstall', 'edgecluster1', (o) => withSpec(o, { provisionRequirements: { controlPlaneAgents: 3 } }));
    expect(checkReferences(objs, { external })).toStrictEqual(['AgentClusterInstall edgecluster1/edgecluster1: workerAgents is 0 but 1 worker BareMetalHost(s) boot into its InfraEnv']);
  });

  test('an image set, config map, pull secret or BMC secret that does not exist', () => {
    const noHub = base.objects.filter((o) => o.kind !== 'ClusterImageSet');
    expect(checkReferences(noHub, { external })).toStrictEqual([
      'AgentClusterInstall edgecluster1/edgecluster1: spec.imageSetRef names ClusterImageSet openshift-v4.14.25, which is neither rendered nor declared external',
    ]);
    const noCm = base.objects.filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name.endsWith('-extra-manifests')));
    expect(checkReferences(noCm, { external })).toStrictEqual([expect.stringMatching(/manifestsConfigMapRef names ConfigMap edgecluster1\/edgecluster1-extra-manifests/)]);
    const problems = checkReferences(base.objects, { external: [] });
    expect(problems.filter((p) => p.includes('assisted-deployment-pull-secret'))).toHaveLength(2);
    expect(problems.filter((p) => p.includes('spec.bmc.credentialsName'))).toHaveLength(4);
  });

  test('ACI and ClusterDeployment that do not point at each other, and an InfraEnv without its cluster', () => {
    const cd = mutate('ClusterDeployment', 'edgecluster1', (o) => withSpec(o, { clusterInstallRef: { ...o.spec.clusterInstallRef, name: 'other' } }));
    expect(checkReferences(cd, { external }).join('\n')).toMatch(/its ClusterDeployment edgecluster1 has clusterInstallRef/);
    const ie = mutate('InfraEnv', 'edgecluster1', (o) => withSpec(o, { clusterRef: { name: 'gone', namespace: 'edgecluster1' } }));
    expect(checkReferences(ie, { external }).join('\n')).toMatch(/spec.clusterRef names ClusterDeployment edgecluster1\/gone/);
  });

  test('a BMH whose infraenv label names no InfraEnv', () => {
    const objs = mutate('BareMetalHost', 'ztpfw-edgecluster1-worker-0', (o) => ({ ...o, metadata: { ...o.metadata, labels: { 'infraenvs.agent-install.openshift.io': 'nope' } } }));
    const problems = checkReferences(objs, { external });
    expect(problems).toContain('BareMetalHost edgecluster1/ztpfw-edgecluster1-worker-0: label infraenvs.agent-install.openshift.io names InfraEnv edgecluster1/nope, which is neither rendered nor declared external');
  });
});
