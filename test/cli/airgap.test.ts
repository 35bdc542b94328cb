/**
 * The air-gap closure rules on hand-made objects: how a mirror-ref registries.conf reads, and which rendered Jobs
 * prove that an edge cluster's pull secret holds the mirror credentials.
 */
import { checkAirgap, imageSetRepositories, registriesConfRules } from '../../cli/verify/airgap';
import type { LocatedObject } from '../../cli/verify/invariants';

const MIRROR = 'mirror.example.com:5000';
const at = (obj: unknown, target = 'hub'): LocatedObject => ({ obj, file: 'f.yaml', target, bytes: 1 });

/** An edge `e1` that runs one Job from the mirror, its mirror sets, and the hub's image set; no credentials proof. */
function fleet(): LocatedObject[] {
  return [
    at({ kind: 'ConfigMap', metadata: { name: 'imageset-config', namespace: 'ztpfw-hub' }, data: { 'imageset-config.yaml': 'mirror:\n  additionalImages:\n    - name: registry.redhat.io/openshift4/ose-tools-rhel9:v4.14\n' } }),
    at({ kind: 'ClusterDeployment', metadata: { name: 'e1', namespace: 'e1' }, spec: { pullSecretRef: { name: 'assisted-deployment-pull-secret' } } }),
    at({ kind: 'ImageDigestMirrorSet', metadata: { name: 'm' }, spec: { imageDigestMirrors: [{ source: 'registry.redhat.io', mirrors: [MIRROR] }] } }, 'e1'),
    at({ kind: 'ImageTagMirrorSet', metadata: { name: 'm' }, spec: { imageTagMirrors: [{ source: 'registry.redhat.io', mirrors: [MIRROR] }] } }, 'e1'),
    at({ kind: 'Job', metadata: { name: 'work', namespace: 'w' }, spec: { template: { spec: { serviceAccountName: 'work', containers: [{ name: 'c', image: 'registry.redhat.io/openshift4/ose-tools-rhel9:v4.14' }] } } } }, 'e1'),
  ];
}

/** A Job on `target` whose ServiceAccount may patch the Secret `namespace/name`. */
function secretWriter(target: string, namespace: string, name: string): LocatedObject[] {
  return [
    at({ kind: 'Job', metadata: { name: 'fill', namespace: 'jobs' }, spec: { template: { spec: { serviceAccountName: 'fill', containers: [{ name: 'c', image: 'registry.redhat.io/openshift4/ose-tools-rhel9:v4.14' }] } } } }, target),
    at({ kind: 'Role', metadata: { name: 'fill', namespace }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch'], resourceNames: [name] }] }, target),
    at({ kind: 'RoleBinding', metadata: { name: 'fill', namespace }, roleRef: { kind: 'Role', name: 'fill' }, subjects: [{ kind: 'ServiceAccount', name: 'fill', namespace: 'jobs' }] }, target),
  ];
}

const credentialFindings = (objects: LocatedObject[]) => checkAirgap(objects, { hub: 'hub' }).filter((f) => /credentials/.test(f.message));

describe('air-gap closure rules', () => {
  test('mirror-ref registries.conf entries become digest-only rules, mirrors included', () => {
    const text = 'unqualified-search-registries = ["registry.access.redhat.com"]\n\n[[registry]]\nprefix = ""\nlocation = "quay.io/openshift-release-dev/ocp-release"\nmirror-by-digest-only = false\n\n[[registry.mirror]]\nlocation = "m:5000/openshift/release-images"\n';
    expect(registriesConfRules(text, 'x')).toStrictEqual([{ source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['m:5000/openshift/release-images'], digestOnly: true, from: 'x' }]);
  });

  test('an image set holds its additional images, catalogs and, with a release, the release payload repositories', () => {
    const repos = imageSetRepositories({ mirror: { platform: { release: 'quay.io/openshift-release-dev/ocp-release@sha256:ab' }, operators: [{ catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.14' }], additionalImages: [{ name: 'docker.io/registry:2' }] } });
    expect([...repos].sort()).toStrictEqual(['docker.io/library/registry', 'quay.io/openshift-release-dev/ocp-release', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'registry.redhat.io/redhat/redhat-operator-index']);
  });

  test('an edge whose pull secret nothing fills is a finding (every air-gap finding is an error)', () => {
    expect(credentialFindings(fleet())).toStrictEqual([
      { message: `e1 pulls from ${MIRROR}, but no rendered Job provably writes the mirror credentials into its pull secret (openshift-config/pull-secret or the install pull secret in its hub namespace)` },
    ]);
  });

  test.each([
    ['a Job on the edge that may patch openshift-config/pull-secret', secretWriter('e1', 'openshift-config', 'pull-secret')],
    ['a hub Job that may patch the install pull secret in the cluster namespace', secretWriter('hub', 'e1', 'assisted-deployment-pull-secret')],
  ])('proven by %s', (_name, writer) => {
    expect(credentialFindings([...fleet(), ...writer])).toStrictEqual([]);
  });

  test('a Job that may only read the Secret proves nothing', () => {
    const reader = secretWriter('e1', 'openshift-config', 'pull-secret').map((o) => (o.obj.kind === 'Role' ? at({ ...o.obj, rules: [{ ...o.obj.rules[0], verbs: ['get'] }] }, 'e1') : o));
    expect(credentialFindings([...fleet(), ...reader])).toHaveLength(1);
  });
});
