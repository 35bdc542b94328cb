/**
 * The backend's HTTP surface: login/logout, the JSON API the page calls (one endpoint per step, each idempotent, so
 * the page can resume after a reload and the pod after a restart), the SSH key download, probes and the page.
 * Every /api call runs with the caller's own token (checked by TokenReview first); errors are JSON `{ error,
 * problems? }` the page shows as they are.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Config } from './config.js';
import { type ClusterAccess, type Kube, KubeError, type ReviewedUser, reviewToken, userKube } from './kube.js';
import { IDP_NAME, OPERATORS_AFTER } from './names.js';
import {
  accessTokenName,
  authorizeUrl,
  cookie,
  exchangeCode,
  newState,
  OAuthError,
  oauthMetadata,
  parseCookies,
  publicOrigin,
  STATE_COOKIE,
  TOKEN_COOKIE,
} from './oauth.js';
import { applyAddresses, readAddresses } from './steps/addresses.js';
import { deleteKubeadmin, kubeadminPresent, readOperators, readSetup, readSshKey, recordSetup, sshKeyPresent } from './steps/cluster.js';
import { applyDomain, type DomainInput, readDomain } from './steps/domain.js';
import { ensureUser, identityProviderPresent, readUsers } from './steps/identity.js';
import { InputError } from './steps/result.js';

export interface Deps {
  kubeFor(token: string): Kube;
  review(token: string): Promise<ReviewedUser | undefined>;
}

export function defaultDeps(config: Config): Deps {
  const access: ClusterAccess = { server: config.kubeApiUrl, caFile: config.kubeCaFile };
  return { kubeFor: (t) => userKube(access, t), review: (t) => reviewToken(access, config.saTokenFile, t) };
}

const MAX_BODY = 256 * 1024;
/** Header a cross-site form cannot send (no CORS here): every state-changing call must carry it. */
export const CSRF_HEADER = 'x-ztpfw-ui';

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly problems?: readonly string[]) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function redirect(res: http.ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'The request is too large.');
    chunks.push(c as Buffer);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'The request is not a JSON object.');
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

function serveStatic(config: Config, pathname: string, res: http.ServerResponse): void {
  const root = path.resolve(config.staticDir);
  let file = path.resolve(root, '.' + decodeURIComponent(pathname));
  if (!file.startsWith(root + path.sep) && file !== root) file = path.join(root, 'index.html');
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  if (!fs.existsSync(file)) {
    send(res, 503, { error: 'The page is not built (npm run build).' });
    return;
  }
  const ext = path.extname(file);
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': STATIC_TYPES[ext] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'",
  });
  fs.createReadStream(file).pipe(res);
}

