/**
 * Resuming after a failure and a reload: the domain step fails (the API server refuses the ingress config), the
 * site engineer reloads the page, walks the wizard again (the values are kept, except the password; the user
 * already exists and is kept), and Finish setup completes. Nothing is applied twice, nothing is lost.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { Backend } from './backend.js';
import { loginAsKubeadmin, useHarness } from './browser.js';
import type { FakeCluster } from './fake/cluster.js';
import { KUBEADMIN_PASSWORD } from './support.js';

const NEW_DOMAIN = 'site.example.org';
let fake: FakeCluster;
let backend: Backend;
let page: Page;
useHarness((h) => ({ fake, backend, page } = h));

const next = () => page.getByRole('button', { name: 'Next' }).click();

describe('a failed Finish setup, a reload, and the retry', { timeout: 120_000 }, () => {
  test('the failure names the step and the object; the steps before it stay applied', async () => {
    await loginAsKubeadmin(page, backend.url, KUBEADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('textbox', { name: 'Username' }).fill('ops');
    await next();
    await page.locator('#password').fill('0ps-password');
    await page.locator('#password-confirm').fill('0ps-password');
    await next();
    await page.getByRole('textbox', { name: 'API address' }).fill('172.16.5.10');
    await next();
    await page.getByRole('textbox', { name: 'Ingress address' }).fill('172.16.5.11');
    await next();
    await page.getByRole('textbox', { name: 'Domain' }).fill(NEW_DOMAIN);
    await next();
    await next(); // certificates: Automatic
    await next(); // SSH key
    fake.failNext = { kind: 'Ingress', code: 503, message: 'the server is currently unable to handle the request' };
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.getByText('Serve the new domain failed').waitFor({ timeout: 30_000 });
    expect(await page.getByText('Could not update Ingress cluster: the API server answered 503: the server is currently unable to handle the request').isVisible()).toBe(true);
    expect(await page.locator('[aria-label="Serve the new domain: failed"]').count()).toBe(1);
    expect(await page.getByRole('status').textContent()).toBe('Serve the new domain: failed');
    expect(await page.locator('[aria-label="Create the user: done"]').count()).toBe(1);
    // applied: the user, the addresses, the certificates and the API named certificate; not the component routes
    expect(fake.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'ztpfw-cluster-admin-ops')).toBeDefined();
    expect(fake.get('metallb.io/v1beta1', 'IPAddressPool', 'api-public-ip', 'metallb')!.spec.addresses).toEqual(['172.16.5.10/32']);
    expect(fake.get('config.openshift.io/v1', 'Ingress', 'cluster')!.spec.componentRoutes).toBeUndefined();
    expect(fake.get('v1', 'ConfigMap', 'ztpfw-ui-setup', 'ztpfw-ui')).toBeUndefined();
  });

  test('after a reload the wizard keeps the values, the existing user is kept, and Finish setup completes', async () => {
    const apiCert = fake.get('v1', 'Secret', 'ztpfw-api-cert', 'openshift-config')!.data['tls.crt'];
    await page.reload();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Users already created here: ops').waitFor();
    await page.getByRole('button', { name: 'keep the existing users' }).click();
    expect(await page.getByRole('textbox', { name: 'API address' }).inputValue()).toBe('172.16.5.10');
    await next();
    expect(await page.getByRole('textbox', { name: 'Ingress address' }).inputValue()).toBe('172.16.5.11');
    await next();
    expect(await page.getByRole('textbox', { name: 'Domain' }).inputValue()).toBe(NEW_DOMAIN);
    await next();
    await next();
    await next();
    await page.route(`https://edge-cluster-setup.apps.${NEW_DOMAIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>new domain</title>' }));
    const writesBefore = fake.writes.length;
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.getByRole('heading', { name: 'Setup complete! Moving to the new domain' }).waitFor({ timeout: 60_000 });
    // Only what was missing was written: the component routes and the setup record.
    expect(fake.writes.slice(writesBefore)).toEqual(['patch Ingress cluster', 'create ConfigMap ztpfw-ui/ztpfw-ui-setup']);
    expect(fake.get('v1', 'Secret', 'ztpfw-api-cert', 'openshift-config')!.data['tls.crt']).toBe(apiCert);
    expect(fake.get('config.openshift.io/v1', 'Ingress', 'cluster')!.spec.componentRoutes).toHaveLength(3);
  });
});
