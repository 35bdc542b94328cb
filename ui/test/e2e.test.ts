/**
 * The whole on-site flow in headless Chromium (Debian's, driven by playwright-core) against the real backend and
 * the in-process fake cluster seeded from dist/: login through the OAuth server, the wizard with its validation,
 * Finish setup with progress, the redirect to the new domain, Settings (kubeadmin, addresses, an API failure and
 * its retry), Log out, and the new user's own login. After each part the objects the fake API holds are asserted.
 * Screenshots of each step go to docs/screenshots when UI_SCREENSHOTS=1 (the README shows them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { parseHtpasswd, passwordMatches } from '../src/server/steps/identity.js';
import type { Backend } from './backend.js';
import { useHarness } from './browser.js';
import type { FakeCluster } from './fake/cluster.js';
import { DOMAIN, KUBEADMIN_PASSWORD } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHOTS = process.env.UI_SCREENSHOTS === '1' ? path.resolve(here, '../docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-ui-shots-'));
const NEW_DOMAIN = 'edge.customer.example';

let fake: FakeCluster;
let backend: Backend;
let page: Page;
useHarness((h) => ({ fake, backend, page } = h));

async function shot(name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

const obj = (apiVersion: string, kind: string, name: string, ns?: string) => fake.get(apiVersion, kind, name, ns);

describe('edge cluster setup in a real browser', { timeout: 120_000 }, () => {
  test('kubeadmin logs in through the cluster OAuth server', async () => {
    await page.goto(backend.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to the edge cluster setup' }).isVisible()).toBe(true);
    await shot('01-login');
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.waitForURL(/\/oauth\/authorize/);
    await page.getByLabel('Username').fill('kubeadmin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Login unsuccessful');
    await page.getByLabel('Username').fill('kubeadmin');
    await page.getByLabel('Password').fill(KUBEADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${backend.url}/`);
    await expect.poll(() => page.getByRole('button', { name: 'Continue' }).isVisible()).toBe(true);
    expect(await page.getByText('kube:admin').first().isVisible()).toBe(true);
    await shot('02-welcome');
  });

  test('the wizard: user, password, addresses with validation, domain, certificates, SSH key', async () => {
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Create your user: user name' }).waitFor();
    await page.getByLabel('Username').fill('site-admin');
    await shot('03-username');
    await page.keyboard.press('Enter'); // keyboard submits the step
    await page.getByRole('heading', { name: 'Create your user: password' }).waitFor();
    await page.locator('#password').fill('short');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('The password must have at least 8 characters.').waitFor();
    await page.locator('#password').fill('Str0ng-pass');
    await page.getByLabel('Confirm password').fill('Str0ng-pass');
    await shot('04-password');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'API address' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'API address' }).inputValue()).toBe('10.20.0.5'); // what the factory rendered
    await page.getByRole('textbox', { name: 'API address' }).fill('192.168.7.50');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText("The API address 192.168.7.50 is inside the cluster's internal network 192.168.7.0/24").waitFor();
    expect(await page.getByRole('textbox', { name: 'API address' }).getAttribute('aria-invalid')).toBe('true');
    await shot('05-api-address-invalid');
    await page.getByRole('textbox', { name: 'API address' }).fill('10.30.0.10');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Ingress address' }).waitFor();
    await page.getByRole('textbox', { name: 'Ingress address' }).fill('10.30.0.10');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('The ingress address must differ from the API address.').waitFor();
    await page.getByRole('textbox', { name: 'Ingress address' }).fill('10.30.0.11');
    await shot('06-ingress-address');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Domain (optional)' }).waitFor();
    await page.getByRole('textbox', { name: 'Domain' }).fill(NEW_DOMAIN);
    await shot('07-domain');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Certificates for the new domain' }).waitFor();
    expect(await page.getByLabel('Automatic').isChecked()).toBe(true);
    await page.getByLabel('Manual').check();
    await page.locator('#ingress-cert-upload').check();
    await shot('08-certificates-manual');
    await page.getByLabel('Automatic').check();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Download your private SSH key' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('id_rsa.key');
    expect(fs.readFileSync((await download.path())!, 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');
    await shot('09-ssh-key');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Review and finish' }).waitFor();
    expect(await page.getByRole('definition').allTextContents()).toEqual(['site-admin (cluster-admin)', '10.30.0.10', '10.30.0.11', `${NEW_DOMAIN} (certificates: automatic)`]);
    await shot('10-review');
    // Nothing was written before Finish setup.
    expect(fake.writes.filter((w) => !w.includes('OAuthAccessToken'))).toEqual([]);
  });

  test('Finish setup applies every step with visible progress, then moves to the new domain', async () => {
    await page.route(`https://edge-cluster-setup.apps.${NEW_DOMAIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>new domain</title><h1>new domain</h1>' }));
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.getByRole('heading', { name: 'Applying the setup' }).waitFor();
    await page.getByText('Wait for the cluster to reconcile').waitFor();
    await page.locator('[aria-label="Wait for the cluster to reconcile: running"]').waitFor({ timeout: 20_000 });
    await shot('11-finish-progress');
    await page.getByRole('heading', { name: 'Setup complete! Moving to the new domain' }).waitFor({ timeout: 60_000 });
    await shot('12-complete');
    await page.waitForURL(`https://edge-cluster-setup.apps.${NEW_DOMAIN}/`, { timeout: 15_000 });

    // What the cluster holds now.
    const htpasswd = parseHtpasswd(Buffer.from(obj('v1', 'Secret', 'ztpfw-htpasswd-secret', 'openshift-config')!.data.htpasswd, 'base64').toString());
    expect(htpasswd.map((l) => l.user)).toEqual(['site-admin']);
    expect(passwordMatches('Str0ng-pass', htpasswd[0].hash)).toBe(true);
    expect(obj('config.openshift.io/v1', 'OAuth', 'cluster')!.spec.identityProviders).toEqual([
      { name: 'ztpfw-htpasswd-idp', mappingMethod: 'claim', type: 'HTPasswd', htpasswd: { fileData: { name: 'ztpfw-htpasswd-secret' } } },
    ]);
    expect(obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'ztpfw-cluster-admin-site-admin')!.roleRef.name).toBe('cluster-admin');
    expect(obj('metallb.io/v1beta1', 'IPAddressPool', 'api-public-ip', 'metallb')!.spec.addresses).toEqual(['10.30.0.10/32']);
    expect(obj('metallb.io/v1beta1', 'IPAddressPool', 'ingress-public-ip', 'metallb')!.spec.addresses).toEqual(['10.30.0.11/32']);
    expect(obj('v1', 'Service', 'metallb-api', 'openshift-kube-apiserver')!.status.loadBalancer.ingress).toEqual([{ ip: '10.30.0.10' }]);
    expect(obj('v1', 'Service', 'metallb-ingress', 'openshift-ingress')!.status.loadBalancer.ingress).toEqual([{ ip: '10.30.0.11' }]);
    expect(fake.list('AddressPool')).toEqual([]);
    expect(obj('config.openshift.io/v1', 'APIServer', 'cluster')!.spec.servingCerts.namedCertificates).toEqual([{ names: [`api.${NEW_DOMAIN}`], servingCertificate: { name: 'ztpfw-api-cert' } }]);
    expect(obj('config.openshift.io/v1', 'Ingress', 'cluster')!.spec.componentRoutes.map((r: { hostname: string }) => r.hostname)).toEqual([
      `console-openshift-console.apps.${NEW_DOMAIN}`,
      `downloads-openshift-console.apps.${NEW_DOMAIN}`,
      `oauth-openshift.apps.${NEW_DOMAIN}`,
    ]);
    expect(obj('route.openshift.io/v1', 'Route', 'ztpfw-ui-domain', 'ztpfw-ui')!.spec.host).toBe(`edge-cluster-setup.apps.${NEW_DOMAIN}`);
    expect(obj('oauth.openshift.io/v1', 'OAuthClient', 'ztpfwoauth')!.redirectURIs).toContain(`https://edge-cluster-setup.apps.${NEW_DOMAIN}/login/callback`);
    expect(obj('v1', 'ConfigMap', 'ztpfw-ui-trust', 'ztpfw-ui')!.data['ca-bundle.crt']).toContain('BEGIN CERTIFICATE');
    expect(obj('v1', 'ConfigMap', 'ztpfw-ui-setup', 'ztpfw-ui')!.data.user).toBe('kube:admin');
    // The rendered objects of the factory stay: the original Route keeps the old host working.
    expect(obj('route.openshift.io/v1', 'Route', 'ztpfw-ui', 'ztpfw-ui')!.spec.host).toBe(`edge-cluster-setup.apps.${DOMAIN}`);
    expect(obj('v1', 'Secret', 'kubeadmin', 'kube-system')).toBeDefined();
  });

  test('Settings: delete kubeadmin with confirmation; change the addresses; an API failure is shown and retried', async () => {
    await page.goto(backend.url);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await shot('13-settings');
    await page.getByRole('button', { name: 'Delete kubeadmin' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Type kubeadmin to confirm').fill('kubeadmin');
    await shot('14-delete-kubeadmin');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The kubeadmin user has been deleted.').waitFor();
    expect(obj('v1', 'Secret', 'kubeadmin', 'kube-system')).toBeUndefined();

    await page.getByRole('textbox', { name: 'API address' }).fill('10.30.0.20');
    fake.failNext = { kind: 'IPAddressPool', code: 500, message: 'etcdserver: request timed out' };
    await page.getByRole('button', { name: 'Save addresses' }).click();
    const alert = page.getByText('Set the API and ingress addresses failed');
    await alert.waitFor();
    expect(await page.getByText('Could not update IPAddressPool metallb/api-public-ip: the API server answered 500: etcdserver: request timed out').isVisible()).toBe(true);
    await shot('15-error-and-retry');
    expect(obj('metallb.io/v1beta1', 'IPAddressPool', 'api-public-ip', 'metallb')!.spec.addresses).toEqual(['10.30.0.10/32']);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('The addresses are in place.').waitFor({ timeout: 30_000 });
    expect(obj('metallb.io/v1beta1', 'IPAddressPool', 'api-public-ip', 'metallb')!.spec.addresses).toEqual(['10.30.0.20/32']);
    expect(obj('v1', 'Service', 'metallb-api', 'openshift-kube-apiserver')!.status.loadBalancer.ingress).toEqual([{ ip: '10.30.0.20' }]);
  });

  test('Settings: going back to the install domain removes what the domain change added', async () => {
    await page.route(`https://edge-cluster-setup.apps.${DOMAIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>install domain</title>' }));
    await page.getByRole('textbox', { name: 'Domain' }).fill(DOMAIN);
    await page.getByRole('button', { name: 'Change domain' }).click();
    await page.waitForURL(`https://edge-cluster-setup.apps.${DOMAIN}/`, { timeout: 60_000 });
    expect(obj('config.openshift.io/v1', 'Ingress', 'cluster')!.spec.componentRoutes).toEqual([]);
    expect(obj('config.openshift.io/v1', 'APIServer', 'cluster')!.spec.servingCerts.namedCertificates).toEqual([]);
    expect(obj('route.openshift.io/v1', 'Route', 'ztpfw-ui-domain', 'ztpfw-ui')).toBeUndefined();
    await page.goto(backend.url);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByText(`served now as ${DOMAIN}`).waitFor();
  });

  test('Log out revokes the token; the new user logs in through ztpfw-htpasswd-idp', async () => {
    const before = fake.list('OAuthAccessToken').length;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    expect(fake.list('OAuthAccessToken').length).toBe(before - 1);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'ztpfw-htpasswd-idp' }).click();
    await page.getByLabel('Username').fill('site-admin');
    await page.getByLabel('Password').fill('Str0ng-pass');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.getByText('site-admin', { exact: true }).isVisible()).toBe(true);
  });
});
