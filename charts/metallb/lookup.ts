/**
 * The DNS fallback for clusters without `API_EXTERNAL_IP`/`INGRESS_EXTERNAL_IP`: a Job on the edge that resolves the
 * cluster's API and ingress names in the factory DNS and writes the two MetalLB pools (scripts/external-address-lookup.sh
 * says how it avoids the cluster's own, internal, answers). Its ServiceAccount may read NodeNetworkStates and
 * write the two pools, nothing else.
 */
import { k8s } from 'cdk8s-plus-27';
import type { EdgeCluster, FleetConfig } from '../../model/types';
import type { Manifest } from '../common/day2';
import { imageFor } from '../common/images';
import { readRepoFile } from '../common/repo-files';
import { RESTRICTED_SECURITY_CONTEXT } from '../common/job-container';

export const LOOKUP_NAME = 'ztpfw-external-address-lookup';
export const LOOKUP_SCRIPT = 'external-address-lookup.sh';
/** Cluster-scoped RBAC name (prefixed with the bundle, as cluster-wide names are shared by every namespace). */
export const LOOKUP_CLUSTER_ROLE = `ztpfw-metallb-external-address-lookup`;

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
export function lookupRules(props: LookupProps): { cluster: k8s.PolicyRule[]; namespaced: k8s.PolicyRule[] } {
  return {
    cluster: [{ apiGroups: ['nmstate.io'], resources: ['nodenetworkstates'], verbs: ['get', 'list'] }],
    namespaced: [
      { apiGroups: ['metallb.io'], resources: ['ipaddresspools'], resourceNames: [props.apiPool, props.ingressPool], verbs: ['get', 'patch'] },
      // create cannot be limited to names: the API server checks it before the object has one
      { apiGroups: ['metallb.io'], resources: ['ipaddresspools'], verbs: ['create'] },
    ],
  };
}

export function lookupManifests(config: FleetConfig, cluster: EdgeCluster, props: LookupProps): Manifest[] {
  const { namespace } = props;
  const scriptsName = `${LOOKUP_NAME}-scripts`;
  const rules = lookupRules(props);
  const subjects = [{ kind: 'ServiceAccount', name: LOOKUP_NAME, namespace }];
  const env: Record<string, string> = {
    API_NAME: props.apiName,
    INGRESS_NAME: props.ingressName,
    INTERNAL_NETWORK: cluster.internalNetwork,
    NAMESPACE: namespace,
    API_POOL: props.apiPool,
    INGRESS_POOL: props.ingressPool,
  };
  return [
    k8s.KubeConfigMap.manifest({ metadata: { name: scriptsName, namespace }, data: { [LOOKUP_SCRIPT]: readRepoFile(`charts/metallb/scripts/${LOOKUP_SCRIPT}`) } }),
    k8s.KubeServiceAccount.manifest({ metadata: { name: LOOKUP_NAME, namespace } }),
    k8s.KubeClusterRole.manifest({ metadata: { name: LOOKUP_CLUSTER_ROLE }, rules: rules.cluster }),
    k8s.KubeClusterRoleBinding.manifest({
      metadata: { name: LOOKUP_CLUSTER_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: LOOKUP_CLUSTER_ROLE },
      subjects,
    }),
    k8s.KubeRole.manifest({ metadata: { name: LOOKUP_NAME, namespace }, rules: rules.namespaced }),
    k8s.KubeRoleBinding.manifest({
      metadata: { name: LOOKUP_NAME, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: LOOKUP_NAME },
      subjects,
    }),
    k8s.KubeJob.manifest({
      metadata: { name: LOOKUP_NAME, namespace },
      spec: {
        backoffLimit: props.backoffLimit ?? 10,
        activeDeadlineSeconds: props.deadlineSeconds ?? 3600,
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': LOOKUP_NAME, 'app.kubernetes.io/part-of': 'ztpfw-metallb' } },
          spec: {
            serviceAccountName: LOOKUP_NAME,
            restartPolicy: 'Never',
            containers: [{
              name: 'lookup',
              image: imageFor(config, 'tools'),
              command: ['/bin/bash', `/scripts/${LOOKUP_SCRIPT}`],
              env: [{ name: 'HOME', value: '/tmp' }, ...Object.entries(env).map(([name, value]) => ({ name, value }))],
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') } },
              securityContext: RESTRICTED_SECURITY_CONTEXT,
            }],
            volumes: [{ name: 'scripts', configMap: { name: scriptsName, defaultMode: 0o555 } }, { name: 'tmp', emptyDir: {} }],
          },
        },
      },
    }),
  ] as Manifest[];
}