export function createApp(config: Config, deps: Deps = defaultDeps(config)): http.RequestListener {
  const secure = config.frontendUrl.protocol === 'https:';
  // TokenReview answers, kept briefly so a page's burst of calls costs one review (keyed by a hash, never the token).
  const reviewed = new Map<string, { user: ReviewedUser; until: number }>();

  async function authenticate(req: http.IncomingMessage): Promise<{ token: string; user: ReviewedUser; kube: Kube }> {
    const token = parseCookies(req.headers.cookie)[TOKEN_COOKIE];
    if (!token) throw new HttpError(401, 'Log in to continue.');
    const key = crypto.createHash('sha256').update(token).digest('hex');
    const hit = reviewed.get(key);
    let user = hit && hit.until > Date.now() ? hit.user : undefined;
    if (!user) {
      user = await deps.review(token);
      if (!user) throw new HttpError(401, 'Your login has expired; log in again.');
      if (reviewed.size > 100) reviewed.clear();
      reviewed.set(key, { user, until: Date.now() + 30_000 });
    }
    return { token, user, kube: deps.kubeFor(token) };
  }

  async function state(kube: Kube, user: ReviewedUser) {
    const [setup, users, idp, addresses, domain, kubeadmin, sshKey] = await Promise.all([
      readSetup(kube),
      readUsers(kube),
      identityProviderPresent(kube),
      readAddresses(kube),
      readDomain(kube),
      kubeadminPresent(kube),
      sshKeyPresent(kube),
    ]);
    return { user: user.username, setup, users, identityProvider: idp ? IDP_NAME : undefined, addresses, internalNetwork: config.internalNetwork, domain, kubeadmin, sshKey };
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const post = req.method === 'POST';
    if (post && req.headers[CSRF_HEADER] !== '1') throw new HttpError(403, 'Missing request header; reload the page.');
    const { token, user, kube } = await authenticate(req);
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/state':
        return send(res, 200, await state(kube, user));
      case 'POST /api/user': {
        const body = await readJson(req);
        return send(res, 200, await ensureUser(kube, { username: str(body.username), password: str(body.password) }));
      }
      case 'POST /api/addresses': {
        const body = await readJson(req);
        return send(res, 200, await applyAddresses(kube, { api: str(body.api), ingress: str(body.ingress) }, config.internalNetwork));
      }
      case 'POST /api/domain': {
        const body = await readJson(req);
        return send(res, 200, await applyDomain(kube, body as unknown as DomainInput));
      }
      case 'POST /api/setup/complete':
        return send(res, 200, await recordSetup(kube, user.username));
      case 'GET /api/progress': {
        const which = (url.searchParams.get('operators') ?? '').split(',').filter((n) => Object.values(OPERATORS_AFTER).some((l) => (l as readonly string[]).includes(n)));
        const [operators, addresses, domain] = await Promise.all([readOperators(kube, [...new Set(which)]), readAddresses(kube), readDomain(kube)]);
        return send(res, 200, { operators, addresses, domain });
      }
      case 'GET /api/ssh-key': {
        const key = await readSshKey(kube);
        if (!key) throw new HttpError(404, 'This cluster has no SSH key pair (default/cluster-ssh-keypair); ask the vendor for the key.');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="id_rsa.key"', 'cache-control': 'no-store' });
        res.end(key);
        return;
      }
      case 'POST /api/kubeadmin/delete': {
        const body = await readJson(req);
        if (body.confirm !== 'kubeadmin') throw new HttpError(422, 'Type kubeadmin to confirm.', ['Type kubeadmin to confirm.']);
        return send(res, 200, await deleteKubeadmin(kube));
      }
      case 'POST /api/logout': {
        const name = accessTokenName(token);
        if (name) await kube.delete({ apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthAccessToken', name }).catch(() => false);
        reviewed.clear();
        return send(res, 200, { ok: true }, { 'set-cookie': cookie(TOKEN_COOKIE, '', { secure, maxAge: 0 }) });
      }
      default:
        throw new HttpError(404, `No such call: ${route}`);
    }
  }

  async function login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const origin = publicOrigin(config, req.headers.host);
    const meta = await oauthMetadata(config);
    const s = newState();
    redirect(res, authorizeUrl(meta, config, origin, s), { 'set-cookie': cookie(STATE_COOKIE, s, { secure, maxAge: 600 }) });
  }

  async function callback(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const origin = publicOrigin(config, req.headers.host);
    const back = (error?: string) =>
      redirect(res, error ? `/?loginError=${encodeURIComponent(error)}` : '/', { 'set-cookie': cookie(STATE_COOKIE, '', { secure, maxAge: 0 }) });
    const error = url.searchParams.get('error');
    if (error) return back(`The OAuth server refused the login (${error.replace(/[^\w .:-]/g, '').slice(0, 100)}).`);
    const expected = parseCookies(req.headers.cookie)[STATE_COOKIE];
    const code = url.searchParams.get('code');
    if (!expected || url.searchParams.get('state') !== expected || !code) return back('The login could not be verified; try again.');
    const { token, expiresIn } = await exchangeCode(config, origin, code);
    if (!(await deps.review(token))) return back('The cluster did not accept the new login; try again.');
    res.writeHead(302, {
      location: '/',
      'cache-control': 'no-store',
      'set-cookie': [cookie(TOKEN_COOKIE, token, { secure, maxAge: expiresIn && expiresIn > 0 ? expiresIn : 86_400 }), cookie(STATE_COOKIE, '', { secure, maxAge: 0 })],
    });
    res.end();
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const run = async () => {
      if (url.pathname === '/healthz') return send(res, 200, { ok: true });
      if (url.pathname === '/readyz') return fs.existsSync(path.join(config.staticDir, 'index.html')) ? send(res, 200, { ok: true }) : send(res, 503, { error: 'page not built' });
      if (url.pathname === '/login' && req.method === 'GET') return login(req, res);
      if (url.pathname === '/login/callback' && req.method === 'GET') return callback(req, res, url);
      if (url.pathname.startsWith('/api/')) return api(req, res, url);
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Method not allowed.');
      return serveStatic(config, url.pathname, res);
    };
    run().catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) return send(res, e.status, { error: e.message, problems: e.problems });
      if (e instanceof InputError) return send(res, 422, { error: 'Please correct the input.', problems: e.problems });
      if (e instanceof KubeError) return send(res, e.status === 401 ? 401 : e.status === 403 ? 403 : 502, { error: e.message });
      if (e instanceof OAuthError) {
        if (url.pathname.startsWith('/login')) return redirect(res, `/?loginError=${encodeURIComponent(e.message)}`);
        return send(res, 502, { error: e.message });
      }
      const message = e instanceof Error ? e.message : String(e);
      console.error(`${req.method} ${url.pathname}: ${message}`);
      return send(res, 500, { error: message });
    });
  };
}

