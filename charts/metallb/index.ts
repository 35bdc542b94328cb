/**
 * Day-2 MetalLB bundle of an edge cluster: the MetalLB operator, then the `MetalLB` instance, one /32 pool and one
 * L2 advertisement each for the external API and ingress addresses, and the two LoadBalancer Services the setup UI
 * looks for (`openshift-kube-apiserver/metallb-api`, `openshift-ingress/metallb-ingress`, §3.5 of the original).
 *
 * The addresses come from the model (`API_EXTERNAL_IP`, `INGRESS_EXTERNAL_IP`). Without them the pools are left to
 * a lookup Job on the edge (./lookup.ts) that resolves the cluster's names in the factory DNS, as the original did.
 * The OVN local-gateway setting (`routingViaHost`) the original patched here is an install manifest
 * (charts/install), so it is not repeated.
 */
import { App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as metallb from '../../imports/metallb';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, Manifest, StageRef } from '../common/day2';
import { operatorManifests } from '../common/olm-manifests';
import { operatorPackage } from '../common/operators';
import { lookupManifests } from './lookup';

export const BUNDLE = 'metallb';
export const OPERATOR_PACKAGE = 'metallb-operator';
/** The operator's namespace; the setup UI expects `metallb`. */
export const NAMESPACE = operatorPackage(OPERATOR_PACKAGE).namespace;
/** The operator only acts on a `MetalLB` object of this name. */
export const METALLB_INSTANCE = 'metallb';
/** Service annotation that ties a LoadBalancer Service to a pool (the key the setup UI reads and writes). */
export const POOL_ANNOTATION = 'metallb.universe.tf/address-pool';
/**
 * Where the external addresses are announced: OVN-Kubernetes moves the external NIC into `br-ex` on every node, so
 * ARP answers for the external addresses belong there and never on the internal network.
 */
export const ANNOUNCE_INTERFACE = 'br-ex';
/**
 * The nmstate bundle's stage this bundle waits for when both are enabled: L2 announcements need the node
 * networks settled. (Families do not import each other, so the name is repeated; a test checks it resolves.)
 */
export const NMSTATE_CONFIG_STAGE: StageRef = { bundle: 'nmstate', stage: 'config' };

export interface ExternalEndpoint {
  /** Pool and L2Advertisement name. */
  readonly pool: string;
  readonly service: string;
  readonly serviceNamespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name: string; readonly port: number }[];
}

/** The two externally published endpoints, with the names the setup UI expects. */
export const API_ENDPOINT: ExternalEndpoint = {
  pool: 'api-public-ip',
  service: 'metallb-api',
  serviceNamespace: 'openshift-kube-apiserver',
  selector: { app: 'openshift-kube-apiserver' },
  ports: [{ name: 'https', port: 6443 }],
};
export const INGRESS_ENDPOINT: ExternalEndpoint = {
  pool: 'ingress-public-ip',
  service: 'metallb-ingress',
  serviceNamespace: 'openshift-ingress',
  selector: { 'ingresscontroller.operator.openshift.io/deployment-ingresscontroller': 'default' },
  ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }],
};

/** A host name under the cluster's `*.apps` wildcard (the console's), resolved when the ingress address is not given. */
export function ingressProbeName(config: FleetConfig, cluster: EdgeCluster): string {
  return `console-openshift-console.apps.${cluster.name}.${config.baseDomain}`;
}

function pool(endpoint: ExternalEndpoint, address: string): Manifest {
  return metallb.IpAddressPool.manifest({
    metadata: { name: endpoint.pool, namespace: NAMESPACE },
    spec: { addresses: [`${address}/32`], autoAssign: false },
  }) as Manifest;
}

function advertisement(endpoint: ExternalEndpoint): Manifest {
  return metallb.L2Advertisement.manifest({
    metadata: { name: endpoint.pool, namespace: NAMESPACE },
    spec: { ipAddressPools: [endpoint.pool], interfaces: [ANNOUNCE_INTERFACE] },
  }) as Manifest;
}

function service(endpoint: ExternalEndpoint): Manifest {
  return k8s.KubeService.manifest({
    metadata: { name: endpoint.service, namespace: endpoint.serviceNamespace, annotations: { [POOL_ANNOTATION]: endpoint.pool } },
    spec: {
      type: 'LoadBalancer',
      selector: { ...endpoint.selector },
      ports: endpoint.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromNumber(p.port), protocol: 'TCP' })),
    },
  }) as Manifest;
}

/** The ordered stages of the bundle for one cluster. */
export function metallbStages(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  const known = cluster.apiExternalIp !== undefined && cluster.ingressExternalIp !== undefined;
  const addressing: Manifest[] = known
    ? [pool(API_ENDPOINT, cluster.apiExternalIp!), pool(INGRESS_ENDPOINT, cluster.ingressExternalIp!)]
    : lookupManifests(config, cluster, {
      namespace: NAMESPACE,
      apiName: cluster.apiFqdn,
      ingressName: ingressProbeName(config, cluster),
      apiPool: API_ENDPOINT.pool,
      ingressPool: INGRESS_ENDPOINT.pool,
    });
  return [
    { name: 'operator', manifests: operatorManifests(config, OPERATOR_PACKAGE) },
    {
      name: 'config',
      manifests: [
        metallb.MetalLb.manifest({ metadata: { name: METALLB_INSTANCE, namespace: NAMESPACE } }) as Manifest,
        ...addressing,
        advertisement(API_ENDPOINT),
        advertisement(INGRESS_ENDPOINT),
        service(API_ENDPOINT),
        service(INGRESS_ENDPOINT),
      ],
      feedbackKinds: known ? [] : ['Job'],
    },
  ];
}

export class MetallbChart extends ZtpChart {
  constructor(scope: App, config: FleetConfig, cluster: EdgeCluster) {
    super(scope, `${BUNDLE}-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${BUNDLE}` });
    new Day2Bundle(this, 'bundle', {
      cluster: cluster.name,
      bundle: BUNDLE,
      mode: cluster.day2Delivery,
      stages: metallbStages(config, cluster),
      after: cluster.day2Bundles.includes('nmstate') ? [NMSTATE_CONFIG_STAGE] : [],
    });
  }
}

export function metallbFamily(app: App, fleet: Fleet): void {
  for (const c of fleet.clusters) {
    if (c.day2Bundles.includes(BUNDLE)) new MetallbChart(app, fleet.config, c);
  }
}
