/**
 * Names of the registries the fleet pulls from, shared by the hub bundle (which runs or fronts the mirror) and the
 * edge bundles (which point at it, or run their own Quay).
 */
import type { PolicyRule } from '../../imports/k8s';
import type { EdgeCluster, FleetConfig } from '../../model/types';
import type { Manifest } from './day2';
import { pullsFromOwnRegistry } from './lifecycle';

/** Hub namespace of the registry (or its front for a custom REGISTRY) and of its credentials Secret. */
export const HUB_REGISTRY_NAMESPACE = 'ztpfw-registry';
/** Secret (username/password) of the hub mirror: generated for the internal registry, created by the factory for REGISTRY. */
export const REGISTRY_CREDENTIALS_SECRET = 'registry-credentials';

/**
 * What a cluster's mirror pull secret Job reads in the hub registry namespace: the credentials, by name. Each
 * cluster's Role grants exactly this; the Argo CD controller holds it there too, so it may sync those Roles.
 */
export const MIRROR_CREDENTIALS_READ_RULES: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [REGISTRY_CREDENTIALS_SECRET] },
];

/** ConfigMap in openshift-config holding every registry CA (one key per registry); image.config trusts it. */
export const REGISTRY_CA_CONFIGMAP = 'ztpfw-registry-ca';

export type RegistryMode = 'internal' | 'custom';

/** Where the hub mirrors to, and how clients name it. */
export interface HubRegistry {
  readonly mode: RegistryMode;
  /** `host` or `host:port`, as image references and pull secrets name it. */
  readonly address: string;
  readonly host: string;
  /** Key of the registry in the trusted-CA ConfigMap: `host` or `host..port`. */
  readonly caKey: string;
  /** Where its CA comes from at run time. */
  readonly caSource: 'ingress' | 'file' | 'none';
}

export function hubRegistry(config: FleetConfig): HubRegistry {
  if (config.registry) {
    const { host, port, address } = config.registry;
    return {
      mode: 'custom',
      address,
      host,
      caKey: port === undefined ? host : `${host}..${port}`,
      caSource: config.registryCa ? 'file' : 'none',
    };
  }
  const host = `ztpfw-registry.${config.hubAppsDomain}`;
  return { mode: 'internal', address: host, host, caKey: host, caSource: 'ingress' };
}

/** Namespace and QuayRegistry name of the edge registry (the original's names, which the setup UI knows). */
export const EDGE_REGISTRY_NAMESPACE = 'ztpfw-registry';
export const EDGE_QUAY_NAME = 'ztpfw-registry';
/** Quay organisation that the edge mirror (`oc-mirror … docker://<edge quay>/ztpfw`) fills. */
export const EDGE_MIRROR_ORGANIZATION = 'ztpfw';

/** The apps domain of an edge cluster. */
export function edgeAppsDomain(config: FleetConfig, cluster: Pick<EdgeCluster, 'name'>): string {
  return `apps.${cluster.name}.${config.baseDomain}`;
}

/** Host of the edge Quay Route: the Quay operator names it `<registry>-quay-<namespace>.<apps domain>`. */
export function edgeRegistryHost(config: FleetConfig, cluster: Pick<EdgeCluster, 'name'>): string {
  return `${EDGE_QUAY_NAME}-quay-${EDGE_REGISTRY_NAMESPACE}.${edgeAppsDomain(config, cluster)}`;
}

/**
 * The edge mirrors the hub's content into its own Quay and can be switched to it: the fleet is disconnected and the
 * cluster enables both the `registry` and the `disconnected` bundle.
 */
export function edgeMirrorEnabled(config: FleetConfig, cluster: Pick<EdgeCluster, 'day2Bundles'>): boolean {
  return config.disconnected && cluster.day2Bundles.includes('registry') && cluster.day2Bundles.includes('disconnected');
}

/**
 * The edge pulls from the hub mirror during the factory phase: the fleet is disconnected, the cluster enables
 * the `disconnected` bundle and has not been switched to its own registry (`STATE: standalone`). Bundles that
 * install operators wait for it in policy mode.
 */
export function edgeUsesHubMirror(config: FleetConfig, cluster: Pick<EdgeCluster, 'day2Bundles' | 'state'>): boolean {
  return config.disconnected && cluster.day2Bundles.includes('disconnected') && !pullsFromOwnRegistry(cluster);
}

/**
 * `image.config.openshift.io/cluster` on an edge, trusting the one registry-CA ConfigMap whose keys the bundles'
 * Jobs write. A cluster singleton that the `registry` and `disconnected` bundles both render identically; in
 * manifestwork mode they apply it server-side so neither takes the cluster's other image settings away.
 * No pinned schema exists for config.openshift.io Image.
 */
export function imageTrustManifest(): Manifest {
  return {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Image',
    metadata: { name: 'cluster' },
    spec: { additionalTrustedCA: { name: REGISTRY_CA_CONFIGMAP } },
  };
}
