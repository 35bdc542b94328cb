import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkCertificate, generateCertificates } from '../src/server/certs.js';
import { KubeError, userKube, type Kube } from '../src/server/kube.js';
import { applyAddresses, readAddresses } from '../src/server/steps/addresses.js';
import { deleteKubeadmin, readOperators, readSetup, readSshKey, recordSetup, settled } from '../src/server/steps/cluster.js';
import { applyDomain, readDomain } from '../src/server/steps/domain.js';
import { ensureUser, parseHtpasswd, passwordMatches, readUsers } from '../src/server/steps/identity.js';
import { InputError } from '../src/server/steps/result.js';
import type { FakeCluster } from './fake/cluster.js';
import { DOMAIN, INTERNAL_NETWORK, startFake } from './support.js';

let fake: FakeCluster;
let kube: Kube;
beforeEach(async () => {
  ({ fake, kube } = await startFake());
});
afterEach(async () => {
  await fake.stop();
});

const secretText = (name: string, ns: string, key: string) => Buffer.from(fake.get('v1', 'Secret', name, ns)!.data[key], 'base64').toString();

describe('step user (htpasswd identity provider + cluster-admin)', () => {
  test('creates the Secret, the identity provider and the binding, keeping other providers', async () => {
    const oauth = fake.get('config.openshift.io/v1', 'OAuth', 'cluster')!;
    fake.put({ ...oauth, spec: { identityProviders: [{ name: 'corp-ldap', type: 'LDAP', mappingMethod: 'claim', ldap: { url: 'ldap://x' } }] } });
    const r = await ensureUser(kube, { username: 'site-admin', password: 'Str0ng-pass' });
    expect(r.changed).toEqual(['Secret openshift-config/ztpfw-htpasswd-secret', 'identity provider ztpfw-htpasswd-idp', 'ClusterRoleBinding ztpfw-cluster-admin-site-admin']);
    const lines = parseHtpasswd(secretText('ztpfw-htpasswd-secret', 'openshift-config', 'htpasswd'));
    expect(lines.map((l) => l.user)).toEqual(['site-admin']);
    expect(lines[0].hash).toMatch(/^\$2y\$10\$/);
    expect(passwordMatches('Str0ng-pass', lines[0].hash)).toBe(true);
    expect(fake.get('config.openshift.io/v1', 'OAuth', 'cluster')!.spec.identityProviders).toEqual([
      { name: 'corp-ldap', type: 'LDAP', mappingMethod: 'claim', ldap: { url: 'ldap://x' } },
      { name: 'ztpfw-htpasswd-idp', mappingMethod: 'claim', type: 'HTPasswd', htpasswd: { fileData: { name: 'ztpfw-htpasswd-secret' } } },
    ]);
    const crb = fake.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'ztpfw-cluster-admin-site-admin')!;
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(crb.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'site-admin' }]);
    expect(await readUsers(kube)).toEqual(['site-admin']);
  });

  test('a second run with the same input changes nothing; a new password replaces only that user', async () => {
    await ensureUser(kube, { username: 'site-admin', password: 'Str0ng-pass' });
    await ensureUser(kube, { username: 'other', password: 'An0ther-pass' });
    const before = fake.writes.length;
    expect((await ensureUser(kube, { username: 'site-admin', password: 'Str0ng-pass' })).changed).toEqual([]);
    expect(fake.writes.length).toBe(before);
    expect((await ensureUser(kube, { username: 'site-admin', password: 'N3w-password' })).changed).toEqual(['Secret openshift-config/ztpfw-htpasswd-secret']);
    const lines = parseHtpasswd(secretText('ztpfw-htpasswd-secret', 'openshift-config', 'htpasswd'));
    expect(lines.map((l) => l.user)).toEqual(['other', 'site-admin']);
    expect(passwordMatches('N3w-password', lines[1].hash)).toBe(true);
    expect(passwordMatches('An0ther-pass', lines[0].hash)).toBe(true);
  });

  test('bad input is refused before anything is written', async () => {
    const before = fake.writes.length;
    await expect(ensureUser(kube, { username: 'Admin!', password: 'short' })).rejects.toBeInstanceOf(InputError);
    await expect(ensureUser(kube, { username: 'kubeadmin', password: 'Str0ng-pass' })).rejects.toThrow(/reserved/);
    expect(fake.writes.length).toBe(before);
  });

  test('a binding of the same name that grants something else is reported, not overwritten', async () => {
    fake.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ztpfw-cluster-admin-site-admin' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [] });
    await expect(ensureUser(kube, { username: 'site-admin', password: 'Str0ng-pass' })).rejects.toThrow(/does not grant cluster-admin/);
  });
});

