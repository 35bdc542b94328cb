/**
 * Step "domain": serve the cluster under a new domain `<D>` as well, the way the original UI did and OpenShift
 * supports it day-2 (the install-time `spec.domain` of the ingress config cannot change):
 *  - the API: a named certificate for `api.<D>` in `apiservers.config.openshift.io/cluster`
 *    `spec.servingCerts.namedCertificates` (OpenShift docs "Adding API server certificates"; Secret in openshift-config);
 *  - the console, its downloads and the OAuth server: `spec.componentRoutes` of `ingresses.config.openshift.io/cluster`
 *    with hostnames under `apps.<D>` and a serving certificate Secret in openshift-config (OpenShift docs "Customizing
 *    the console route", "Customizing the OAuth server URL");
 *  - this UI: a second Route `edge-cluster-setup.apps.<D>` carrying the ingress certificate, and that callback added
 *    to the OAuthClient's redirectURIs (the rendered Route keeps the old host working, so the page never loses its
 *    backend while the cluster reconciles);
 *  - the CA of the new ingress certificate, in a ConfigMap the UI's Deployment mounts, so the UI trusts the OAuth
 *    server under its new name.
 * Every certificate is generated or checked before anything is written. Entries are merged by name (other named
 * certificates and component routes stay), and list updates are conditional on the resourceVersion read. Going back
 * to the install domain removes what this step added. The old names keep working: DNS must serve both (product doc).
 */
import { checkCertificate, type CertificatePair, generateCertificates } from '../certs.js';
import type { Kube, Obj } from '../kube.js';
import {
  API_CERT_SECRET,
  COMPONENT_ROUTES,
  INGRESS_CERT_SECRET,
  OAUTH_CLIENT,
  OPENSHIFT_CONFIG,
  TRUST_CONFIGMAP,
  UI_DOMAIN_ROUTE,
  UI_HOST_PREFIX,
  UI_NAMESPACE,
  UI_SERVICE,
} from '../names.js';
import { domainProblems } from '../validate.js';
import { InputError, type StepResult } from './result.js';

export const INGRESS_CONFIG_REF = { apiVersion: 'config.openshift.io/v1', kind: 'Ingress', name: 'cluster' } as const;
export const APISERVER_REF = { apiVersion: 'config.openshift.io/v1', kind: 'APIServer', name: 'cluster' } as const;
export const OAUTH_CLIENT_REF = { apiVersion: 'oauth.openshift.io/v1', kind: 'OAuthClient', name: OAUTH_CLIENT } as const;
export const DOMAIN_ROUTE_REF = { apiVersion: 'route.openshift.io/v1', kind: 'Route', name: UI_DOMAIN_ROUTE, namespace: UI_NAMESPACE } as const;
export const TRUST_REF = { apiVersion: 'v1', kind: 'ConfigMap', name: TRUST_CONFIGMAP, namespace: UI_NAMESPACE } as const;
export const API_CERT_REF = { apiVersion: 'v1', kind: 'Secret', name: API_CERT_SECRET, namespace: OPENSHIFT_CONFIG } as const;
export const INGRESS_CERT_REF = { apiVersion: 'v1', kind: 'Secret', name: INGRESS_CERT_SECRET, namespace: OPENSHIFT_CONFIG } as const;

export const apiHost = (d: string) => `api.${d}`;
export const ingressWildcard = (d: string) => `*.apps.${d}`;
export const uiHostOf = (d: string) => `${UI_HOST_PREFIX}.apps.${d}`;
export const uiUrlOf = (d: string) => `https://${uiHostOf(d)}`;

interface ComponentRoute {
  name: string;
  namespace: string;
  hostname: string;
  servingCertKeyPairSecret?: { name: string };
}
interface IngressConfig extends Obj {
  spec?: { domain?: string; componentRoutes?: ComponentRoute[] };
}
interface NamedCertificate {
  names?: string[];
  servingCertificate: { name: string };
}
interface APIServerConfig extends Obj {
  spec?: { servingCerts?: { namedCertificates?: NamedCertificate[] } };
}
interface Secret extends Obj {
  data?: Record<string, string>;
}

