/**
 * Login through the cluster's own OAuth server (authorization code grant, RFC 6749 §4.1) with the `ztpfwoauth`
 * client the `ui` bundle renders. The endpoints come from the OAuth server metadata the API server publishes
 * (OpenShift docs "OAuth server metadata": `/.well-known/oauth-authorization-server`), so they follow a domain
 * change. The access token stays in an HttpOnly cookie; every API call is made with it. Logout deletes the token
 * (`oauthaccesstokens/sha256~…`, as `oc logout` does) and the cookie.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { Config } from './config.js';
import { UI_HOST_PREFIX } from './names.js';

export const TOKEN_COOKIE = 'ztpfw-ui-token';
export const STATE_COOKIE = 'ztpfw-ui-oauth-state';

export interface OAuthMetadata {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
}

export class OAuthError extends Error {}

/** The CAs to trust for the API server and the OAuth server: the system's, the ServiceAccount's, the new domain's. */
export function trustedCas(config: Config): string[] {
  const extra = [config.kubeCaFile, config.trustBundleFile].flatMap((f) => {
    try {
      return f ? [fs.readFileSync(f, 'utf8')] : [];
    } catch {
      return [];
    }
  });
  return [...tls.rootCertificates, ...extra];
}

interface Reply {
  status: number;
  body: string;
}

export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: string[] } = {}): Promise<Reply> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method: opts.method ?? 'GET', headers: opts.headers, ca: u.protocol === 'https:' ? opts.ca : undefined, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

export async function oauthMetadata(config: Config): Promise<OAuthMetadata> {
  let reply: Reply;
  try {
    reply = await request(config.oauthMetadataUrl, { ca: trustedCas(config) });
  } catch (e) {
    throw new OAuthError(`The cluster's OAuth server metadata is unreachable (${(e as Error).message}).`);
  }
  if (reply.status !== 200) throw new OAuthError(`The cluster's OAuth server metadata answered ${reply.status}.`);
  const m = JSON.parse(reply.body) as Partial<OAuthMetadata>;
  if (!m.authorization_endpoint || !m.token_endpoint) throw new OAuthError('The OAuth server metadata has no authorization or token endpoint.');
  return { authorization_endpoint: m.authorization_endpoint, token_endpoint: m.token_endpoint };
}

/**
 * The page's origin for this request: the configured one, or the UI's host under another domain the cluster now
 * serves (`edge-cluster-setup.apps.<domain>`). The OAuth server only accepts redirect URIs registered on the
 * client, so a forged Host header gets no code; the token exchange never goes to a host taken from the request.
 */
export function publicOrigin(config: Config, hostHeader: string | undefined): string {
  const host = (hostHeader ?? '').toLowerCase();
  const ok = host === config.frontendUrl.host || new RegExp(`^${UI_HOST_PREFIX}\\.apps\\.[a-z0-9]([-a-z0-9.]{0,240}[a-z0-9])?$`).test(host);
  return ok ? `${config.frontendUrl.protocol}//${host}` : config.frontendUrl.origin;
}

export const redirectUri = (origin: string) => `${origin}/login/callback`;

export function newState(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function authorizeUrl(meta: OAuthMetadata, config: Config, origin: string, state: string): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: config.oauthClientId, redirect_uri: redirectUri(origin), scope: 'user:full', state });
  return `${meta.authorization_endpoint}?${q.toString()}`;
}

export async function exchangeCode(config: Config, origin: string, code: string): Promise<{ token: string; expiresIn?: number }> {
  const meta = await oauthMetadata(config);
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(origin), client_id: config.oauthClientId }).toString();
  const basic = Buffer.from(`${encodeURIComponent(config.oauthClientId)}:${encodeURIComponent(config.oauthClientSecret)}`).toString('base64');
  let reply: Reply;
  try {
    reply = await request(meta.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
      body,
      ca: trustedCas(config),
    });
  } catch (e) {
    throw new OAuthError(`The OAuth server is unreachable (${(e as Error).message}).`);
  }
  let parsed: { access_token?: string; expires_in?: number; error?: string; error_description?: string } = {};
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    parsed = {};
  }
  if (reply.status !== 200 || !parsed.access_token) {
    const why = parsed.error ? `${parsed.error}${parsed.error_description ? `: ${parsed.error_description}` : ''}` : `answer ${reply.status}`;
    throw new OAuthError(`The OAuth server rejected the login (${why.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300)}).`);
  }
  return { token: parsed.access_token, expiresIn: parsed.expires_in };
}

/** `sha256~<raw>` → the OAuthAccessToken object name (`sha256~` + base64url(sha256(raw)), as `oc logout` computes it). */
export function accessTokenName(token: string): string | undefined {
  const prefix = 'sha256~';
  if (!token.startsWith(prefix)) return undefined;
  return prefix + crypto.createHash('sha256').update(token.slice(prefix.length)).digest('base64url');
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function cookie(name: string, value: string, opts: { secure: boolean; maxAge?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (opts.secure) parts.push('Secure');
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  return parts.join('; ');
}
