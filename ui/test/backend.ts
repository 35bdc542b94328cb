/** Starts the real backend (createApp) against a FakeCluster, as the container would run it. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { FakeCluster } from './fake/cluster.js';
import { CLIENT_SECRET, INTERNAL_NETWORK, SA_TOKEN } from './support.js';

export interface Backend {
  url: string;
  stop(): Promise<void>;
}

export async function startBackend(fake: FakeCluster, staticDir?: string): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-ui-backend-'));
  fs.writeFileSync(path.join(dir, 'token'), SA_TOKEN);
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The page's address is registered on the OAuthClient, as the ui bundle renders it for the real host.
  const client = fake.get('oauth.openshift.io/v1', 'OAuthClient', 'ztpfwoauth')!;
  fake.put({ ...client, redirectURIs: [...client.redirectURIs, `${url}/login/callback`] });
  const config = loadConfig({
    PORT: String((server.address() as AddressInfo).port),
    FRONTEND_URL: url,
    OAUTH2_CLIENT_ID: 'ztpfwoauth',
    OAUTH2_CLIENT_SECRET: CLIENT_SECRET,
    INTERNAL_NETWORK,
    KUBE_API_URL: fake.url,
    KUBE_CA_FILE: fake.caFile,
    SA_TOKEN_FILE: path.join(dir, 'token'),
    TLS_CERT_DIR: path.join(dir, 'no-certs'),
    TRUST_BUNDLE_FILE: path.join(dir, 'no-trust'),
    STATIC_DIR: staticDir ?? path.join(dir, 'web'),
  });
  server.on('request', createApp(config));
  return {
    url,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
