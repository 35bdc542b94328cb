/**
 * The validated, defaulted fleet that charts render from. Everything here is plain data: no cdk8s, no YAML nodes.
 * Names that Kubernetes objects will carry are resolved here, so that their length is checked where the input is.
 */

import type { Day2BundleName, LifecycleState } from './schema';

export type { LifecycleState } from './schema';

export type Topology = 'sno' | 'compact' | 'standard';
export type NodeRole = 'master' | 'worker';

export interface Fleet {
  /** The input as the user named it (file or directory). */
  readonly source: string;
  readonly config: FleetConfig;
  /** In input order (file order, then list order). */
  readonly clusters: readonly EdgeCluster[];
}

export interface Registry {
  /** `host` or `host:port`, as written. */
  readonly address: string;
  readonly host: string;
  readonly port?: number;
}

export interface FleetConfig {
  /** `X.Y.Z` (`OC_OCP_VERSION`). */
  readonly ocpVersion: string;
  /** `X.Y`. */
  readonly ocpMinor: string;
  /** `X.Y.Z-x86_64` unless `OC_OCP_TAG` overrides it. */
  readonly ocpTag: string;
  /** `OC_OCP_RELEASE_DIGEST` (`sha256:…`) when given. */
  readonly releaseDigest?: string;
  /** `quay.io/openshift-release-dev/ocp-release:<tag>` or `…@<digest>` when a digest is given. */
  readonly releaseImage: string;
  /** ClusterImageSet name: `openshift-v<X.Y.Z>` unless `clusterimageset` overrides it. */
  readonly clusterImageSet: string;
  /** `OC_RHCOS_RELEASE` when given (e.g. `412.86.202301311551-0`). */
  readonly rhcosRelease?: string;
  /** `X.Y` (`OC_ACM_VERSION`). */
  readonly acmVersion: string;
  /** `X.Y` (`OC_ODF_VERSION`). */
  readonly odfVersion: string;
  /** Custom registry (`REGISTRY`); absent → the hub runs its own. */
  readonly registry?: Registry;
  /** The hub runs ACM (`ACM_ENABLED`), so edge clusters get a KlusterletAddonConfig. */
  readonly acmEnabled: boolean;
  /** DNS domain under which `api.<cluster>.<baseDomain>` resolves (`BASE_DOMAIN`). */
  readonly baseDomain: string;
  /** Fleet-wide defaults of the per-cluster settings. */
  readonly defaults: ClusterSettings;
  /** MCE Subscription channel: `MCE_CHANNEL`, else derived from `OC_ACM_VERSION` (the version table's ACM → MCE pair). */
  readonly mceChannel: string;
  /** `DISCONNECTED`: mirror into the hub registry and switch the hub (and its catalogs) to the mirror. */
  readonly disconnected: boolean;
  /** `HUB_LVMS`: deploy LVMS on the hub so its PVCs can bind. */
  readonly hubLvms: boolean;
  /** StorageClass of the hub PVCs; absent → the hub's default StorageClass. */
  readonly hubStorageClass?: string;
  /** `OC_MIRROR_WORKSPACE_SIZE`: size of the hub oc-mirror Job's workspace PVC (`100Gi`). */
  readonly ocMirrorWorkspaceSize: string;
  /** `HUB_APPS_DOMAIN`: the hub's ingress domain. */
  readonly hubAppsDomain: string;
  /** Folder URL with the RHCOS live ISO, rootfs and `sha256sum.txt` served by the hub HTTPD. */
  readonly rhcosImagesUrl: string;
  /** `REGISTRY_CA`: PEM CA of the custom registry when it is not publicly trusted. */
  readonly registryCa?: string;
  /** Where Argo CD reads `dist/` from; absent → no `dist/argocd/` bootstrap is rendered. */
  readonly git?: GitSource;
  /** Image overrides of the hub Jobs and workloads; the defaults live with the chart that uses them. */
  readonly imageOverrides: ImageOverrides;
}

export interface GitSource {
  /** `GIT_REPO_URL`. */
  readonly repoUrl: string;
  /** `GIT_REVISION` (default `main`). */
  readonly revision: string;
  /** `GIT_PATH` (default `dist`), no leading or trailing `/`. */
  readonly path: string;
}

