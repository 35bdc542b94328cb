/**
 * Step "user": an htpasswd identity provider with the site's own cluster-admin, as the product doc asks ("This new
 * user account is granted cluster-admin privileges and should be used rather than the factory created kubeadmin").
 *
 * Upstream: OpenShift docs "Configuring an htpasswd identity provider" (a Secret in openshift-config with key
 * `htpasswd`, referenced from `spec.identityProviders[].htpasswd.fileData` of `oauths.config.openshift.io/cluster`;
 * bcrypt hashes as `htpasswd -B` writes them) and "Creating a cluster admin" (`oc adm policy
 * add-cluster-role-to-user cluster-admin <user>` = a ClusterRoleBinding to ClusterRole cluster-admin).
 *
 * Idempotent: an existing line for the user whose hash matches the password is left alone; the identity provider is
 * added once (and repaired if it points elsewhere); the binding has a name derived from the user.
 */
import bcrypt from 'bcryptjs';
import type { Kube, Obj } from '../kube.js';
import { CLUSTER_ADMIN_BINDING_PREFIX, HTPASSWD_SECRET, IDP_NAME, OPENSHIFT_CONFIG } from '../names.js';
import { passwordProblems, usernameProblems } from '../validate.js';
import { InputError, type StepResult } from './result.js';

export const OAUTH_REF = { apiVersion: 'config.openshift.io/v1', kind: 'OAuth', name: 'cluster' } as const;
export const HTPASSWD_REF = { apiVersion: 'v1', kind: 'Secret', name: HTPASSWD_SECRET, namespace: OPENSHIFT_CONFIG } as const;
const HTPASSWD_KEY = 'htpasswd';

export function bindingRef(username: string) {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: `${CLUSTER_ADMIN_BINDING_PREFIX}${username}` } as const;
}

interface IdentityProvider {
  name: string;
  type?: string;
  mappingMethod?: string;
  htpasswd?: { fileData?: { name?: string } };
  [k: string]: unknown;
}

export interface OAuthConfig extends Obj {
  spec?: { identityProviders?: IdentityProvider[]; [k: string]: unknown };
}

interface Secret extends Obj {
  data?: Record<string, string>;
  type?: string;
}

/** `name:hash` lines of an htpasswd file, in file order. */
export function parseHtpasswd(text: string): { user: string; hash: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && l.includes(':'))
    .map((l) => ({ user: l.slice(0, l.indexOf(':')), hash: l.slice(l.indexOf(':') + 1) }));
}

/** A bcrypt hash in the `$2y$` form `htpasswd -B` writes (the same algorithm as bcryptjs's `$2b$`). */
export function hashPassword(password: string): string {
  return bcrypt.hashSync(password, 10).replace(/^\$2b\$/, '$2y$');
}

export function passwordMatches(password: string, hash: string): boolean {
  if (!/^\$2[aby]\$/.test(hash)) return false;
  return bcrypt.compareSync(password, hash.replace(/^\$2y\$/, '$2b$'));
}

/** The htpasswd users the identity provider knows (empty when the step never ran). */
export async function readUsers(kube: Kube): Promise<string[]> {
  const secret = await kube.get<Secret>(HTPASSWD_REF);
  const data = secret?.data?.[HTPASSWD_KEY];
  return data ? parseHtpasswd(Buffer.from(data, 'base64').toString('utf8')).map((e) => e.user) : [];
}

export async function identityProviderPresent(kube: Kube): Promise<boolean> {
  const oauth = await kube.get<OAuthConfig>(OAUTH_REF);
  return (oauth?.spec?.identityProviders ?? []).some((p) => p.name === IDP_NAME);
}

export async function ensureUser(kube: Kube, input: { username: string; password: string }): Promise<StepResult> {
  const problems = [...usernameProblems(input.username), ...passwordProblems(input.password)];
  if (problems.length) throw new InputError(problems);
  const changed: string[] = [];

  // 1. The htpasswd Secret: keep every other user, add or update this one.
  const secret = await kube.get<Secret>(HTPASSWD_REF);
  const current = secret?.data?.[HTPASSWD_KEY] ? parseHtpasswd(Buffer.from(secret.data[HTPASSWD_KEY], 'base64').toString('utf8')) : [];
  const mine = current.find((e) => e.user === input.username);
  if (!mine || !passwordMatches(input.password, mine.hash)) {
    const lines = [...current.filter((e) => e.user !== input.username), { user: input.username, hash: hashPassword(input.password) }];
    const data = { [HTPASSWD_KEY]: Buffer.from(lines.map((e) => `${e.user}:${e.hash}`).join('\n') + '\n', 'utf8').toString('base64') };
    if (secret) {
      await kube.mergePatch(HTPASSWD_REF, { metadata: { resourceVersion: secret.metadata?.resourceVersion }, data });
    } else {
      await kube.create<Secret>({ ...HTPASSWD_REF, metadata: { name: HTPASSWD_REF.name, namespace: HTPASSWD_REF.namespace, labels: { 'app.kubernetes.io/managed-by': 'ztpfw-ui' } }, type: 'Opaque', data });
    }
    changed.push(`Secret ${OPENSHIFT_CONFIG}/${HTPASSWD_SECRET}`);
  }

  // 2. The identity provider in the cluster OAuth configuration (the list is replaced whole: conditional on resourceVersion).
  const oauth = await kube.get<OAuthConfig>(OAUTH_REF);
  if (!oauth) throw new Error('The cluster has no OAuth configuration (oauths.config.openshift.io/cluster); is this an OpenShift cluster?');
  const providers = oauth.spec?.identityProviders ?? [];
  const wanted: IdentityProvider = { name: IDP_NAME, mappingMethod: 'claim', type: 'HTPasswd', htpasswd: { fileData: { name: HTPASSWD_SECRET } } };
  const existing = providers.find((p) => p.name === IDP_NAME);
  if (!existing || existing.type !== 'HTPasswd' || existing.htpasswd?.fileData?.name !== HTPASSWD_SECRET) {
    const next = existing ? providers.map((p) => (p.name === IDP_NAME ? wanted : p)) : [...providers, wanted];
    await kube.mergePatch(OAUTH_REF, { metadata: { resourceVersion: oauth.metadata?.resourceVersion }, spec: { identityProviders: next } });
    changed.push(`identity provider ${IDP_NAME}`);
  }

  // 3. cluster-admin for the user.
  const ref = bindingRef(input.username);
  const binding = await kube.get<Obj & { roleRef?: { name?: string }; subjects?: { kind?: string; name?: string }[] }>(ref);
  if (!binding) {
    await kube.create({
      ...ref,
      metadata: { name: ref.name, labels: { 'app.kubernetes.io/managed-by': 'ztpfw-ui' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: input.username }],
    });
    changed.push(`ClusterRoleBinding ${ref.name}`);
  } else if (binding.roleRef?.name !== 'cluster-admin' || !binding.subjects?.some((s) => s.kind === 'User' && s.name === input.username)) {
    throw new Error(`ClusterRoleBinding ${ref.name} exists but does not grant cluster-admin to ${input.username}; delete it and retry.`);
  }
  return { changed };
}
