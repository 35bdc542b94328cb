/** The page's calls to the backend: JSON in and out, errors as sentences (and per-field problems) for the page. */
import type { EndpointState } from '../server/steps/addresses.js';
import type { OperatorState, SetupRecord } from '../server/steps/cluster.js';
import type { CertificateChoice, DomainState } from '../server/steps/domain.js';

export interface ClusterState {
  user: string;
  setup?: SetupRecord;
  users: string[];
  identityProvider?: string;
  addresses: Record<'api' | 'ingress', EndpointState>;
  internalNetwork: string;
  domain: DomainState;
  kubeadmin: boolean;
  sshKey: boolean;
}

export interface StepAnswer {
  changed: string[];
  redirect?: string;
}

export interface Progress {
  operators: OperatorState[];
  addresses: Record<'api' | 'ingress', EndpointState>;
  domain: DomainState;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly problems: string[] = []) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: method === 'POST' ? { 'content-type': 'application/json', 'x-ztpfw-ui': '1' } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The setup service cannot be reached. Check the connection to the cluster and try again.');
  }
  const text = await res.text();
  let data: { error?: string; problems?: string[] } & Record<string, unknown> = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { error: `Unexpected answer (${res.status}).` };
  }
  if (!res.ok) throw new ApiError(res.status, data.error ?? `Request failed (${res.status}).`, data.problems ?? []);
  return data as T;
}

export const api = {
  state: () => call<ClusterState>('GET', '/api/state'),
  user: (username: string, password: string) => call<StepAnswer>('POST', '/api/user', { username, password }),
  addresses: (a: { api: string; ingress: string }) => call<StepAnswer>('POST', '/api/addresses', a),
  domain: (d: { domain: string; api?: CertificateChoice; ingress?: CertificateChoice }) => call<StepAnswer>('POST', '/api/domain', d),
  complete: () => call<StepAnswer>('POST', '/api/setup/complete', {}),
  progress: (operators: readonly string[]) => call<Progress>('GET', `/api/progress?operators=${encodeURIComponent(operators.join(','))}`),
  deleteKubeadmin: () => call<StepAnswer>('POST', '/api/kubeadmin/delete', { confirm: 'kubeadmin' }),
  logout: () => call<{ ok: boolean }>('POST', '/api/logout', {}),
};
