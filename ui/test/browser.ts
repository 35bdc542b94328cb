/** Debian's Chromium driven by playwright-core, with the flags this machine needs (no background networking). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Backend, startBackend } from './backend.js';
import type { FakeCluster } from './fake/cluster.js';
import { startFake } from './support.js';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../build/web');

export async function openBrowser(): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  if (!fs.existsSync(path.join(WEB, 'index.html'))) throw new Error('build/web is missing: run `npm run build` first (npm test does)');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // The fake OAuth server serves HTTPS with a test CA the browser does not know.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 860 }, acceptDownloads: true });
  await context.addInitScript(() => {
    (window as unknown as { ZTPFW_UI_TIMING: object }).ZTPFW_UI_TIMING = { pollMs: 150, graceMs: 4000, timeoutMs: 60_000 };
  });
  const page = await context.newPage();
  // A step that does not come fails here, naming what was awaited, well before the test's own timeout.
  page.setDefaultTimeout(15_000);
  return { browser, context, page };
}

/** kubeadmin's login through the fake OAuth server (only kube:admin exists: no provider choice). */
export async function loginAsKubeadmin(page: Page, url: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.waitForURL(/\/oauth\/authorize/);
  await page.getByLabel('Username').fill('kubeadmin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${url}/`);
}

/** The fake cluster, the real backend serving the built page, and a browser on it: what each end-to-end file needs. */
export interface Harness {
  fake: FakeCluster;
  backend: Backend;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const { fake } = await startFake(150);
  const backend = await startBackend(fake, WEB);
  const { browser, page } = await openBrowser();
  return {
    fake,
    backend,
    browser,
    page,
    stop: async () => {
      await browser.close();
      await backend.stop();
      await fake.stop();
    },
  };
}

/** Starts a harness before the file's tests and stops it after them; `use` receives it. */
export function useHarness(use: (h: Harness) => void): void {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness();
    use(harness);
  }, 120_000);
  afterAll(async () => {
    await harness?.stop();
  });
}
