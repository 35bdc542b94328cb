/**
 * The input format (`edgeclusters.yaml`) as zod schemas. These check shape and format of single values;
 * cross-field and fleet-wide rules live in `rules.ts`. Schemas carry no transforms so that `ztpfw schema`
 * can turn them into a JSON Schema for editors.
 */
import { z } from 'zod';
import { CLUSTER_CONFIG_DOCS, CLUSTER_SETTINGS_DOCS, describeKey, FLEET_DOCS, HUB_DOCS, KeyDoc, NODE_DOCS } from './key-docs';

/** `shape` with the description of every key (key-docs.ts): the hover help of the JSON schema. */
function documented<S extends Record<string, z.ZodType>>(shape: S, docs: { readonly [K in keyof S]: KeyDoc }): S {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.meta({ description: describeKey(docs[k]) })])) as S;
}

export const VERSION_XYZ = /^\d+\.\d+\.\d+$/;
export const VERSION_XY = /^\d+\.\d+$/;
export const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;
/** Linux interface names: 1–15 characters, no whitespace, `/` or `:`. */
export const IFACE = /^[A-Za-z0-9_.@-]{1,15}$/;
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
export const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
export const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** `[host[:port]/]path[:tag][@sha256:digest]`, lower-case repository path. */
export const IMAGE_REF = /^([A-Za-z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;
/** `https://…`, `ssh://…` or scp-like `git@host:path`. */
export const GIT_URL = /^(https?:\/\/[^\s/]+\/\S+|ssh:\/\/[^\s/]+\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+)$/;
/** One or more PEM certificates and nothing else: base64 between the markers, so no other block can hide between two. */
export const PEM_CERT = /^\s*(-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$/;
export const SSH_PUBLIC_KEY = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+=*( .*)?$/;

/** A version may be written unquoted (`4.12`); the loader then reads it from the source text. */
const Version = (re: RegExp, shape: string) =>
  z.union([z.string(), z.number()]).refine((v) => re.test(String(v)), { error: `must be a version like ${shape}` });

/** Keys a fleet sets for all clusters and a cluster may override in its own `config:`. */
export const ClusterSettingsShape = {
  INTERNAL_NETWORK: z.string().regex(CIDR, { error: 'must be an IPv4 network like 192.168.7.0/24' }).optional(),
  API_VIP: z.string().regex(IPV4, { error: 'must be an IPv4 address' }).optional(),
  INGRESS_VIP: z.string().regex(IPV4, { error: 'must be an IPv4 address' }).optional(),
  CLUSTER_NETWORK: z.string().regex(CIDR, { error: 'must be an IPv4 network like 10.128.0.0/14' }).optional(),
  CLUSTER_NETWORK_HOST_PREFIX: z.number().int().min(1).max(30).optional(),
  SERVICE_NETWORK: z.string().regex(CIDR, { error: 'must be an IPv4 network like 172.30.0.0/16' }).optional(),
  FIPS: z.boolean().optional(),
  SSH_PUBLIC_KEY: z.string().regex(SSH_PUBLIC_KEY, { error: 'must be one OpenSSH public key line (ssh-ed25519 AAAA… comment)' }).optional(),
  DAY2_DELIVERY: z.enum(['manifestwork', 'policy'], { error: 'must be "manifestwork" (MCE) or "policy" (ACM)' }).optional(),
  DAY2_BUNDLES: z.array(z.string()).optional(),
};

const ImageRef = z.string().regex(IMAGE_REF, { error: 'must be a container image reference like registry.example.com/repo/name:tag or …@sha256:<digest>' });

/** Hub bundle settings (`dist/hub/`); every key is optional, defaults in defaults.ts. */
export const HubSettingsShape = {
  /** Overrides the MCE channel derived from OC_ACM_VERSION. */
  MCE_CHANNEL: z.string().regex(/^stable-\d+\.\d+$/, { error: 'must be an MCE channel like stable-2.4' }).optional(),
  /** Mirror the release and operators into the hub registry and switch the hub to the mirror. */
  DISCONNECTED: z.boolean().optional(),
  /** Deploy LVMS on the hub for hubs without a storage backend. */
  HUB_LVMS: z.boolean().optional(),
  /** StorageClass of the hub PVCs (httpd, registry, assisted-service). */
  HUB_STORAGE_CLASS: z.string().regex(DNS_SUBDOMAIN, { error: 'must be the name of a StorageClass (lower-case DNS name)' }).optional(),
  /** Ingress domain of the hub (`apps.<hub>.<domain>`); the internal registry is published under it. */
  HUB_APPS_DOMAIN: z.string().regex(DNS_SUBDOMAIN, { error: 'must be a lower-case DNS domain like apps.hub.factory.example.com' }).optional(),
  /** Folder URL holding the RHCOS live ISO, rootfs and sha256sum.txt of the release. */
  RHCOS_IMAGES_URL: z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, { error: 'must be an http(s) URL of a folder like https://mirror.example.com/rhcos/4.14/4.14.0' }).optional(),
  /** PEM CA certificate(s) of the custom REGISTRY (public material). */
  REGISTRY_CA: z.string().regex(PEM_CERT, { error: 'must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …)' }).optional(),
  /** Size of the hub oc-mirror Job's workspace volume (a PVC): where oc-mirror unpacks catalogs and keeps its cache. */
  OC_MIRROR_WORKSPACE_SIZE: z.string().regex(/^[1-9][0-9]*(Gi|Ti)$/, { error: 'must be a volume size in Gi or Ti like 100Gi' }).optional(),
  TOOLS_IMAGE: ImageRef.optional(),
  HTTPD_IMAGE: ImageRef.optional(),
  REGISTRY_IMAGE: ImageRef.optional(),
  OC_MIRROR_IMAGE: ImageRef.optional(),
  UI_IMAGE: ImageRef.optional(),
  /** Git repository Argo CD reads `dist/` from; `dist/argocd/` (the Argo CD bootstrap) is rendered only when it is set. */
  GIT_REPO_URL: z.string().regex(GIT_URL, { error: 'must be a git URL Argo CD can clone, like https://git.example.com/factory/fleet.git or ssh://git@git.example.com/factory/fleet.git' }).optional(),
  /** Branch, tag or commit Argo CD follows. */
  GIT_REVISION: z.string().regex(/^[A-Za-z0-9._\/-]{1,255}$/, { error: 'must be a branch, tag or commit like main' }).optional(),
  /** Folder of the repository that holds the rendered output. */
  GIT_PATH: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: 'must be a relative folder like dist or fleet/dist (no leading or trailing "/")' }).optional(),
};
/** Day-2 bundles a cluster can receive (`DAY2_BUNDLES`); `contrib.gpu-operator` adds the GPU bundle. */
export const DAY2_BUNDLE_NAMES = ['nmstate', 'metallb', 'storage', 'registry', 'ui', 'disconnected'] as const;
export type Day2BundleName = (typeof DAY2_BUNDLE_NAMES)[number];

