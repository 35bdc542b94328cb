import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { userKube, type Kube } from '../src/server/kube.js';
import { FakeCluster } from './fake/cluster.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The edge cluster this repository renders in dist/ whose bundles seed the fake. */
export const DIST_CLUSTER = path.resolve(here, '../../dist/clusters/sno-01');
export const DOMAIN = 'sno-01.factory.example.com';
export const INTERNAL_NETWORK = '192.168.7.0/24';
export const KUBEADMIN_PASSWORD = 'Factory-kubeadmin-1';
export const SA_TOKEN = 'sa-token-of-the-ui-pod';
export const CLIENT_SECRET = 'generated-in-cluster-secret';

export async function startFake(controllerDelay = 20): Promise<{ fake: FakeCluster; kube: Kube; token: string }> {
  const fake = new FakeCluster({ domain: DOMAIN, kubeadminPassword: KUBEADMIN_PASSWORD, controllerDelay, distCluster: DIST_CLUSTER, oauthClientSecret: CLIENT_SECRET, saToken: SA_TOKEN });
  await fake.start();
  const token = fake.issueToken({ username: 'kube:admin', groups: ['system:cluster-admins'], admin: true });
  return { fake, kube: userKube({ server: fake.url, caFile: fake.caFile }, token), token };
}
