/**
 * What every key of the input means: one source for the editor's hover help (descriptions in the JSON schema that
 * `ztpfw schema` writes) and for the key tables of the README (`npm run -s docs` writes them; a test keeps them equal).
 * Defaults are taken from DEFAULTS where they are values; images and versions follow their own tables (a test checks
 * the image defaults against charts/common/images.ts).
 */
import { DEFAULTS } from './defaults';
import { SUPPORTED_ACM, SUPPORTED_OCP, SUPPORTED_STORAGE } from './versions';

export interface KeyDoc {
  /** What the key does, in markdown (backticks for code). One or more sentences, ending with a full stop. */
  readonly meaning: string;
  /** The value when the key is not given, in markdown; none when there is no default. */
  readonly default?: string;
  /** When it is required, if that is more than the schema says (`with \`mac_int_static\``, `yes on masters`). */
  readonly required?: string;
}

/** The hover text: the meaning, then the default. */
export function describeKey(doc: KeyDoc): string {
  return `${doc.meaning}${doc.default ? ` Default: ${doc.default}.` : ''}${doc.required ? ` Required: ${doc.required}.` : ''}`;
}

const code = (v: string | number | boolean) => `\`${v}\``;

/** Hub-level keys of the fleet `config:` that are neither hub settings nor cluster settings. */
export const FLEET_DOCS = {
  OC_OCP_VERSION: { meaning: `OpenShift release \`X.Y.Z\` of a minor in the version table (${SUPPORTED_OCP}). Quote it; an unquoted \`4.10\` is read as written, never as \`4.1\`. A disconnected fleet needs 4.13 or newer (4.12 has only ImageContentSourcePolicy, which redirects pulls by digest only).` },
  OC_ACM_VERSION: { meaning: `ACM version \`X.Y\` of the version table (${SUPPORTED_ACM}); selects the ACM and MCE channels.` },
  OC_ODF_VERSION: { meaning: `ODF/LVMS channel version \`X.Y\` of the version table (${SUPPORTED_STORAGE}): the OpenShift minor (newer is an error, older a warning: ODF and LVMS run on the minor they were released with, an older one only during an update).` },
  BASE_DOMAIN: { meaning: 'DNS domain under which `api.<cluster>.<BASE_DOMAIN>` and `*.apps.<cluster>.<BASE_DOMAIN>` resolve. The original read it from the live hub; a declarative renderer needs it in the input.' },
  REGISTRY: { meaning: 'A factory registry `host[:port]` (no scheme, no path). Empty or `null` = unset.', default: 'the hub runs its own registry' },
  clusterimageset: { meaning: 'Name of the ClusterImageSet the clusters install from.', default: '`openshift-v<X.Y.Z>`' },
  OC_OCP_TAG: { meaning: 'Release image tag.', default: `\`<X.Y.Z>-${DEFAULTS.ARCHITECTURE}\`` },
  OC_OCP_RELEASE_DIGEST: { meaning: '`sha256:<64 hex>` of the x86_64 release image; the ClusterImageSet then names the release by digest, which the digest-only mirror serves. **Required on a disconnected fleet** (`DISCONNECTED`, true by default): get it with `oc adm release info -o \'jsonpath={.digest}\' quay.io/openshift-release-dev/ocp-release:<OC_OCP_TAG>`. A connected fleet may leave it out (release by tag).' },
  OC_RHCOS_RELEASE: { meaning: 'RHCOS build of the release (e.g. `414.92.202402051952-0`), for the hub\'s boot images: the `version` of the AgentServiceConfig `osImages` entry.' },
} as const satisfies Record<string, KeyDoc>;

