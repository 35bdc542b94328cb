/**
 * The DNS fallback for clusters without `API_EXTERNAL_IP`/`INGRESS_EXTERNAL_IP`: a Job on the edge that resolves the
 * cluster's API and ingress names in the factory DNS and writes the two MetalLB pools (scripts/external-address-lookup.sh
 * says how it avoids the cluster's own, internal, answers). Its ServiceAccount may read NodeNetworkStates and
 * write the two pools, nothing else.
 */
import type { EdgeCluster, FleetConfig } from '../../model/types';
import type { Manifest } from '../common/day2';
import { EdgeJobRule, edgeJobManifests } from '../common/edge-job';

export const LOOKUP_NAME = 'external-address-lookup';
export const LOOKUP_SCRIPT = 'external-address-lookup.sh';
const SCRIPTS_DIR = 'charts/metallb/scripts';

export interface LookupProps {
  /** Namespace of the Job and the pools. */
  readonly namespace: string;
  readonly apiName: string;
  readonly ingressName: string;
  readonly apiPool: string;
  readonly ingressPool: string;
  /** @default 10 — the factory DNS record or the NodeNetworkStates may come some minutes after the Job starts */
  readonly backoffLimit?: number;
  /** @default 3600 */
  readonly deadlineSeconds?: number;
}

/** RBAC rules, exactly what the script calls (`oc get nodenetworkstates`, `oc apply` of the two pools). */
export function lookupRules(props: LookupProps): EdgeJobRule[] {
  return [
    { apiGroup: 'nmstate.io', resources: ['nodenetworkstates'], verbs: ['get', 'list'] },
    { namespace: props.namespace, apiGroup: 'metallb.io', resources: ['ipaddresspools'], resourceNames: [props.apiPool, props.ingressPool], verbs: ['get', 'patch'] },
    // create cannot be limited to names: the API server checks it before the object has one
    { namespace: props.namespace, apiGroup: 'metallb.io', resources: ['ipaddresspools'], verbs: ['create'] },
  ];
}

/** The lookup Job as an edge Job: its ServiceAccount, least RBAC, the script's ConfigMap and the Job. */
export function lookupManifests(config: FleetConfig, cluster: EdgeCluster, props: LookupProps): Manifest[] {
  return edgeJobManifests({
    config,
    name: LOOKUP_NAME,
    namespace: props.namespace,
    scriptsDir: SCRIPTS_DIR,
    script: LOOKUP_SCRIPT,
    env: {
      API_NAME: props.apiName,
      INGRESS_NAME: props.ingressName,
      INTERNAL_NETWORK: cluster.internalNetwork,
      NAMESPACE: props.namespace,
      API_POOL: props.apiPool,
      INGRESS_POOL: props.ingressPool,
    },
    rules: lookupRules(props),
    backoffLimit: props.backoffLimit ?? 10,
    deadlineSeconds: props.deadlineSeconds ?? 3600,
    partOf: 'ztpfw-metallb',
  });
}
