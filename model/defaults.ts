/**
 * Documented defaults of every optional input key. The README's input reference is written from this file:
 * change a value here and there together.
 */
export const DEFAULTS = {
  /** The original's isolated internal network for node and VIP traffic. */
  INTERNAL_NETWORK: '192.168.7.0/24',
  /** Host offset of the API VIP in INTERNAL_NETWORK (192.168.7.243). */
  API_VIP_OFFSET: 243,
  /** Host offset of the ingress VIP in INTERNAL_NETWORK (192.168.7.242). */
  INGRESS_VIP_OFFSET: 242,
  /** masterN gets host offset 10 + N (192.168.7.10, .11, .12). */
  MASTER_IP_OFFSET: 10,
  /** workerN gets host offset 20 + N (192.168.7.20, …). */
  WORKER_IP_OFFSET: 20,
  /** Gateway host offset on INTERNAL_NETWORK (192.168.7.1). */
  GATEWAY_OFFSET: 1,
  CLUSTER_NETWORK: '10.128.0.0/14',
  CLUSTER_NETWORK_HOST_PREFIX: 23,
  SERVICE_NETWORK: '172.30.0.0/16',
  FIPS: true,
  TPM: false,
  /** The hub runs MCE only; ACM_ENABLED: true adds a KlusterletAddonConfig per edge cluster. */
  ACM_ENABLED: false,
  /**
   * Name of the pull secret (type kubernetes.io/dockerconfigjson) in every cluster namespace on the hub. Created out
   * of band (`ztpfw secrets --pull-secret FILE`), never rendered.
   */
  PULL_SECRET_NAME: 'assisted-deployment-pull-secret',
  NETWORK_TYPE: 'OVNKubernetes',
  /** Release image repository used when no REGISTRY mirror rewrites it. */
  RELEASE_REPOSITORY: 'quay.io/openshift-release-dev/ocp-release',
  ARCHITECTURE: 'x86_64',
  DISCONNECTED: true,
  HUB_LVMS: true,
  /**
   * Workspace of the hub oc-mirror Job (a PVC on HUB_STORAGE_CLASS): oc-mirror unpacks every operator catalog it
   * filters there, and oc-mirror v2 keeps its blob cache there; a quarter of the registry's 400Gi.
   */
  OC_MIRROR_WORKSPACE_SIZE: '100Gi',
  /** StorageClass that the hub LVMS device class `vg1` creates. */
  HUB_LVMS_STORAGE_CLASS: 'lvms-vg1',
  /** Prefix put before BASE_DOMAIN when HUB_APPS_DOMAIN is not given (`apps.hub.<BASE_DOMAIN>`). */
  HUB_APPS_DOMAIN_PREFIX: 'apps.hub',
  /** RHCOS boot images of a minor are published under `<base>/<X.Y>/<X.Y>.0/`. */
  RHCOS_IMAGES_BASE: 'https://mirror.openshift.com/pub/openshift-v4/x86_64/dependencies/rhcos',
  /**
   * MCE alone can deliver ManifestWorks; Policies need ACM. ManifestWork is the default because it works on every
   * hub the original supported (it ran MCE only).
   */
  DAY2_DELIVERY: 'manifestwork',
  /** Hub namespace of the day-2 Policies (ACM replicates them as `<namespace>.<name>`, at most 63 characters). */
  POLICY_NAMESPACE: 'ztpfw-day2',
  /** Lifecycle of a cluster without `STATE`: installed and configured with its day-2 bundles. */
  STATE: 'configure',
  /** Branch Argo CD follows when GIT_REVISION is not set. */
  GIT_REVISION: 'main',
  /** Folder of the repository holding the rendered output when GIT_PATH is not set. */
  GIT_PATH: 'dist',
  /** Longest `-<bundle>-<stage>` suffix of a Policy name; bounds the cluster name in policy mode. */
  POLICY_NAME_SUFFIX_MAX: 20,
} as const;

/** The RHCOS image folder of an OpenShift minor on mirror.openshift.com (the minor's GA boot image). */
export function defaultRhcosImagesUrl(ocpMinor: string): string {
  return `${DEFAULTS.RHCOS_IMAGES_BASE}/${ocpMinor}/${ocpMinor}.0`;
}