/** Keys of the fleet `config:` that configure the hub bundle (`dist/hub/`) and the Argo CD bootstrap. */
export const HUB_DOCS = {
  ACM_ENABLED: { meaning: 'Install ACM (`MultiClusterHub`, channel `release-<OC_ACM_VERSION>`) instead of MCE alone; every edge cluster then also gets a KlusterletAddonConfig.', default: code(DEFAULTS.ACM_ENABLED) },
  MCE_CHANNEL: { meaning: 'MCE Subscription channel. Derived from `OC_ACM_VERSION` by the version table (2.9 → `stable-2.4`, 2.17 → `stable-2.17`); an override must be a channel of the table.', default: 'from the version table' },
  DISCONNECTED: { meaning: 'Mirror into the hub registry and switch the hub to the mirror.', default: code(DEFAULTS.DISCONNECTED) },
  HUB_LVMS: { meaning: 'Deploy LVMS on the hub (needs one free disk per hub node).', default: code(DEFAULTS.HUB_LVMS) },
  HUB_STORAGE_CLASS: { meaning: 'StorageClass of the hub PVCs.', default: `${code(DEFAULTS.HUB_LVMS_STORAGE_CLASS)} with \`HUB_LVMS\`, else the cluster default` },
  HUB_APPS_DOMAIN: { meaning: 'The hub\'s ingress domain; the registry is `ztpfw-registry.<HUB_APPS_DOMAIN>`, the HTTPD `httpd.<HUB_APPS_DOMAIN>`. The pre-flight fails if it differs from the hub\'s real domain.', default: `\`${DEFAULTS.HUB_APPS_DOMAIN_PREFIX}.<BASE_DOMAIN>\`` },
  RHCOS_IMAGES_URL: { meaning: 'Folder holding the RHCOS live ISO, rootfs and `sha256sum.txt`; point it at a factory mirror. The download is checked against `sha256sum.txt`.', default: `\`${DEFAULTS.RHCOS_IMAGES_BASE}/<X.Y>/<X.Y>.0\`` },
  REGISTRY_CA: { meaning: 'PEM CA certificate(s) of a custom `REGISTRY` that is not publicly trusted (public material, so it may live in git).' },
  OC_MIRROR_WORKSPACE_SIZE: { meaning: 'Size of the oc-mirror Job\'s workspace PVC `ztpfw-hub/oc-mirror-workspace` (on `HUB_STORAGE_CLASS`), `<n>Gi` or `<n>Ti`: where oc-mirror unpacks catalogs and keeps its cache.', default: code(DEFAULTS.OC_MIRROR_WORKSPACE_SIZE) },
  TOOLS_IMAGE: { meaning: 'Image of the Jobs that call the API, on the hub and on the edge (needs bash, oc, jq, dig, base64, sha256sum, chroot).', default: '`registry.redhat.io/openshift4/ose-tools-rhel8:v<X.Y>` up to 4.15, `ose-tools-rhel9:v<X.Y>` from 4.16 (version table)' },
  HTTPD_IMAGE: { meaning: 'Image of the HTTPD serving the RHCOS images, the RHCOS download and the htpasswd generation.', default: '`registry.redhat.io/rhel9/httpd-24:1`' },
  REGISTRY_IMAGE: { meaning: 'Image of the internal hub registry.', default: '`docker.io/library/registry:2.8.3`' },
  OC_MIRROR_IMAGE: { meaning: 'Image of the oc-mirror Jobs (hub `--v1`, edge `--v2`); an override must be oc-mirror 4.21 or newer.', default: '`registry.redhat.io/openshift4/oc-mirror-plugin-rhel9:v4.22` (the newest tool, version table)' },
  UI_IMAGE: { meaning: 'Image of our edge-cluster-setup UI (`ui/`), mirrored for the edge clusters.', default: '`ghcr.io/ztpfw-gitops/ztpfw-ui:<ui/package.json version>`' },
  GIT_REPO_URL: { meaning: 'Git repository Argo CD reads the rendered output from (`https://…`, `ssh://…` or `git@host:path`); `dist/argocd/` (the Argo CD bootstrap) is rendered only when it is set.' },
  GIT_REVISION: { meaning: 'Branch, tag or commit Argo CD follows.', default: code(DEFAULTS.GIT_REVISION) },
  GIT_PATH: { meaning: 'Folder of the repository that holds the rendered output (no leading or trailing `/`).', default: code(DEFAULTS.GIT_PATH) },
} as const satisfies Record<string, KeyDoc>;

/** Cluster settings: the fleet `config:` sets the default, a cluster's own `config:` may override it. */
export const CLUSTER_SETTINGS_DOCS = {
  INTERNAL_NETWORK: { meaning: 'The isolated internal network: machine network, node addresses and VIPs.', default: code(DEFAULTS.INTERNAL_NETWORK) },
  API_VIP: { meaning: 'API VIP of multi-node clusters.', default: `host \`.${DEFAULTS.API_VIP_OFFSET}\` of \`INTERNAL_NETWORK\`` },
  INGRESS_VIP: { meaning: 'Ingress VIP of multi-node clusters.', default: `host \`.${DEFAULTS.INGRESS_VIP_OFFSET}\` of \`INTERNAL_NETWORK\`` },
  CLUSTER_NETWORK: { meaning: 'Pod network.', default: code(DEFAULTS.CLUSTER_NETWORK) },
  CLUSTER_NETWORK_HOST_PREFIX: { meaning: 'Per-node pod subnet size.', default: code(DEFAULTS.CLUSTER_NETWORK_HOST_PREFIX) },
  SERVICE_NETWORK: { meaning: 'Service network.', default: code(DEFAULTS.SERVICE_NETWORK) },
  FIPS: { meaning: 'Install in FIPS mode (the original forced it; here it is a default you can turn off).', default: code(DEFAULTS.FIPS) },
  SSH_PUBLIC_KEY: { meaning: 'One OpenSSH public key line authorised for `core` on every node (public, so it may live in git).' },
  DAY2_DELIVERY: { meaning: 'How day-2 bundles reach a cluster: `manifestwork` (works with MCE alone, as the original hub ran) or `policy` (ACM Policies; needs `ACM_ENABLED: true`, and cluster names of at most 32 characters so ACM\'s `ztpfw-day2.<cluster>-<bundle>-<stage>` stays within 63).', default: code(DEFAULTS.DAY2_DELIVERY) },
  DAY2_BUNDLES: { meaning: 'Day-2 bundles delivered to a cluster (`contrib.gpu-operator` adds the GPU bundle).', default: 'all: `[nmstate, metallb, storage, registry, ui, disconnected]`' },
} as const satisfies Record<string, KeyDoc>;