describe('step addresses (our MetalLB pools and Services)', () => {
  test('reads the addresses the metallb bundle rendered', async () => {
    expect(await readAddresses(kube)).toEqual({ api: { configured: '10.20.0.5', assigned: '10.20.0.5' }, ingress: { configured: '10.20.0.6', assigned: '10.20.0.6' } });
  });

  test('moves both addresses by editing the rendered v1beta1 pools; MetalLB reassigns the Services', async () => {
    const r = await applyAddresses(kube, { api: '10.30.0.10', ingress: '10.30.0.11' }, INTERNAL_NETWORK);
    expect(r.changed).toEqual(['IPAddressPool metallb/api-public-ip', 'IPAddressPool metallb/ingress-public-ip']);
    expect(fake.get('metallb.io/v1beta1', 'IPAddressPool', 'api-public-ip', 'metallb')!.spec).toEqual({ addresses: ['10.30.0.10/32'], autoAssign: false });
    expect(fake.get('metallb.io/v1beta1', 'IPAddressPool', 'ingress-public-ip', 'metallb')!.spec).toEqual({ addresses: ['10.30.0.11/32'], autoAssign: false });
    expect(fake.list('AddressPool')).toEqual([]);
    await fake.settle();
    expect(await readAddresses(kube)).toEqual({ api: { configured: '10.30.0.10', assigned: '10.30.0.10' }, ingress: { configured: '10.30.0.11', assigned: '10.30.0.11' } });
    expect((await applyAddresses(kube, { api: '10.30.0.10', ingress: '10.30.0.11' }, INTERNAL_NETWORK)).changed).toEqual([]);
  });

  test('gives the API the old ingress address: the ingress pool moves first (pools may not overlap)', async () => {
    await applyAddresses(kube, { api: '10.20.0.6', ingress: '10.20.0.7' }, INTERNAL_NETWORK);
    expect(fake.writes.filter((w) => w.includes('IPAddressPool'))).toEqual(['patch IPAddressPool metallb/ingress-public-ip', 'patch IPAddressPool metallb/api-public-ip']);
  });

  test('a swap is refused with an explanation, nothing written', async () => {
    const before = fake.writes.length;
    await expect(applyAddresses(kube, { api: '10.20.0.6', ingress: '10.20.0.5' }, INTERNAL_NETWORK)).rejects.toThrow(/Swapping/);
    expect(fake.writes.length).toBe(before);
  });

  test('validation: IPv4, outside the internal network, distinct', async () => {
    const err = await applyAddresses(kube, { api: '192.168.7.50', ingress: '10.0.0.300' }, INTERNAL_NETWORK).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.problems).toEqual([
      "The API address 192.168.7.50 is inside the cluster's internal network 192.168.7.0/24; use an address of the network the site reaches the cluster on.",
      'The ingress address must be an IPv4 address such as 10.0.0.10.',
    ]);
    await expect(applyAddresses(kube, { api: '10.1.1.1', ingress: '10.1.1.1' }, INTERNAL_NETWORK)).rejects.toThrow(/must differ/);
  });

  test('recreates missing objects in the rendered shape and clears a loadBalancerIP the original UI left', async () => {
    fake.objects.delete(fake.key('metallb.io/v1beta1', 'IPAddressPool', 'metallb', 'api-public-ip'));
    fake.objects.delete(fake.key('metallb.io/v1beta1', 'L2Advertisement', 'metallb', 'api-public-ip'));
    const svc = fake.get('v1', 'Service', 'metallb-ingress', 'openshift-ingress')!;
    fake.put({ ...svc, metadata: { ...svc.metadata, annotations: { 'metallb.universe.tf/address-pool': 'ztpfw-ingress-x1' } }, spec: { ...svc.spec, loadBalancerIP: '10.20.0.6' } });
    const r = await applyAddresses(kube, { api: '10.20.0.5', ingress: '10.20.0.6' }, INTERNAL_NETWORK);
    expect(r.changed).toEqual(['IPAddressPool metallb/api-public-ip', 'L2Advertisement metallb/api-public-ip', 'Service openshift-ingress/metallb-ingress']);
    expect(fake.get('metallb.io/v1beta1', 'L2Advertisement', 'api-public-ip', 'metallb')!.spec).toEqual({ ipAddressPools: ['api-public-ip'], interfaces: ['br-ex'] });
    const fixed = fake.get('v1', 'Service', 'metallb-ingress', 'openshift-ingress')!;
    expect(fixed.spec.loadBalancerIP).toBeUndefined();
    expect(fixed.metadata.annotations).toEqual({ 'metallb.universe.tf/address-pool': 'ingress-public-ip' });
  });
});

