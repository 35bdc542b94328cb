/**
 * An in-process fake of the parts of an OpenShift edge cluster the UI talks to, faithful where the UI depends on
 * it: API discovery, get/create/merge-patch/delete with resourceVersion preconditions and 404/409/403/422 Status
 * answers, bearer-token authentication with TokenReview, the OAuth server (metadata, an authorize page with the
 * identity provider choice and login form, code → token exchange checking the client secret and redirect URI,
 * access token deletion), and the controllers whose effects the UI waits for: MetalLB assigning a pool's /32 to
 * the Service (and its webhook refusing overlapping pools), and ClusterOperators rolling out after a change to
 * their configuration. It is seeded with the objects this repository renders for an edge cluster (dist/).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import bcrypt from 'bcryptjs';
import * as YAML from 'yaml';
import { generateCertificates } from '../../src/server/certs.js';

export type Obj = { apiVersion: string; kind: string; metadata: Record<string, any>; [k: string]: any };

interface Kind {
  kind: string;
  plural: string;
  namespaced: boolean;
}

const DISCOVERY: Record<string, Kind[]> = {
  v1: [
    { kind: 'Namespace', plural: 'namespaces', namespaced: false },
    { kind: 'Secret', plural: 'secrets', namespaced: true },
    { kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
    { kind: 'Service', plural: 'services', namespaced: true },
    { kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  ],
  'apps/v1': [{ kind: 'Deployment', plural: 'deployments', namespaced: true }],
  'rbac.authorization.k8s.io/v1': [
    { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false },
    { kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  ],
  'config.openshift.io/v1': [
    { kind: 'OAuth', plural: 'oauths', namespaced: false },
    { kind: 'Ingress', plural: 'ingresses', namespaced: false },
    { kind: 'APIServer', plural: 'apiservers', namespaced: false },
    { kind: 'ClusterOperator', plural: 'clusteroperators', namespaced: false },
  ],
  'oauth.openshift.io/v1': [
    { kind: 'OAuthClient', plural: 'oauthclients', namespaced: false },
    { kind: 'OAuthAccessToken', plural: 'oauthaccesstokens', namespaced: false },
  ],
  'route.openshift.io/v1': [{ kind: 'Route', plural: 'routes', namespaced: true }],
  'metallb.io/v1beta1': [
    { kind: 'MetalLB', plural: 'metallbs', namespaced: true },
    { kind: 'IPAddressPool', plural: 'ipaddresspools', namespaced: true },
    { kind: 'L2Advertisement', plural: 'l2advertisements', namespaced: true },
  ],
  'authentication.k8s.io/v1': [{ kind: 'TokenReview', plural: 'tokenreviews', namespaced: false }],
};

export interface TokenInfo {
  username: string;
  groups: string[];
  /** cluster-admin (kubeadmin or a bound user); everyone else is refused every call but TokenReview-free reads of nothing */
  admin: boolean;
}

export interface FakeOptions {
  /** The cluster's install domain: `<cluster>.<base>`. */
  domain: string;
  kubeadminPassword: string;
  /** Delay of the simulated controllers (ms). */
  controllerDelay?: number;
  /** The rendered edge bundles to seed from (dist/clusters/<cluster>). */
  distCluster?: string;
  oauthClientSecret: string;
  /** The ServiceAccount token of the UI pod (may only create TokenReviews). */
  saToken: string;
}

function status(code: number, reason: string, message: string): { code: number; body: object } {
  return { code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code } };
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function ipToNum(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}
function cidrRange(c: string): [number, number] {
  const [ip, len] = c.split('/');
  const size = 2 ** (32 - Number(len ?? 32));
  const base = ipToNum(ip) - (ipToNum(ip) % size);
  return [base, base + size - 1];
}

export class FakeCluster {
  readonly objects = new Map<string, Obj>();
  readonly tokens = new Map<string, TokenInfo>();
  /** Every write the API accepted, in order: `VERB kind ns/name`. */
  readonly writes: string[] = [];
  private rv = 1000;
  private codes = new Map<string, { client: string; redirect: string; user: TokenInfo }>();
  private server?: https.Server;
  /** The CA file a client must trust for the fake's HTTPS (API server and OAuth server alike). */
  caFile = '';
  private timers = new Set<NodeJS.Timeout>();
  url = '';
  /** Fail the next write matching `kind`, once (for error tests). */
  failNext?: { kind: string; code: number; message: string };