/** `config:` at the top of the file. */
export const FleetConfig = z.strictObject(documented({
  OC_OCP_VERSION: Version(VERSION_XYZ, '"4.14.12"'),
  OC_ACM_VERSION: Version(VERSION_XY, '"2.9"'),
  OC_ODF_VERSION: Version(VERSION_XY, '"4.14"'),
  BASE_DOMAIN: z.string().regex(DNS_SUBDOMAIN, { error: 'must be a lower-case DNS domain like factory.example.com' }),
  REGISTRY: z.string().nullable().optional(),
  clusterimageset: z.string().regex(DNS_SUBDOMAIN, { error: 'must be a lower-case DNS name like openshift-v4.14.12' }).optional(),
  OC_OCP_TAG: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be an image tag like 4.14.12-x86_64' }).optional(),
  OC_OCP_RELEASE_DIGEST: z.string().regex(DIGEST, { error: 'must be an image digest like sha256:<64 hex digits>' }).optional(),
  OC_RHCOS_RELEASE: z.union([z.string(), z.number()]).optional(),
  /** The hub runs ACM (not only MCE): each edge cluster then also gets a KlusterletAddonConfig. */
  ACM_ENABLED: z.boolean().optional(),
  ...HubSettingsShape,
  ...ClusterSettingsShape,
}, { ...FLEET_DOCS, ...HUB_DOCS, ...CLUSTER_SETTINGS_DOCS }));
export type FleetConfig = z.infer<typeof FleetConfig>;

/**
 * Lifecycle of an edge cluster, as an intent in git: `install` renders the install manifests only, `configure` adds
 * the day-2 bundles, `standalone` (a disconnected cluster with its own registry) switches the edge from the hub
 * mirror to its own Quay once the edge mirror is complete, `detach` saves the cluster's credentials, checks its day-2 configuration is applied and
 * removes it from the hub's management while keeping the hardware and the running cluster.
 */