describe('step domain (certificates, API named certificate, component routes, UI route)', () => {
  const NEW = 'edge.customer.example';

  test('Automatic: generates and wires everything, keeping unrelated entries; a retry changes nothing', async () => {
    const api = fake.get('config.openshift.io/v1', 'APIServer', 'cluster')!;
    fake.put({ ...api, spec: { ...api.spec, servingCerts: { namedCertificates: [{ names: ['api.other.example'], servingCertificate: { name: 'site-cert' } }] } } });
    expect(await readDomain(kube)).toEqual({ installed: DOMAIN, current: DOMAIN });
    const r = await applyDomain(kube, { domain: NEW });
    expect(r.redirect).toBe(`https://edge-cluster-setup.apps.${NEW}`);
    expect(r.changed).toEqual([
      'Secret openshift-config/ztpfw-api-cert',
      'Secret openshift-config/ztpfw-ingress-cert',
      'ConfigMap ztpfw-ui/ztpfw-ui-trust',
      'Route ztpfw-ui/ztpfw-ui-domain',
      'OAuthClient ztpfwoauth',
      'APIServer cluster',
      'Ingress cluster (component routes)',
    ]);
    expect(fake.get('config.openshift.io/v1', 'APIServer', 'cluster')!.spec.servingCerts.namedCertificates).toEqual([
      { names: ['api.other.example'], servingCertificate: { name: 'site-cert' } },
      { names: [`api.${NEW}`], servingCertificate: { name: 'ztpfw-api-cert' } },
    ]);
    expect(fake.get('config.openshift.io/v1', 'Ingress', 'cluster')!.spec.componentRoutes).toEqual([
      { name: 'console', namespace: 'openshift-console', hostname: `console-openshift-console.apps.${NEW}`, servingCertKeyPairSecret: { name: 'ztpfw-ingress-cert' } },
      { name: 'downloads', namespace: 'openshift-console', hostname: `downloads-openshift-console.apps.${NEW}`, servingCertKeyPairSecret: { name: 'ztpfw-ingress-cert' } },
      { name: 'oauth-openshift', namespace: 'openshift-authentication', hostname: `oauth-openshift.apps.${NEW}`, servingCertKeyPairSecret: { name: 'ztpfw-ingress-cert' } },
    ]);
    const crt = secretText('ztpfw-api-cert', 'openshift-config', 'tls.crt');
    const key = secretText('ztpfw-api-cert', 'openshift-config', 'tls.key');
    expect(checkCertificate('api', crt, key, [`api.${NEW}`]).problems).toEqual([]);
    const icrt = secretText('ztpfw-ingress-cert', 'openshift-config', 'tls.crt');
    expect(checkCertificate('ingress', icrt, secretText('ztpfw-ingress-cert', 'openshift-config', 'tls.key'), [`console-openshift-console.apps.${NEW}`, `edge-cluster-setup.apps.${NEW}`]).problems).toEqual([]);
    expect(fake.get('v1', 'Secret', 'ztpfw-api-cert', 'openshift-config')!.type).toBe('kubernetes.io/tls');
    const route = fake.get('route.openshift.io/v1', 'Route', 'ztpfw-ui-domain', 'ztpfw-ui')!;
    expect(route.spec.host).toBe(`edge-cluster-setup.apps.${NEW}`);
    expect(route.spec.tls).toMatchObject({ termination: 'reencrypt', certificate: icrt });
    expect(fake.get('route.openshift.io/v1', 'Route', 'ztpfw-ui', 'ztpfw-ui')!.spec.host).toBe(`edge-cluster-setup.apps.${DOMAIN}`);
    expect(fake.get('oauth.openshift.io/v1', 'OAuthClient', 'ztpfwoauth')!.redirectURIs).toEqual([
      `https://edge-cluster-setup.apps.${DOMAIN}/login/callback`,
      `https://edge-cluster-setup.apps.${NEW}/login/callback`,
    ]);
    const trust = fake.get('v1', 'ConfigMap', 'ztpfw-ui-trust', 'ztpfw-ui')!.data['ca-bundle.crt'] as string;
    expect(trust.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(await readDomain(kube)).toEqual({ installed: DOMAIN, current: NEW });

    const again = await applyDomain(kube, { domain: NEW });
    expect(again.changed).toEqual([]);
    expect(secretText('ztpfw-api-cert', 'openshift-config', 'tls.crt')).toBe(crt);
  });

  test('Manual: an uploaded certificate that does not cover the name is refused before anything is written', async () => {
    const [other] = await generateCertificates('elsewhere.example', [['api.elsewhere.example']]);
    const before = fake.writes.length;
    const err = await applyDomain(kube, { domain: NEW, api: { mode: 'upload', cert: other.cert, key: other.key }, ingress: { mode: 'generate' } }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.problems).toEqual([`API certificate: the certificate does not cover api.${NEW} (its names: api.elsewhere.example).`]);
    expect(fake.writes.length).toBe(before);
  });

  test('Manual: an uploaded certificate is stored as given, its chain trusted', async () => {
    const [mine] = await generateCertificates(NEW, [[`*.apps.${NEW}`]]);
    await applyDomain(kube, { domain: NEW, ingress: { mode: 'upload', cert: mine.cert + mine.ca, key: mine.key } });
    expect(secretText('ztpfw-ingress-cert', 'openshift-config', 'tls.crt')).toBe(mine.cert + mine.ca);
    expect(fake.get('v1', 'ConfigMap', 'ztpfw-ui-trust', 'ztpfw-ui')!.data['ca-bundle.crt']).toContain(mine.ca.trim());
  });

  test('going back to the install domain removes what the change added', async () => {
    await applyDomain(kube, { domain: NEW });
    const r = await applyDomain(kube, { domain: DOMAIN });
    expect(r.changed).toEqual(['Ingress cluster (component routes)', 'APIServer cluster', 'Route ztpfw-ui/ztpfw-ui-domain', 'ConfigMap ztpfw-ui/ztpfw-ui-trust']);
    expect(fake.get('config.openshift.io/v1', 'Ingress', 'cluster')!.spec.componentRoutes).toEqual([]);
    expect(fake.get('config.openshift.io/v1', 'APIServer', 'cluster')!.spec.servingCerts.namedCertificates).toEqual([]);
    expect(fake.get('route.openshift.io/v1', 'Route', 'ztpfw-ui-domain', 'ztpfw-ui')).toBeUndefined();
    expect(await readDomain(kube)).toEqual({ installed: DOMAIN, current: DOMAIN });
  });

  test('a concurrent change of the ingress config is a visible conflict, not a lost update', async () => {
    fake.failNext = { kind: 'Ingress', code: 409, message: 'the object has been modified' };
    await expect(applyDomain(kube, { domain: NEW })).rejects.toThrow(/Could not update Ingress cluster: it was changed meanwhile \(conflict\)/);
    // resumable: the retry completes and the earlier writes are not repeated
    const r = await applyDomain(kube, { domain: NEW });
    expect(r.changed).toEqual(['Ingress cluster (component routes)']);
  });

  test('domain validation', async () => {
    await expect(applyDomain(kube, { domain: 'Bad_Domain' })).rejects.toBeInstanceOf(InputError);
    await expect(applyDomain(kube, { domain: 'localhost' })).rejects.toThrow(/at least two parts/);
  });
});

describe('kubeadmin, SSH key, setup record, operators', () => {
  test('kubeadmin can only be deleted once a user of the identity provider is cluster-admin', async () => {
    await expect(deleteKubeadmin(kube)).rejects.toThrow(/Create your own user first/);
    expect(fake.get('v1', 'Secret', 'kubeadmin', 'kube-system')).toBeDefined();
    await ensureUser(kube, { username: 'site-admin', password: 'Str0ng-pass' });
    expect((await deleteKubeadmin(kube)).changed).toEqual(['Secret kube-system/kubeadmin']);
    expect(fake.get('v1', 'Secret', 'kubeadmin', 'kube-system')).toBeUndefined();
    expect((await deleteKubeadmin(kube)).changed).toEqual([]);
  });

  test('reads the factory SSH key; none is undefined', async () => {
    expect(await readSshKey(kube)).toContain('BEGIN OPENSSH PRIVATE KEY');
    fake.objects.delete(fake.key('v1', 'Secret', 'default', 'cluster-ssh-keypair'));
    expect(await readSshKey(kube)).toBeUndefined();
  });

  test('the setup record is written once', async () => {
    expect(await readSetup(kube)).toBeUndefined();
    const now = new Date('2026-01-02T03:04:05Z');
    expect((await recordSetup(kube, 'kube:admin', now)).changed).toEqual(['ConfigMap ztpfw-ui/ztpfw-ui-setup']);
    expect((await recordSetup(kube, 'kube:admin')).changed).toEqual([]);
    expect(await readSetup(kube)).toEqual({ completed: '2026-01-02T03:04:05.000Z', user: 'kube:admin' });
  });

  test('operators roll out after the identity provider changes, then settle', async () => {
    // a slow controller here, so the rollout is still on when it is read, however loaded the machine is
    await fake.stop();
    ({ fake, kube } = await startFake(2000));
    await ensureUser(kube, { username: 'site-admin', password: 'Str0ng-pass' });
    const [during] = await readOperators(kube, ['authentication']);
    expect(during).toMatchObject({ name: 'authentication', progressing: true });
    expect(settled(during)).toBe(false);
    await fake.settle();
    expect(settled((await readOperators(kube, ['authentication']))[0])).toBe(true);
  });
});

describe('API errors reach the page worded', () => {
  test('a user without rights gets "forbidden" naming the object', async () => {
    const t = fake.issueToken({ username: 'someone', groups: [], admin: false });
    const k = userKube({ server: fake.url, caFile: fake.caFile }, t);
    const err = await k.get({ apiVersion: 'v1', kind: 'Secret', name: 'kubeadmin', namespace: 'kube-system' }).catch((e) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err.message).toMatch(/^Could not read Secret kube-system\/kubeadmin: forbidden/);
  });

  test('an unreachable API server is reported as such', async () => {
    const k = userKube({ server: 'https://127.0.0.1:1', caFile: fake.caFile }, 'x');
    await expect(k.get({ apiVersion: 'v1', kind: 'Secret', name: 'a', namespace: 'b' })).rejects.toThrow(/unreachable/);
  });
});
