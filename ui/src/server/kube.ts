/**
 * The Kubernetes API as the UI uses it: a handful of verbs on any kind, through @kubernetes/client-node's generic
 * KubernetesObjectApi (it finds a kind's resource name by API discovery), always with the logged-in user's token.
 * Only `reviewToken` uses the pod's own ServiceAccount, which may create TokenReviews and nothing else.
 */
import * as fs from 'node:fs';
import { ApiException, AuthenticationV1Api, HttpMethod, KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FIELD_MANAGER } from './names.js';

export interface ObjRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Any object: metadata plus whatever the kind holds. */
export interface Obj extends KubernetesObject {
  [key: string]: unknown;
  metadata?: KubernetesObject['metadata'] & { name?: string };
}

export function describeRef(ref: ObjRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** A failed API call, worded for the page: what was done to which object, and the API server's reason. */
export class KubeError extends Error {
  constructor(readonly status: number, readonly verb: string, readonly ref: ObjRef, reason: string) {
    super(`Could not ${verb} ${describeRef(ref)}: ${reason}`);
    this.name = 'KubeError';
  }
}

export interface Kube {
  get<T extends Obj = Obj>(ref: ObjRef): Promise<T | undefined>;
  create<T extends Obj = Obj>(obj: T): Promise<T>;
  /** JSON merge patch (RFC 7386); include `metadata.resourceVersion` to make it conditional. */
  mergePatch<T extends Obj = Obj>(ref: ObjRef, patch: Record<string, unknown>): Promise<T>;
  /** false when the object was already gone. */
  delete(ref: ObjRef): Promise<boolean>;
  list<T extends Obj = Obj>(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<T[]>;
}

export function refOf(obj: Obj): ObjRef {
  return { apiVersion: obj.apiVersion!, kind: obj.kind!, name: obj.metadata!.name!, namespace: obj.metadata?.namespace };
}

function reasonOf(e: unknown): { status: number; reason: string } {
  if (e instanceof ApiException) {
    let message = '';
    try {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      message = typeof body?.message === 'string' ? body.message : '';
    } catch {
      message = '';
    }
    const words: Record<number, string> = { 401: 'your login has expired', 403: 'forbidden', 404: 'not found', 409: 'it was changed meanwhile (conflict)', 422: 'invalid' };
    const word = words[e.code] ?? `the API server answered ${e.code}`;
    return { status: e.code, reason: message ? `${word}: ${message}` : word };
  }
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err?.cause?.code ?? err?.code;
  return { status: 503, reason: `the API server is unreachable${code ? ` (${code})` : ''}` };
}

export interface ClusterAccess {
  /** e.g. https://kubernetes.default.svc */
  readonly server: string;
  /** CA bundle of the API server; undefined for a plain-HTTP test server. */
  readonly caFile?: string;
}

function kubeConfig(access: ClusterAccess, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'edge', server: access.server, caFile: access.caFile, skipTLSVerify: false }],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'edge', cluster: 'edge', user: 'user' }],
    currentContext: 'edge',
  });
  return kc;
}

type Action = 'create' | 'delete' | 'patch' | 'read' | 'list';

/**
 * KubernetesObjectApi, but bodies and answers kept as plain JSON: its typed models are chosen by version and kind
 * alone, so `config.openshift.io/v1 Ingress` would be (de)serialised as `networking.k8s.io/v1 Ingress` and lose
 * `spec.domain` and `spec.componentRoutes`. Discovery, authentication and TLS stay the library's.
 */