/** Per certificate: generate it, or use the uploaded PEM chain and key. */
export type CertificateChoice = { mode: 'generate' } | { mode: 'upload'; cert: string; key: string };

export interface DomainInput {
  readonly domain: string;
  /** Automatic = both `generate` (the default); Manual = a choice per certificate. */
  readonly api?: CertificateChoice;
  readonly ingress?: CertificateChoice;
}

export interface DomainState {
  /** The domain the cluster was installed with (`spec.domain` of the ingress config without `apps.`). */
  readonly installed: string;
  /** The domain the cluster is served under now (the console's component route, else the installed one). */
  readonly current: string;
}

export async function readDomain(kube: Kube): Promise<DomainState> {
  const ingress = await kube.get<IngressConfig>(INGRESS_CONFIG_REF);
  const appsDomain = ingress?.spec?.domain;
  if (!appsDomain?.startsWith('apps.')) throw new Error('The ingress configuration (ingresses.config.openshift.io/cluster) has no apps domain.');
  const installed = appsDomain.slice('apps.'.length);
  const consolePrefix = `${COMPONENT_ROUTES[0].prefix}.apps.`;
  const console = ingress?.spec?.componentRoutes?.find((r) => r.name === 'console' && r.namespace === COMPONENT_ROUTES[0].namespace);
  const current = console?.hostname.startsWith(consolePrefix) && console.servingCertKeyPairSecret?.name === INGRESS_CERT_SECRET ? console.hostname.slice(consolePrefix.length) : installed;
  return { installed, current };
}

/** The distinct certificates of a PEM bundle, in order. */
export function uniquePems(bundle: string): string {
  const pems = [...bundle.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => m[0]);
  return [...new Set(pems)].map((p) => `${p}\n`).join('');
}

function tlsData(p: CertificatePair): Record<string, string> {
  return { 'tls.crt': Buffer.from(p.cert).toString('base64'), 'tls.key': Buffer.from(p.key).toString('base64') };
}

/** An existing Secret's pair when it still fits `hosts` (so a retried Automatic run does not rotate certificates). */
async function reusable(kube: Kube, ref: typeof API_CERT_REF | typeof INGRESS_CERT_REF, hosts: string[], trust: string | undefined): Promise<CertificatePair | undefined> {
  const s = await kube.get<Secret>(ref);
  const crt = s?.data?.['tls.crt'];
  const key = s?.data?.['tls.key'];
  if (!crt || !key) return undefined;
  const { pair } = checkCertificate('existing', Buffer.from(crt, 'base64').toString(), Buffer.from(key, 'base64').toString(), hosts);
  if (!pair) return undefined;
  return trust ? { ...pair, ca: trust } : pair;
}

async function certificatesFor(kube: Kube, domain: string, input: DomainInput): Promise<{ api: CertificatePair; ingress: CertificatePair }> {
  const hosts = { api: [apiHost(domain)], ingress: [ingressWildcard(domain)] };
  const choice = { api: input.api ?? { mode: 'generate' as const }, ingress: input.ingress ?? { mode: 'generate' as const } };
  const out: Partial<Record<'api' | 'ingress', CertificatePair>> = {};
  const problems: string[] = [];
  for (const key of ['api', 'ingress'] as const) {
    const c = choice[key];
    if (c.mode === 'upload') {
      const r = checkCertificate(key === 'api' ? 'API certificate' : 'Ingress certificate', c.cert, c.key, hosts[key]);
      problems.push(...r.problems);
      if (r.pair) out[key] = r.pair;
    }
  }
  if (problems.length) throw new InputError(problems);
  const trust = (await kube.get<Obj & { data?: Record<string, string> }>(TRUST_REF))?.data?.['ca-bundle.crt'];
  const missing = (['api', 'ingress'] as const).filter((k) => !out[k]);
  for (const k of [...missing]) {
    const reuse = await reusable(kube, k === 'api' ? API_CERT_REF : INGRESS_CERT_REF, hosts[k], trust);
    if (reuse) {
      out[k] = reuse;
      missing.splice(missing.indexOf(k), 1);
    }
  }
  if (missing.length) {
    const made = await generateCertificates(domain, missing.map((k) => (k === 'api' ? hosts.api : [ingressWildcard(domain), `apps.${domain}`])));
    missing.forEach((k, i) => (out[k] = made[i]));
  }
  return { api: out.api!, ingress: out.ingress! };
}