export interface ImageOverrides {
  readonly tools?: string;
  readonly httpd?: string;
  readonly registry?: string;
  readonly ocMirror?: string;
  readonly ui?: string;
}

/** Settings that a fleet sets for all clusters and a cluster may override in its own `config:`. */
export interface ClusterSettings {
  /** `INTERNAL_NETWORK`, the machine network of the cluster. */
  readonly internalNetwork: string;
  readonly apiVip: string;
  readonly ingressVip: string;
  readonly clusterNetwork: string;
  readonly clusterNetworkHostPrefix: number;
  readonly serviceNetwork: string;
  readonly fips: boolean;
  /** SSH public key authorised on the nodes (`SSH_PUBLIC_KEY`); public, so it may live in git. */
  readonly sshPublicKey?: string;
  /** How day-2 bundles reach the cluster (`DAY2_DELIVERY`). */
  readonly day2Delivery: 'manifestwork' | 'policy';
  /** Enabled day-2 bundles (`DAY2_BUNDLES`), in the documented order. */
  readonly day2Bundles: readonly Day2BundleName[];
}

export interface EdgeCluster extends ClusterSettings {
  /** DNS-1123 label; the hub namespace and every object of the cluster are named after it. */
  readonly name: string;
  /** Input file the cluster was read from, as the user named it. */
  readonly file: string;
  readonly topology: Topology;
  /** `STATE` (default `configure`). */
  readonly state: LifecycleState;
  /** Host names of nodes marked `state: remove`: not rendered, so Argo CD prunes their BareMetalHost. */
  readonly removedNodes: readonly string[];
  /** Ignored-for-install `contrib:` map, kept verbatim for day-2 bundles. */
  readonly contrib: Readonly<Record<string, unknown>>;
  readonly tpm: boolean;
  /**
   * External (factory/customer network) addresses MetalLB announces for the API and the default ingress
   * (`API_EXTERNAL_IP`, `INGRESS_EXTERNAL_IP`); absent → the day-2 network bundle resolves them from DNS.
   */
  readonly apiExternalIp?: string;
  readonly ingressExternalIp?: string;
  /** `api.<name>.<baseDomain>`. */
  readonly apiFqdn: string;
  /** Internal gateway (first host of the internal network). */
  readonly gateway: string;
  /** Pull secret in the cluster namespace; created out of band, never rendered. */
  readonly pullSecretName: string;
  /** ConfigMap holding the cluster's extra install manifests (`<name>-extra-manifests`). */
  readonly extraManifestsName: string;
  /** Masters first (master0…), then workers (worker0…). */
  readonly nodes: readonly EdgeNode[];
}

export interface Nic {
  readonly name: string;
  /** Lower-case, colon separated. */
  readonly mac: string;
}

export interface BmcCredentials {
  /** Name of the Secret in the cluster namespace on the hub that holds `username`/`password`. */
  readonly secretName: string;
  /**
   * Where the material comes from: `inline` = legacy `bmc_user`/`bmc_pass` in the input (never rendered; `ztpfw secrets`
   * turns them into a Secret), `external` = `bmc_secret` names a Secret created out of band.
   */
  readonly source: 'inline' | 'external';
}

export interface EdgeNode {
  /** The input key: `master0`, `worker1`. */
  readonly key: string;
  readonly role: NodeRole;
  readonly index: number;
  /** `ztpfw-<cluster>-<role>-<index>`: host name, BMH and NMStateConfig name. */
  readonly hostname: string;
  readonly extNic: Nic;
  /** Dual-NIC mode when present; single-NIC mode puts the internal address on the external NIC. */
  readonly intNic?: Nic;
  /** Static address on the internal network. */
  readonly internalIp: string;
  /** Prefix length of the internal network. */
  readonly internalPrefix: number;
  readonly bmcAddress: string;
  readonly bmc: BmcCredentials;
  readonly rootDisk: string;
  readonly storageDisks: readonly string[];
  readonly ignoreIfaces: readonly string[];
}

/**
 * Legacy plaintext BMC credentials, kept apart from the fleet so they can never reach a chart by accident.
 * Keyed by `<cluster>/<secretName>`.
 */
export interface InlineBmcCredential {
  readonly cluster: string;
  readonly secretName: string;
  readonly username: string;
  readonly password: string;
}