class RawObjectApi extends KubernetesObjectApi {
  async raw<T>(method: HttpMethod, spec: KubernetesObject, action: Action, body?: unknown, contentType = 'application/json', query: Record<string, string> = {}): Promise<T> {
    // specUriPath lower-cases the whole path, but OAuthAccessToken names (`sha256~<base64url>`) are case-sensitive:
    // resolve the path with a placeholder name and put the real one in.
    const name = spec.metadata?.name;
    const resolved = await this.specUriPath(name ? { ...spec, metadata: { ...spec.metadata, name: 'placeholder' } } : spec, action);
    const path = name ? `${resolved.slice(0, -'placeholder'.length)}${encodeURIComponent(name)}` : resolved;
    const ctx = this.configuration.baseServer.makeRequestContext(path, method);
    ctx.setHeaderParam('Accept', 'application/json');
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
    if (body !== undefined) {
      ctx.setHeaderParam('Content-Type', contentType);
      ctx.setBody(JSON.stringify(body));
    }
    return (await this.requestPromise(ctx, 'KubernetesObject')) as T;
  }
}

/** The API as the holder of `token` (the logged-in user). */
export function userKube(access: ClusterAccess, token: string): Kube {
  const kc = kubeConfig(access, token);
  const api = kc.makeApiClient(RawObjectApi);
  const call = async <T>(verb: string, ref: ObjRef, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      const { status, reason } = reasonOf(e);
      throw new KubeError(status, verb, ref, reason);
    }
  };
  const spec = (ref: ObjRef) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
  return {
    async get<T extends Obj>(ref: ObjRef) {
      try {
        return await api.raw<T>(HttpMethod.GET, spec(ref), 'read');
      } catch (e) {
        if (e instanceof ApiException && e.code === 404) return undefined;
        const { status, reason } = reasonOf(e);
        throw new KubeError(status, 'read', ref, reason);
      }
    },
    create: <T extends Obj>(obj: T) => call('create', refOf(obj), () => api.raw<T>(HttpMethod.POST, { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { namespace: obj.metadata?.namespace } }, 'create', obj, 'application/json', { fieldManager: FIELD_MANAGER })),
    mergePatch: <T extends Obj>(ref: ObjRef, patch: Record<string, unknown>) =>
      call('update', ref, async () => {
        const body = { ...patch, apiVersion: ref.apiVersion, kind: ref.kind, metadata: { ...((patch.metadata as object) ?? {}), name: ref.name, namespace: ref.namespace } };
        return api.raw<T>(HttpMethod.PATCH, spec(ref), 'patch', body, PatchStrategy.MergePatch, { fieldManager: FIELD_MANAGER });
      }),
    async delete(ref: ObjRef) {
      try {
        await api.raw(HttpMethod.DELETE, spec(ref), 'delete');
        return true;
      } catch (e) {
        if (e instanceof ApiException && e.code === 404) return false;
        const { status, reason } = reasonOf(e);
        throw new KubeError(status, 'delete', ref, reason);
      }
    },
    list: <T extends Obj>(apiVersion: string, kind: string, namespace?: string, labelSelector?: string) =>
      call('list', { apiVersion, kind, name: '*', namespace }, async () => {
        const list = await api.raw<{ items: T[] }>(HttpMethod.GET, { apiVersion, kind, metadata: { namespace } }, 'list', undefined, undefined, labelSelector ? { labelSelector } : {});
        return list.items;
      }),
  };
}

export interface ReviewedUser {
  readonly username: string;
  readonly groups: readonly string[];
}

/**
 * Asks the API server who holds `token` (TokenReview, with the pod's own ServiceAccount token read from
 * `saTokenFile` on each call, as kubelet rotates it). undefined for a token that is not (or no longer) valid.
 */
export async function reviewToken(access: ClusterAccess, saTokenFile: string, token: string): Promise<ReviewedUser | undefined> {
  const own = fs.readFileSync(saTokenFile, 'utf8').trim();
  const api = kubeConfig(access, own).makeApiClient(AuthenticationV1Api);
  try {
    const review = await api.createTokenReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } });
    if (!review.status?.authenticated || !review.status.user?.username) return undefined;
    return { username: review.status.user.username, groups: review.status.user.groups ?? [] };
  } catch (e) {
    const { status, reason } = reasonOf(e);
    throw new KubeError(status, 'create', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', name: '(login check)' }, reason);
  }
}
