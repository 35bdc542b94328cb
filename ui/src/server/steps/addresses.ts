/**
 * Step "addresses": the external API and ingress addresses, edited where this repository's metallb bundle renders
 * them (charts/metallb): one `metallb.io/v1beta1 IPAddressPool` per endpoint holding `<ip>/32` (autoAssign off), its
 * `L2Advertisement` on br-ex, and the LoadBalancer Service that takes its address from the pool through the
 * `metallb.universe.tf/address-pool` annotation. This is defect F3 of the original fixed: the original UI created
 * `v1alpha1 AddressPool`s and set `spec.loadBalancerIP`, which the pools we render never see; a leftover
 * `loadBalancerIP` is cleared here because it would pin the Service to the old address.
 *
 * Missing objects (a cluster whose metallb bundle has not finished) are created with the rendered shape, so the
 * step can be resumed at any point. MetalLB's webhook rejects overlapping pools, so the pool that gives its address
 * to the other is changed first, and a swap of the two addresses is refused with an explanation.
 */
import type { Kube, Obj } from '../kube.js';
import { ANNOUNCE_INTERFACE, ENDPOINTS, type Endpoint, METALLB_NAMESPACE, POOL_ANNOTATION } from '../names.js';
import { addressProblems } from '../validate.js';
import { InputError, type StepResult } from './result.js';

const METALLB_API = 'metallb.io/v1beta1';

export function poolRef(e: Endpoint) {
  return { apiVersion: METALLB_API, kind: 'IPAddressPool', name: e.pool, namespace: METALLB_NAMESPACE } as const;
}
export function advertisementRef(e: Endpoint) {
  return { apiVersion: METALLB_API, kind: 'L2Advertisement', name: e.pool, namespace: METALLB_NAMESPACE } as const;
}
export function serviceRef(e: Endpoint) {
  return { apiVersion: 'v1', kind: 'Service', name: e.service, namespace: e.serviceNamespace } as const;
}

interface Pool extends Obj {
  spec?: { addresses?: string[]; autoAssign?: boolean };
}
export interface Service extends Obj {
  spec?: { type?: string; loadBalancerIP?: string; [k: string]: unknown };
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}

export interface EndpointState {
  /** The address the pool holds (what the UI set or the factory rendered), or undefined when the pool is missing. */
  readonly configured?: string;
  /** The address MetalLB assigned to the Service (status), once it did. */
  readonly assigned?: string;
}

function poolAddress(pool: Pool | undefined): string | undefined {
  const first = pool?.spec?.addresses?.[0];
  if (!first) return undefined;
  const [ip, len] = first.split('/');
  if (len === '32' || len === undefined) return ip;
  const dash = first.split('-');
  return dash.length === 2 && dash[0].trim() === dash[1].trim() ? dash[0].trim() : first;
}

export async function readAddresses(kube: Kube): Promise<Record<'api' | 'ingress', EndpointState>> {
  const out = {} as Record<'api' | 'ingress', EndpointState>;
  for (const e of ENDPOINTS) {
    const [pool, svc] = await Promise.all([kube.get<Pool>(poolRef(e)), kube.get<Service>(serviceRef(e))]);
    out[e.key] = { configured: poolAddress(pool), assigned: svc?.status?.loadBalancer?.ingress?.find((i) => i.ip)?.ip };
  }
  return out;
}

async function ensureEndpoint(kube: Kube, e: Endpoint, ip: string, changed: string[]): Promise<void> {
  const addresses = [`${ip}/32`];
  const pool = await kube.get<Pool>(poolRef(e));
  if (!pool) {
    await kube.create<Pool>({ ...poolRef(e), metadata: { name: e.pool, namespace: METALLB_NAMESPACE }, spec: { addresses, autoAssign: false } });
    changed.push(`IPAddressPool ${METALLB_NAMESPACE}/${e.pool}`);
  } else if (JSON.stringify(pool.spec?.addresses) !== JSON.stringify(addresses)) {
    await kube.mergePatch(poolRef(e), { metadata: { resourceVersion: pool.metadata?.resourceVersion }, spec: { addresses } });
    changed.push(`IPAddressPool ${METALLB_NAMESPACE}/${e.pool}`);
  }
  if (!(await kube.get(advertisementRef(e)))) {
    await kube.create({ ...advertisementRef(e), metadata: { name: e.pool, namespace: METALLB_NAMESPACE }, spec: { ipAddressPools: [e.pool], interfaces: [ANNOUNCE_INTERFACE] } });
    changed.push(`L2Advertisement ${METALLB_NAMESPACE}/${e.pool}`);
  }
  const svc = await kube.get<Service>(serviceRef(e));
  if (!svc) {
    await kube.create<Service>({
      ...serviceRef(e),
      metadata: { name: e.service, namespace: e.serviceNamespace, annotations: { [POOL_ANNOTATION]: e.pool } },
      spec: {
        type: 'LoadBalancer',
        selector: { ...e.selector },
        ports: e.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP' })),
      },
    });
    changed.push(`Service ${e.serviceNamespace}/${e.service}`);
  } else if (svc.metadata?.annotations?.[POOL_ANNOTATION] !== e.pool || svc.spec?.loadBalancerIP !== undefined) {
    await kube.mergePatch(serviceRef(e), { metadata: { annotations: { [POOL_ANNOTATION]: e.pool } }, spec: { loadBalancerIP: null } });
    changed.push(`Service ${e.serviceNamespace}/${e.service}`);
  }
}

export async function applyAddresses(kube: Kube, input: { api: string; ingress: string }, internalNetwork: string): Promise<StepResult> {
  const problems = addressProblems(input, internalNetwork);
  if (problems.api.length || problems.ingress.length) throw new InputError([...problems.api, ...problems.ingress]);
  const wanted = { api: input.api.trim(), ingress: input.ingress.trim() };
  const now = await readAddresses(kube);
  if (now.api.configured === wanted.ingress && now.ingress.configured === wanted.api && wanted.api !== now.api.configured) {
    throw new InputError([
      `Swapping the two addresses in one step is not possible: MetalLB pools may not overlap. Set one of them to a free address first, then to ${wanted.api === now.ingress.configured ? wanted.api : wanted.ingress}.`,
    ]);
  }
  // The endpoint whose new address another pool still holds waits until that pool moved.
  const order = [...ENDPOINTS].sort((a, b) => {
    const aTakes = Object.entries(now).some(([k, s]) => k !== a.key && s.configured === wanted[a.key]);
    const bTakes = Object.entries(now).some(([k, s]) => k !== b.key && s.configured === wanted[b.key]);
    return Number(aTakes) - Number(bTakes);
  });
  const changed: string[] = [];
  for (const e of order) await ensureEndpoint(kube, e, wanted[e.key], changed);
  return { changed };
}
