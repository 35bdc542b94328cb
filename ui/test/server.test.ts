import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { request } from '../src/server/oauth.js';
import { type Backend, startBackend } from './backend.js';
import type { FakeCluster } from './fake/cluster.js';
import { KUBEADMIN_PASSWORD, startFake } from './support.js';

let fake: FakeCluster;
let backend: Backend;
let ca: string[];
beforeEach(async () => {
  ({ fake } = await startFake());
  backend = await startBackend(fake);
  ca = [fs.readFileSync(fake.caFile, 'utf8')];
});
afterEach(async () => {
  await backend.stop();
  await fake.stop();
});

/** A tiny browser: follows redirects by hand, keeps cookies per origin-less jar (one backend, one fake). */
class Browser {
  cookies = new Map<string, string>();
  async go(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; location?: string }> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const u = new URL(url);
    const mod = await import(u.protocol === 'https:' ? 'node:https' : 'node:http');
    return new Promise((resolve, reject) => {
      const req = mod.request(u, { method: init.method ?? 'GET', headers: { ...(cookie ? { cookie } : {}), ...init.headers }, ca }, (res: any) => {
        for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
          const [pair, ...attrs] = c.split(';');
          const [k, v] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
          if (attrs.some((a) => a.trim() === 'Max-Age=0')) this.cookies.delete(k);
          else this.cookies.set(k, v);
        }
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), location: res.headers.location }));
      });
      req.on('error', reject);
      if (init.body) req.write(init.body);
      req.end();
    });
  }

  /** The whole login dance: our /login → OAuth authorize → login form POST → our callback. */
  async login(username: string, password: string, idp?: string): Promise<string> {
    const start = await this.go(`${backend.url}/login`);
    expect(start.status).toBe(302);
    let authorize = start.location!;
    if (idp) authorize += `&idp=${encodeURIComponent(idp)}`;
    const form = await this.go(authorize);
    const action = /action="([^"]+)"/.exec(form.body)![1].replace(/&amp;/g, '&');
    const posted = await this.go(new URL(action, fake.url).toString(), { method: 'POST', body: new URLSearchParams({ username, password }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(302);
    const back = await this.go(posted.location!);
    return back.location!;
  }
}

const json = { 'content-type': 'application/json', 'x-ztpfw-ui': '1' };

describe('login through the cluster OAuth server', () => {
  test('unauthenticated calls are 401 with a message for the page', async () => {
    const r = await new Browser().go(`${backend.url}/api/state`);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({ error: 'Log in to continue.' });
  });

  test('kubeadmin logs in with the ztpfwoauth client; the token cookie is HttpOnly and works', async () => {
    const b = new Browser();
    const start = await b.go(`${backend.url}/login`);
    const auth = new URL(start.location!);
    expect(`${auth.origin}${auth.pathname}`).toBe(`${fake.url}/oauth/authorize`);
    expect(Object.fromEntries(auth.searchParams)).toMatchObject({ response_type: 'code', client_id: 'ztpfwoauth', redirect_uri: `${backend.url}/login/callback`, scope: 'user:full' });
    b.cookies.clear();
    expect(await b.login('kubeadmin', KUBEADMIN_PASSWORD)).toBe('/');
    const state = await b.go(`${backend.url}/api/state`);
    expect(state.status).toBe(200);
    expect(JSON.parse(state.body)).toMatchObject({
      user: 'kube:admin',
      users: [],
      internalNetwork: '192.168.7.0/24',
      addresses: { api: { configured: '10.20.0.5' }, ingress: { configured: '10.20.0.6' } },
      domain: { installed: 'sno-01.factory.example.com', current: 'sno-01.factory.example.com' },
      kubeadmin: true,
      sshKey: true,
    });
  });

  test('a wrong password stays on the OAuth login page; a forged state is refused', async () => {
    const b = new Browser();
    const start = await b.go(`${backend.url}/login`);
    const form = await b.go(start.location!);
    const action = /action="([^"]+)"/.exec(form.body)![1].replace(/&amp;/g, '&');
    const posted = await b.go(new URL(action, fake.url).toString(), { method: 'POST', body: 'username=kubeadmin&password=wrong', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.location).toContain('login_error=1');
    const forged = await b.go(`${backend.url}/login/callback?code=abc&state=not-mine`);
    expect(decodeURIComponent(forged.location!)).toBe('/?loginError=The login could not be verified; try again.');
    const denied = await b.go(`${backend.url}/login/callback?error=access_denied&state=x`);
    expect(decodeURIComponent(denied.location!)).toBe('/?loginError=The OAuth server refused the login (access_denied).');
  });

  test('a client secret the OAuth server does not know is a clear error, not a crash', async () => {
    const client = fake.get('oauth.openshift.io/v1', 'OAuthClient', 'ztpfwoauth')!;
    fake.put({ ...client, secret: 'rotated-elsewhere' });
    const b = new Browser();
    const where = await b.login('kubeadmin', KUBEADMIN_PASSWORD);
    expect(decodeURIComponent(where)).toMatch(/^\/\?loginError=The OAuth server rejected the login \(unauthorized_client/);
    expect(b.cookies.has('ztpfw-ui-token')).toBe(false);
  });

  test('state-changing calls need the page header; input errors come back as problems; logout revokes the token', async () => {
    const b = new Browser();
    await b.login('kubeadmin', KUBEADMIN_PASSWORD);
    const noHeader = await b.go(`${backend.url}/api/addresses`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(noHeader.status).toBe(403);
    const bad = await b.go(`${backend.url}/api/addresses`, { method: 'POST', body: JSON.stringify({ api: '192.168.7.9', ingress: '' }), headers: json });
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.body).problems).toEqual([
      "The API address 192.168.7.9 is inside the cluster's internal network 192.168.7.0/24; use an address of the network the site reaches the cluster on.",
      'The ingress address is required.',
    ]);
    const tokens = () => fake.list('OAuthAccessToken').length;
    const before = tokens();
    const out = await b.go(`${backend.url}/api/logout`, { method: 'POST', body: '{}', headers: json });
    expect(out.status).toBe(200);
    expect(tokens()).toBe(before - 1);
    expect(b.cookies.has('ztpfw-ui-token')).toBe(false);
    expect((await b.go(`${backend.url}/api/state`)).status).toBe(401);
  });

  test('the SSH key downloads as a file; kubeadmin deletion needs the typed confirmation', async () => {
    const b = new Browser();
    await b.login('kubeadmin', KUBEADMIN_PASSWORD);
    const key = await b.go(`${backend.url}/api/ssh-key`);
    expect(key.status).toBe(200);
    expect(key.body).toContain('BEGIN OPENSSH PRIVATE KEY');
    const unconfirmed = await b.go(`${backend.url}/api/kubeadmin/delete`, { method: 'POST', body: '{}', headers: json });
    expect(unconfirmed.status).toBe(422);
    const early = await b.go(`${backend.url}/api/kubeadmin/delete`, { method: 'POST', body: JSON.stringify({ confirm: 'kubeadmin' }), headers: json });
    expect(early.status).toBe(500);
    expect(JSON.parse(early.body).error).toMatch(/Create your own user first/);
    expect(fake.get('v1', 'Secret', 'kubeadmin', 'kube-system')).toBeDefined();
  });

  test('a new htpasswd user logs in through the identity provider choice and is cluster-admin', async () => {
    const b = new Browser();
    await b.login('kubeadmin', KUBEADMIN_PASSWORD);
    const made = await b.go(`${backend.url}/api/user`, { method: 'POST', body: JSON.stringify({ username: 'site-admin', password: 'Str0ng-pass' }), headers: json });
    expect(made.status).toBe(200);
    const c = new Browser();
    expect(await c.login('site-admin', 'Str0ng-pass', 'ztpfw-htpasswd-idp')).toBe('/');
    const state = JSON.parse((await c.go(`${backend.url}/api/state`)).body);
    expect(state).toMatchObject({ user: 'site-admin', users: ['site-admin'], identityProvider: 'ztpfw-htpasswd-idp' });
    void request;
  });
});

describe('the page origin used for the OAuth redirect', () => {
  test('the configured host, or the UI host under another domain; anything else falls back to the configured one', async () => {
    const { publicOrigin } = await import('../src/server/oauth.js');
    const config = { frontendUrl: new URL('https://edge-cluster-setup.apps.sno-01.factory.example.com') } as never;
    expect(publicOrigin(config, 'edge-cluster-setup.apps.sno-01.factory.example.com')).toBe('https://edge-cluster-setup.apps.sno-01.factory.example.com');
    expect(publicOrigin(config, 'edge-cluster-setup.apps.edge.customer.example')).toBe('https://edge-cluster-setup.apps.edge.customer.example');
    for (const forged of ['evil.example', 'edge-cluster-setup.apps.x.example/../', 'edge-cluster-setup.apps.', undefined]) {
      expect(publicOrigin(config, forged)).toBe('https://edge-cluster-setup.apps.sno-01.factory.example.com');
    }
  });
});