/** Keys only a cluster's own `config:` has. */
export const CLUSTER_CONFIG_DOCS = {
  tpm: { meaning: 'Encrypt the disks with the TPM.', default: code(DEFAULTS.TPM) },
  STATE: { meaning: 'Lifecycle of the cluster: `install` (install manifests only), `configure` (plus the day-2 bundles), `standalone` (a disconnected cluster switched from the hub mirror to its own registry), `detach` (credentials saved, day-2 configuration checked, taken off the hub\'s management; the cluster keeps running).', default: code(DEFAULTS.STATE) },
  API_EXTERNAL_IP: { meaning: 'Factory/customer-network address MetalLB announces for the API. Set both or neither of `API_EXTERNAL_IP` and `INGRESS_EXTERNAL_IP`; distinct, outside the internal network.', default: 'looked up in DNS by the MetalLB bundle' },
  INGRESS_EXTERNAL_IP: { meaning: 'Factory/customer-network address MetalLB announces for the default ingress (with `API_EXTERNAL_IP`).', default: 'looked up in DNS by the MetalLB bundle' },
} as const satisfies Record<string, KeyDoc>;

/** Keys of one `edgeclusters` item (the value under the cluster name). */
export const CLUSTER_ITEM_DOCS = {
  config: { meaning: 'Optional: `tpm`, `STATE`, `API_EXTERNAL_IP`, `INGRESS_EXTERNAL_IP`, plus any cluster setting of the fleet `config:` (it overrides the fleet default).' },
  contrib: { meaning: 'Optional map of extras (e.g. `gpu-operator: {version: v23.9.1}`), kept for the day-2 bundles.' },
  'master0 …': { meaning: 'Control-plane nodes: exactly 1 (single-node, SNO) or 3.' },
  'worker0 …': { meaning: 'Workers: none, or any number next to 3 masters (3+N).' },
} as const satisfies Record<string, KeyDoc>;

/** Keys of a `masterN` / `workerN` node. */
export const NODE_DOCS = {
  nic_ext_dhcp: { meaning: 'External (factory) interface, configured by DHCP.' },
  mac_ext_dhcp: { meaning: 'Its MAC address (six hex pairs, `:`-separated; unique in the fleet). The BareMetalHost boots from it.' },
  nic_int_static: { meaning: 'Internal interface for the static internal address (dual-NIC mode).', required: 'with `mac_int_static`' },
  mac_int_static: { meaning: 'Its MAC. Without both keys the node is single-NIC: the internal address goes on the external NIC as a second address.', required: 'with `nic_int_static`' },
  bmc_url: { meaning: 'metal3 BMC address, e.g. `redfish-virtualmedia://10.0.0.5/redfish/v1/Systems/1`. Schemes: `ipmi`, `redfish`, `redfish-virtualmedia`, `redfish-uefihttp`, `idrac`, `idrac-redfish`, `idrac-virtualmedia` (each optionally `+http`/`+https`), `ilo4`, `ilo4-virtualmedia`, `ilo5`, `ilo5-redfish`, `ilo5-virtualmedia`, `irmc`. A scheme without virtual media is a warning: the Assisted Installer boots the discovery ISO through virtual media. Unique in the fleet, compared without the scheme, case and trailing `/` (`redfish://h/x` and `idrac-virtualmedia://h/x` are one BMC).' },
  bmc_user: { meaning: 'Legacy plaintext BMC user name, as in the original format; never rendered (`ztpfw secrets` turns it into a Secret).', required: 'legacy' },
  bmc_pass: { meaning: 'Legacy plaintext BMC password, as in the original format. Accepted, but each `bmc_pass` is a warning: move it to an untracked secrets file (`ztpfw secrets`) or use `bmc_secret`. Never rendered.', required: 'legacy' },
  bmc_secret: { meaning: 'Name of a Secret (keys `username`, `password`) created beforehand in the cluster\'s namespace on the hub.' },
  root_disk: { meaning: 'Device path of the install disk under `/dev/` (`/dev/sda`, `/dev/disk/by-path/…`): letters, digits and `. _ : + @ = , - /`, no `..` segment.' },
  storage_disk: { meaning: 'Device path(s) under `/dev/` for local storage (a path or a list); must not contain `root_disk`. Paths with `-` work.', required: 'yes on masters' },
  ignore_ifaces: { meaning: 'Interfaces the installer leaves down: a space- or comma-separated string (`eno1 eno2`) or a YAML list. May not name the node\'s own NICs.' },
  state: { meaning: '`remove` takes the worker out of the cluster in one commit: its BareMetalHost and NMStateConfig are no longer rendered, and BMAC deletes its Agent and Node before Argo CD prunes the host. Masters cannot be removed.', default: '`active`' },
} as const satisfies Record<string, KeyDoc>;