async function putTlsSecret(kube: Kube, ref: typeof API_CERT_REF | typeof INGRESS_CERT_REF, pair: CertificatePair, changed: string[]): Promise<void> {
  const data = tlsData(pair);
  const s = await kube.get<Secret>(ref);
  if (!s) {
    await kube.create<Secret>({ ...ref, metadata: { name: ref.name, namespace: ref.namespace, labels: { 'app.kubernetes.io/managed-by': 'ztpfw-ui' } }, type: 'kubernetes.io/tls', data });
  } else if (s.data?.['tls.crt'] !== data['tls.crt'] || s.data?.['tls.key'] !== data['tls.key']) {
    await kube.mergePatch(ref, { data });
  } else return;
  changed.push(`Secret ${ref.namespace}/${ref.name}`);
}

async function putTrust(kube: Kube, bundle: string | undefined, changed: string[]): Promise<void> {
  const cm = await kube.get<Obj & { data?: Record<string, string> }>(TRUST_REF);
  const data = bundle === undefined ? null : { 'ca-bundle.crt': bundle };
  if (!cm) {
    if (data === null) return;
    await kube.create({ ...TRUST_REF, metadata: { name: TRUST_REF.name, namespace: TRUST_REF.namespace }, data });
  } else if ((cm.data?.['ca-bundle.crt'] ?? null) !== (bundle ?? null)) {
    await kube.mergePatch(TRUST_REF, { data: data ?? { 'ca-bundle.crt': null } });
  } else return;
  changed.push(`ConfigMap ${TRUST_REF.namespace}/${TRUST_REF.name}`);
}