  constructor(readonly opts: FakeOptions) {
    this.tokens.set(opts.saToken, { username: 'system:serviceaccount:ztpfw-ui:ztpfw-ui', groups: ['system:serviceaccounts'], admin: false });
    this.seed();
  }

  key(apiVersion: string, kind: string, ns: string | undefined, name: string): string {
    return `${apiVersion}|${kind}|${ns ?? ''}|${name}`;
  }

  get(apiVersion: string, kind: string, name: string, ns?: string): Obj | undefined {
    return this.objects.get(this.key(apiVersion, kind, ns, name));
  }

  list(kind: string): Obj[] {
    return [...this.objects.values()].filter((o) => o.kind === kind);
  }

  put(obj: Obj): Obj {
    const stored = structuredClone(obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++this.rv) };
    stored.metadata.uid ??= crypto.randomUUID();
    stored.metadata.creationTimestamp ??= new Date().toISOString();
    this.objects.set(this.key(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name), stored);
    return stored;
  }

  private seed(): void {
    const d = this.opts.domain;
    const put = (o: Obj) => this.put(o);
    for (const ns of ['default', 'kube-system', 'openshift-config', 'openshift-ingress', 'openshift-kube-apiserver', 'openshift-authentication', 'openshift-console', 'metallb', 'ztpfw-ui']) {
      put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    put({ apiVersion: 'config.openshift.io/v1', kind: 'OAuth', metadata: { name: 'cluster' }, spec: {} });
    put({ apiVersion: 'config.openshift.io/v1', kind: 'Ingress', metadata: { name: 'cluster' }, spec: { domain: `apps.${d}` } });
    put({ apiVersion: 'config.openshift.io/v1', kind: 'APIServer', metadata: { name: 'cluster' }, spec: { audit: { profile: 'Default' } } });
    for (const name of ['authentication', 'kube-apiserver', 'openshift-apiserver', 'console', 'ingress']) {
      put({ apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator', metadata: { name }, status: { conditions: this.conditions(false) } });
    }
    // The kubeadmin Secret holds the bcrypt hash of the password (installer: pkg/asset/password).
    put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kubeadmin', namespace: 'kube-system' }, data: { kubeadmin: Buffer.from(bcrypt.hashSync(this.opts.kubeadminPassword, 4)).toString('base64') } });
    put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cluster-ssh-keypair', namespace: 'default' },
      data: { 'id_rsa.key': Buffer.from('-----BEGIN OPENSSH PRIVATE KEY-----\nfake-key-for-tests\n-----END OPENSSH PRIVATE KEY-----\n').toString('base64'), 'id_rsa.pub': Buffer.from('ssh-ed25519 AAAA test').toString('base64') },
    });
    if (this.opts.distCluster) this.seedFromDist(this.opts.distCluster);
  }

  /** The objects of the rendered metallb and ui bundles (ManifestWork payloads), as the edge holds them once synced. */
  private seedFromDist(dir: string): void {
    const kinds = new Set(Object.values(DISCOVERY).flat().map((k) => k.kind));
    for (const bundle of ['metallb', 'ui']) {
      const folder = path.join(dir, bundle);
      for (const f of fs.readdirSync(folder).filter((n) => n.startsWith('manifestwork-')).sort()) {
        const work = YAML.parse(fs.readFileSync(path.join(folder, f), 'utf8'));
        for (const m of work.spec.workload.manifests as Obj[]) {
          if (!kinds.has(m.kind) || m.kind === 'Namespace') continue;
          this.put(m);
        }
      }
    }
    // What the edge's own Job and controllers add: the OAuth client secret, the Services' assigned addresses.
    const client = this.get('oauth.openshift.io/v1', 'OAuthClient', 'ztpfwoauth');
    if (!client) throw new Error(`no OAuthClient ztpfwoauth rendered under ${dir}`);
    this.put({ ...client, secret: this.opts.oauthClientSecret });
    this.runMetallb();
  }

  private conditions(progressing: boolean, message?: string): object[] {
    const now = new Date().toISOString();
    return [
      { type: 'Available', status: 'True', lastTransitionTime: now },
      { type: 'Progressing', status: progressing ? 'True' : 'False', lastTransitionTime: now, message },
      { type: 'Degraded', status: 'False', lastTransitionTime: now },
    ];
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** A configuration change makes these operators progress for a while. */
  private rollOut(names: string[]): void {
    const delay = this.opts.controllerDelay ?? 200;
    for (const name of names) {
      const co = this.get('config.openshift.io/v1', 'ClusterOperator', name)!;
      this.put({ ...co, status: { conditions: this.conditions(true, 'rolling out a new revision') } });
      this.later(() => {
        const now = this.get('config.openshift.io/v1', 'ClusterOperator', name)!;
        this.put({ ...now, status: { conditions: this.conditions(false) } });
      }, delay * 3);
    }
  }

  /** MetalLB's controller: a LoadBalancer Service with a pool annotation gets the pool's address. */
  runMetallb(): void {
    for (const svc of this.list('Service')) {
      if (svc.spec?.type !== 'LoadBalancer') continue;
      const poolName = svc.metadata.annotations?.['metallb.universe.tf/address-pool'];
      const pool = poolName ? this.get('metallb.io/v1beta1', 'IPAddressPool', poolName, 'metallb') : undefined;
      const ip = pool?.spec?.addresses?.[0]?.split('/')[0];
      const pinned = svc.spec?.loadBalancerIP;
      const wanted = pinned && pinned !== ip ? undefined : ip;
      const current = svc.status?.loadBalancer?.ingress?.[0]?.ip;
      if (current !== wanted) this.put({ ...svc, status: { loadBalancer: wanted ? { ingress: [{ ip: wanted }] } : {} } });
    }
  }

  private afterWrite(obj: Obj, verb: string): void {
    this.writes.push(`${verb} ${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`);
    const delay = this.opts.controllerDelay ?? 200;
    if (obj.kind === 'IPAddressPool' || obj.kind === 'Service') this.later(() => this.runMetallb(), delay);
    if (obj.kind === 'OAuth') this.rollOut(['authentication']);
    if (obj.kind === 'APIServer') this.rollOut(['kube-apiserver']);
    if (obj.kind === 'Ingress') this.rollOut(['authentication', 'console']);
    if (obj.kind === 'ClusterRoleBinding') this.refreshAdmins();
  }

  private refreshAdmins(): void {
    const admins = new Set(this.list('ClusterRoleBinding').filter((b) => b.roleRef?.name === 'cluster-admin').flatMap((b) => (b.subjects ?? []).filter((s: any) => s.kind === 'User').map((s: any) => s.name)));
    for (const t of this.tokens.values()) if (t.username !== 'kube:admin' && !t.username.startsWith('system:serviceaccount:')) t.admin = admins.has(t.username);
  }

  /** MetalLB's validating webhook: pools may not overlap. */
  private validate(obj: Obj): string | undefined {
    if (obj.kind === 'IPAddressPool') {
      for (const a of obj.spec?.addresses ?? []) {
        if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(a)) return `invalid CIDR ${a}`;
        const [lo, hi] = cidrRange(a);
        for (const other of this.list('IPAddressPool')) {
          if (other.metadata.name === obj.metadata.name && other.metadata.namespace === obj.metadata.namespace) continue;
          for (const b of other.spec?.addresses ?? []) {
            const [lo2, hi2] = cidrRange(b);
            if (lo <= hi2 && lo2 <= hi) return `admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: CIDR "${a}" overlaps with already defined CIDR "${b}"`;
          }
        }
      }
    }
    if (obj.kind === 'Secret' && obj.type === 'kubernetes.io/tls' && (!obj.data?.['tls.crt'] || !obj.data?.['tls.key'])) return 'data[tls.crt] and data[tls.key]: Required value';
    return undefined;
  }

  // ---------------------------------------------------------------- HTTP

  async start(): Promise<string> {
    const [pair] = await generateCertificates('localhost', [['localhost']]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-ui-fake-'));
    this.caFile = path.join(dir, 'ca.crt');
    fs.writeFileSync(this.caFile, pair.ca);
    this.server = https.createServer({ cert: pair.cert, key: pair.key }, (req, res) => {
      this.handle(req, res).catch((e) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status(500, 'InternalError', String(e)).body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `https://localhost:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    if (this.caFile) fs.rmSync(path.dirname(this.caFile), { recursive: true, force: true });
  }

  /** Waits until the simulated controllers have nothing left to do. */
  async settle(): Promise<void> {
    while (this.timers.size) await new Promise((r) => setTimeout(r, 20));
  }

  private async body(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private json(res: http.ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      return this.json(res, 200, { issuer: this.url, authorization_endpoint: `${this.url}/oauth/authorize`, token_endpoint: `${this.url}/oauth/token`, response_types_supported: ['code', 'token'] });
    }
    if (url.pathname.startsWith('/oauth/') || url.pathname === '/login') return this.oauth(req, res, url);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const who = auth ? this.tokens.get(auth) : undefined;
    if (!who) return this.json(res, 401, status(401, 'Unauthorized', 'Unauthorized').body);
    return this.api(req, res, url, who);
  }

  private resolve(url: URL): { apiVersion: string; kind?: Kind; ns?: string; name?: string } | undefined {
    const parts = url.pathname.split('/').filter(Boolean);
    let apiVersion: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1] === 'v1') {
      apiVersion = 'v1';
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      apiVersion = `${parts[1]}/${parts[2]}`;
      rest = parts.slice(3);
    } else return undefined;
    if (!DISCOVERY[apiVersion]) return undefined;
    if (!rest.length) return { apiVersion };
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      rest = rest.slice(2);
    }
    const kind = DISCOVERY[apiVersion].find((k) => k.plural === rest[0]);
    if (!kind) return undefined;
    return { apiVersion, kind, ns, name: rest[1] };
  }

  private async api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, who: TokenInfo): Promise<void> {
    const r = this.resolve(url);
    if (!r) return this.json(res, 404, status(404, 'NotFound', 'the server could not find the requested resource').body);
    if (!r.kind) {
      return this.json(res, 200, {
        kind: 'APIResourceList',
        groupVersion: r.apiVersion,
        resources: DISCOVERY[r.apiVersion].map((k) => ({ name: k.plural, singularName: k.kind.toLowerCase(), namespaced: k.namespaced, kind: k.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] })),
      });
    }
    const { apiVersion, kind, ns, name } = r;
    if (kind.kind === 'TokenReview') {
      if (req.method !== 'POST' || !who.username.startsWith('system:serviceaccount:')) return this.json(res, 403, status(403, 'Forbidden', 'tokenreviews is forbidden').body);
      const review = JSON.parse(await this.body(req));
      const t = this.tokens.get(review.spec?.token);
      return this.json(res, 201, { ...review, status: t && !t.username.startsWith('system:serviceaccount:') ? { authenticated: true, user: { username: t.username, groups: t.groups } } : { authenticated: false } });
    }
    // RBAC: the UI's ServiceAccount may do nothing else; users need cluster-admin.
    if (!who.admin) return this.json(res, 403, status(403, 'Forbidden', `${kind.plural} is forbidden: User "${who.username}" cannot ${req.method?.toLowerCase()} resource "${kind.plural}"`).body);
    if (kind.namespaced && !ns && name) return this.json(res, 404, status(404, 'NotFound', 'namespace required').body);
    const desc = `${kind.plural}${apiVersion.includes('/') ? `.${apiVersion.split('/')[0]}` : ''}`;
    const existing = name ? this.get(apiVersion, kind.kind, name, ns) : undefined;
    const fail = () => {
      if (this.failNext && this.failNext.kind === kind.kind && req.method !== 'GET') {
        const f = this.failNext;
        this.failNext = undefined;
        this.json(res, f.code, status(f.code, 'InternalError', f.message).body);
        return true;
      }
      return false;
    };
    switch (req.method) {
      case 'GET': {
        if (!name) {
          const items = [...this.objects.values()].filter((o) => o.apiVersion === apiVersion && o.kind === kind.kind && (!ns || o.metadata.namespace === ns));
          return this.json(res, 200, { kind: `${kind.kind}List`, apiVersion, metadata: {}, items });
        }
        if (!existing) return this.json(res, 404, status(404, 'NotFound', `${desc} "${name}" not found`).body);
        return this.json(res, 200, existing);
      }
      case 'POST': {
        if (fail()) return;
        const obj = JSON.parse(await this.body(req)) as Obj;
        obj.apiVersion = apiVersion;
        obj.kind = kind.kind;
        if (kind.namespaced) obj.metadata.namespace = ns;
        if (this.get(apiVersion, kind.kind, obj.metadata.name, ns)) return this.json(res, 409, status(409, 'AlreadyExists', `${desc} "${obj.metadata.name}" already exists`).body);
        if (kind.namespaced && !this.get('v1', 'Namespace', ns!)) return this.json(res, 404, status(404, 'NotFound', `namespaces "${ns}" not found`).body);
        const invalid = this.validate(obj);
        if (invalid) return this.json(res, 422, status(422, 'Invalid', invalid).body);
        delete obj.metadata.resourceVersion;
        const stored = this.put(obj);
        this.afterWrite(stored, 'create');
        return this.json(res, 201, stored);
      }
      case 'PATCH': {
        if (req.headers['content-type'] !== 'application/merge-patch+json') return this.json(res, 415, status(415, 'UnsupportedMediaType', `unsupported ${req.headers['content-type']}`).body);
        if (!existing) return this.json(res, 404, status(404, 'NotFound', `${desc} "${name}" not found`).body);
        if (fail()) return;
        const patch = JSON.parse(await this.body(req));
        const rv = patch.metadata?.resourceVersion;
        if (rv && rv !== existing.metadata.resourceVersion) {
          return this.json(res, 409, status(409, 'Conflict', `Operation cannot be fulfilled on ${desc} "${name}": the object has been modified; please apply your changes to the latest version and try again`).body);
        }
        const next = mergePatch(existing, patch) as Obj;
        next.metadata.name = existing.metadata.name;
        if (kind.namespaced) next.metadata.namespace = ns;
        const invalid = this.validate(next);
        if (invalid) return this.json(res, 422, status(422, 'Invalid', invalid).body);
        const stored = this.put(next);
        this.afterWrite(stored, 'patch');
        return this.json(res, 200, stored);
      }
      case 'DELETE': {
        if (!existing) return this.json(res, 404, status(404, 'NotFound', `${desc} "${name}" not found`).body);
        if (fail()) return;
        this.objects.delete(this.key(apiVersion, kind.kind, ns, name!));
        if (kind.kind === 'OAuthAccessToken') {
          for (const [t] of this.tokens) if (this.tokenName(t) === name) this.tokens.delete(t);
        }
        this.writes.push(`delete ${kind.kind} ${ns ? `${ns}/` : ''}${name}`);
        return this.json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
      }
      default:
        return this.json(res, 405, status(405, 'MethodNotAllowed', 'method not allowed').body);
    }
  }

  tokenName(token: string): string {
    return 'sha256~' + crypto.createHash('sha256').update(token.slice('sha256~'.length)).digest('base64url');
  }

  /** Issues a token for a user, as the OAuth server does, and records its OAuthAccessToken. */
  issueToken(user: TokenInfo, client = 'ztpfwoauth'): string {
    const token = `sha256~${crypto.randomBytes(32).toString('base64url')}`;
    this.tokens.set(token, user);
    this.put({ apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthAccessToken', metadata: { name: this.tokenName(token) }, clientName: client, userName: user.username });
    return token;
  }

  private htpasswdUsers(): Map<string, string> {
    const out = new Map<string, string>();
    const oauth = this.get('config.openshift.io/v1', 'OAuth', 'cluster');
    for (const idp of oauth?.spec?.identityProviders ?? []) {
      if (idp.type !== 'HTPasswd') continue;
      const s = this.get('v1', 'Secret', idp.htpasswd?.fileData?.name, 'openshift-config');
      const text = s?.data?.htpasswd ? Buffer.from(s.data.htpasswd, 'base64').toString() : '';
      for (const line of text.split('\n').filter((l) => l.includes(':'))) out.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1));
    }
    return out;
  }

  private page(res: http.ServerResponse, html: string): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Log in · OpenShift</title></head><body style="font-family:sans-serif;background:#151515;color:#fff;padding:3em">${html}</body></html>`);
  }

  private async oauth(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/oauth/authorize') {
      const clientId = url.searchParams.get('client_id') ?? '';
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      const client = this.get('oauth.openshift.io/v1', 'OAuthClient', clientId);
      if (!client) return this.json(res, 400, { error: 'unauthorized_client', error_description: 'client not found' });
      if (!(client.redirectURIs ?? []).includes(redirect)) return this.json(res, 400, { error: 'invalid_request', error_description: 'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.' });
      const idp = url.searchParams.get('idp');
      const providers = ['kube:admin', ...(this.get('config.openshift.io/v1', 'OAuth', 'cluster')?.spec?.identityProviders ?? []).map((p: any) => p.name)];
      if (!idp && providers.length > 1) {
        const links = providers.map((p) => `<li><a href="/oauth/authorize?${new URLSearchParams({ ...Object.fromEntries(url.searchParams), idp: p })}">${p}</a></li>`).join('');
        return this.page(res, `<h1>Log in with…</h1><ul>${links}</ul>`);
      }
      const params = new URLSearchParams({ ...Object.fromEntries(url.searchParams), idp: idp ?? 'kube:admin' });
      const error = url.searchParams.get('login_error') ? '<p role="alert">Login unsuccessful</p>' : '';
      params.delete('login_error');
      return this.page(
        res,
        `<h1>Log in to your account</h1>${error}<form method="post" action="/login?${params}"><label>Username <input name="username" id="inputUsername"></label><br><label>Password <input type="password" name="password" id="inputPassword"></label><br><button type="submit">Log in</button></form>`,
      );
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      const form = new URLSearchParams(await this.body(req));
      const username = form.get('username') ?? '';
      const password = form.get('password') ?? '';
      const idp = url.searchParams.get('idp');
      let user: TokenInfo | undefined;
      if (idp === 'kube:admin') {
        const s = this.get('v1', 'Secret', 'kubeadmin', 'kube-system');
        if (s && username === 'kubeadmin' && bcrypt.compareSync(password, Buffer.from(s.data.kubeadmin, 'base64').toString())) user = { username: 'kube:admin', groups: ['system:cluster-admins', 'system:authenticated'], admin: true };
      } else {
        const hash = this.htpasswdUsers().get(username);
        if (hash && bcrypt.compareSync(password, hash.replace(/^\$2y\$/, '$2b$'))) {
          user = { username, groups: ['system:authenticated'], admin: false };
        }
      }
      if (!user) {
        const back = new URLSearchParams(url.searchParams);
        back.set('login_error', '1');
        res.writeHead(302, { location: `/oauth/authorize?${back}` });
        return void res.end();
      }
      const code = crypto.randomBytes(16).toString('hex');
      this.codes.set(code, { client: url.searchParams.get('client_id') ?? '', redirect: url.searchParams.get('redirect_uri') ?? '', user });
      const target = new URL(url.searchParams.get('redirect_uri') ?? '');
      target.searchParams.set('code', code);
      target.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: target.toString() });
      return void res.end();
    }
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      const form = new URLSearchParams(await this.body(req));
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
      const client = this.get('oauth.openshift.io/v1', 'OAuthClient', id ?? '');
      if (!client || !client.secret || client.secret !== secret) return this.json(res, 401, { error: 'unauthorized_client', error_description: 'The client is not authorized to request a token using this method.' });
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!grant || grant.client !== id || grant.redirect !== form.get('redirect_uri')) return this.json(res, 400, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.' });
      this.refreshAdmins();
      const user = { ...grant.user };
      if (user.username !== 'kube:admin') {
        const admins = this.list('ClusterRoleBinding').filter((b) => b.roleRef?.name === 'cluster-admin' && (b.subjects ?? []).some((s: any) => s.kind === 'User' && s.name === user.username));
        user.admin = admins.length > 0;
      }
      return this.json(res, 200, { access_token: this.issueToken(user, id ?? ''), token_type: 'Bearer', expires_in: 86400, scope: 'user:full' });
    }
    return this.json(res, 404, { error: 'not found' });
  }
}