export const LIFECYCLE_STATES = ['install', 'configure', 'standalone', 'detach'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** A cluster's own `config:`. */
export const ClusterConfig = z.strictObject(documented({
  tpm: z.boolean().optional(),
  STATE: z.enum(LIFECYCLE_STATES, { error: 'must be "install", "configure", "standalone" or "detach"' }).optional(),
  API_EXTERNAL_IP: z.string().regex(IPV4, { error: 'must be an IPv4 address' }).optional(),
  INGRESS_EXTERNAL_IP: z.string().regex(IPV4, { error: 'must be an IPv4 address' }).optional(),
  ...ClusterSettingsShape,
}, { ...CLUSTER_CONFIG_DOCS, ...CLUSTER_SETTINGS_DOCS }));
export type ClusterConfig = z.infer<typeof ClusterConfig>;

/**
 * A device under /dev (metal3 rootDeviceHints.deviceName and LVMS/LSO device paths are /dev paths): kernel and udev
 * names use letters, digits and `. _ : + @ = , -` (by-id, by-path, wwn names); nothing a shell or a terminal reads
 * specially, and no `..` segment.
 */
const DevicePath = z.string()
  .regex(/^\/dev\/[A-Za-z0-9._:+@=,/-]+$/, { error: 'must be a device path under /dev/ like /dev/sdb or /dev/disk/by-path/… (letters, digits and . _ : + @ = , - /)' })
  .refine((p) => !p.split('/').includes('..'), { error: 'must be a device path under /dev/ without ".." segments' });

/** One `masterN` / `workerN` entry. */
export const Node = z.strictObject(documented({
  nic_ext_dhcp: z.string().regex(IFACE, { error: 'must be a network interface name (1-15 characters, no spaces)' }),
  mac_ext_dhcp: z.string().regex(MAC, { error: 'must be a MAC address: six hex pairs separated by ":" (e.g. 52:54:00:0a:1b:2c)' }),
  nic_int_static: z.string().regex(IFACE, { error: 'must be a network interface name (1-15 characters, no spaces)' }).optional(),
  mac_int_static: z.string().regex(MAC, { error: 'must be a MAC address: six hex pairs separated by ":" (e.g. 52:54:00:0a:1b:2c)' }).optional(),
  bmc_url: z.string(),
  bmc_user: z.union([z.string(), z.number()]).optional(),
  bmc_pass: z.union([z.string(), z.number()]).optional(),
  bmc_secret: z.string().regex(DNS_SUBDOMAIN, { error: 'must be the name of a Secret (lower-case DNS name)' }).optional(),
  root_disk: DevicePath,
  storage_disk: z.union([DevicePath, z.array(DevicePath)]).optional(),
  ignore_ifaces: z.union([z.string(), z.array(z.string())]).nullable().optional(),
  /** `remove`: take the node out of the cluster (BMAC deletes its Agent and Node, the host is left powered on). */
  state: z.enum(['active', 'remove'], { error: 'must be "active" or "remove"' }).optional(),
}, NODE_DOCS));
export type Node = z.infer<typeof Node>;

export const TOP_LEVEL_KEYS = ['config', 'edgeclusters'] as const;
export const CLUSTER_KEYS = ['config', 'contrib'] as const;
export const NODE_KEY = /^(master|worker)(0|[1-9]\d*)$/;

/**
 * BMC address schemes the metal3 baremetal-operator accepts (optionally with `+http`/`+https` where the driver
 * speaks HTTP). The Assisted Installer boots the discovery ISO through virtual media, so only the `*-virtualmedia`
 * drivers can install a cluster without a provisioning network.
 */
export const BMC_SCHEMES: readonly string[] = [
  'ipmi',
  'redfish', 'redfish+http', 'redfish+https',
  'redfish-virtualmedia', 'redfish-virtualmedia+http', 'redfish-virtualmedia+https',
  'redfish-uefihttp', 'redfish-uefihttp+http', 'redfish-uefihttp+https',
  'idrac', 'idrac+http', 'idrac+https',
  'idrac-redfish', 'idrac-redfish+http', 'idrac-redfish+https',
  'idrac-virtualmedia', 'idrac-virtualmedia+http', 'idrac-virtualmedia+https',
  'ilo4', 'ilo4-virtualmedia', 'ilo5', 'ilo5-redfish', 'ilo5-virtualmedia',
  'irmc',
];
export const VIRTUAL_MEDIA_SCHEMES: readonly string[] = BMC_SCHEMES.filter((s) => s.includes('virtualmedia'));