async function putUiRoute(kube: Kube, domain: string, pair: CertificatePair | undefined, changed: string[]): Promise<void> {
  const route = await kube.get<Obj & { spec?: { host?: string; tls?: { certificate?: string; key?: string } } }>(DOMAIN_ROUTE_REF);
  if (!pair) {
    if (route && (await kube.delete(DOMAIN_ROUTE_REF))) changed.push(`Route ${UI_NAMESPACE}/${UI_DOMAIN_ROUTE}`);
    return;
  }
  const spec = {
    host: uiHostOf(domain),
    to: { kind: 'Service', name: UI_SERVICE, weight: 100 },
    port: { targetPort: 'https' },
    tls: { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect', certificate: pair.cert, key: pair.key },
    wildcardPolicy: 'None',
  };
  if (!route) {
    await kube.create({ ...DOMAIN_ROUTE_REF, metadata: { name: UI_DOMAIN_ROUTE, namespace: UI_NAMESPACE, labels: { app: 'ztpfw-ui' } }, spec });
  } else if (route.spec?.host !== spec.host || route.spec?.tls?.certificate !== pair.cert || route.spec?.tls?.key !== pair.key) {
    await kube.mergePatch(DOMAIN_ROUTE_REF, { spec });
  } else return;
  changed.push(`Route ${UI_NAMESPACE}/${UI_DOMAIN_ROUTE}`);
}

async function putRedirect(kube: Kube, domain: string, changed: string[]): Promise<void> {
  const client = await kube.get<Obj & { redirectURIs?: string[] }>(OAUTH_CLIENT_REF);
  if (!client) throw new Error(`OAuthClient ${OAUTH_CLIENT} is missing: the ui bundle renders it; re-sync the bundle, then retry.`);
  const uri = `${uiUrlOf(domain)}/login/callback`;
  const uris = client.redirectURIs ?? [];
  if (uris.includes(uri)) return;
  await kube.mergePatch(OAUTH_CLIENT_REF, { metadata: { resourceVersion: client.metadata?.resourceVersion }, redirectURIs: [...uris, uri] });
  changed.push(`OAuthClient ${OAUTH_CLIENT}`);
}

async function putApiServer(kube: Kube, domain: string | undefined, changed: string[]): Promise<void> {
  const apiserver = await kube.get<APIServerConfig>(APISERVER_REF);
  if (!apiserver) throw new Error('The cluster has no apiservers.config.openshift.io/cluster.');
  const named = apiserver.spec?.servingCerts?.namedCertificates ?? [];
  const others = named.filter((n) => n.servingCertificate?.name !== API_CERT_SECRET);
  const next = domain ? [...others, { names: [apiHost(domain)], servingCertificate: { name: API_CERT_SECRET } }] : others;
  if (JSON.stringify(next) === JSON.stringify(named)) return;
  await kube.mergePatch(APISERVER_REF, { metadata: { resourceVersion: apiserver.metadata?.resourceVersion }, spec: { servingCerts: { namedCertificates: next } } });
  changed.push('APIServer cluster');
}

async function putComponentRoutes(kube: Kube, domain: string | undefined, changed: string[]): Promise<void> {
  const ingress = await kube.get<IngressConfig>(INGRESS_CONFIG_REF);
  const routes = ingress?.spec?.componentRoutes ?? [];
  const ours = (r: ComponentRoute) => COMPONENT_ROUTES.some((c) => c.name === r.name && c.namespace === r.namespace);
  const mine = domain
    ? COMPONENT_ROUTES.map((c) => ({ name: c.name, namespace: c.namespace, hostname: `${c.prefix}.apps.${domain}`, servingCertKeyPairSecret: { name: INGRESS_CERT_SECRET } }))
    : [];
  // Without a new domain, only the entries this step wrote go (a site's own customisations stay).
  const keep = domain ? routes.filter((r) => !ours(r)) : routes.filter((r) => !(ours(r) && r.servingCertKeyPairSecret?.name === INGRESS_CERT_SECRET));
  const next = [...keep, ...mine];
  if (JSON.stringify(next) === JSON.stringify(routes)) return;
  await kube.mergePatch(INGRESS_CONFIG_REF, { metadata: { resourceVersion: ingress?.metadata?.resourceVersion }, spec: { componentRoutes: next } });
  changed.push('Ingress cluster (component routes)');
}

export async function applyDomain(kube: Kube, input: DomainInput): Promise<StepResult & { domain: string; redirect?: string }> {
  const domain = (input.domain ?? '').trim();
  const problems = domainProblems(domain);
  if (problems.length) throw new InputError(problems);
  const state = await readDomain(kube);
  const changed: string[] = [];
  if (domain === state.installed) {
    // Back to the install domain: take away what a previous change added (certificate Secrets stay, unused).
    await putComponentRoutes(kube, undefined, changed);
    await putApiServer(kube, undefined, changed);
    await putUiRoute(kube, domain, undefined, changed);
    await putTrust(kube, undefined, changed);
    return { changed, domain, redirect: state.current !== domain ? uiUrlOf(domain) : undefined };
  }
  const certs = await certificatesFor(kube, domain, input);
  await putTlsSecret(kube, API_CERT_REF, certs.api, changed);
  await putTlsSecret(kube, INGRESS_CERT_REF, certs.ingress, changed);
  await putTrust(kube, uniquePems(certs.ingress.ca + certs.api.ca), changed);
  await putUiRoute(kube, domain, certs.ingress, changed);
  await putRedirect(kube, domain, changed);
  await putApiServer(kube, domain, changed);
  await putComponentRoutes(kube, domain, changed);
  return { changed, domain, redirect: state.current !== domain || changed.length ? uiUrlOf(domain) : undefined };
}
