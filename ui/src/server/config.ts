/** The backend's settings, from the environment the `ui` bundle renders (charts/ui). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCidr } from './validate.js';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface Config {
  readonly port: number;
  /** `https://edge-cluster-setup.apps.<cluster>.<domain>`: where the page lives. */
  readonly frontendUrl: URL;
  readonly oauthClientId: string;
  readonly oauthClientSecret: string;
  readonly internalNetwork: string;
  readonly kubeApiUrl: string;
  readonly kubeCaFile?: string;
  readonly saTokenFile: string;
  /** Where the OAuth server's endpoints are published (OpenShift docs "OAuth server metadata"). */
  readonly oauthMetadataUrl: string;
  /** Extra CAs for the OAuth server's certificate (the new domain's, written by the domain step). */
  readonly trustBundleFile: string;
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly staticDir: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const need = (k: string) => {
    const v = env[k];
    if (!v) problems.push(`${k} is not set`);
    return v ?? '';
  };
  const frontend = need('FRONTEND_URL');
  let frontendUrl: URL | undefined;
  try {
    frontendUrl = new URL(frontend);
  } catch {
    if (frontend) problems.push('FRONTEND_URL is not a URL');
  }
  const internalNetwork = need('INTERNAL_NETWORK');
  if (internalNetwork && !parseCidr(internalNetwork)) problems.push('INTERNAL_NETWORK is not an IPv4 CIDR');
  const oauthClientId = need('OAUTH2_CLIENT_ID');
  const oauthClientSecret = need('OAUTH2_CLIENT_SECRET');
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) problems.push('PORT is not a port number');
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  const kubeApiUrl = env.KUBE_API_URL ?? 'https://kubernetes.default.svc';
  const defaultCa = path.join(SA_DIR, 'ca.crt');
  const certDir = env.TLS_CERT_DIR ?? '/app/certs';
  const cert = path.join(certDir, 'tls.crt');
  const key = path.join(certDir, 'tls.key');
  const here = path.dirname(fileURLToPath(import.meta.url));
  return {
    port,
    frontendUrl: frontendUrl!,
    oauthClientId,
    oauthClientSecret,
    internalNetwork,
    kubeApiUrl,
    kubeCaFile: env.KUBE_CA_FILE ?? (fs.existsSync(defaultCa) ? defaultCa : undefined),
    saTokenFile: env.SA_TOKEN_FILE ?? path.join(SA_DIR, 'token'),
    oauthMetadataUrl: env.OAUTH_METADATA_URL ?? `${kubeApiUrl}/.well-known/oauth-authorization-server`,
    trustBundleFile: env.TRUST_BUNDLE_FILE ?? '/etc/ztpfw-ui/trust/ca-bundle.crt',
    tls: fs.existsSync(cert) && fs.existsSync(key) ? { cert, key } : undefined,
    staticDir: env.STATIC_DIR ?? path.resolve(here, '../web'),
  };
}
