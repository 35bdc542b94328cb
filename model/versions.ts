/**
 * The version table: every fact that changes with an upstream release, as data, each row with the source it was
 * taken from. It is the single source for the loader's version checks, the Subscriptions, the hub and edge mirrors
 * (ImageSetConfiguration, IDMS/ITMS/ICSP) and the README table (`npm run -s versions` writes it; a test compares).
 * Plain data: model/ and charts/ both read it, so it imports nothing.
 *
 * Sources are `owner/repo@branch:path` (read with `git show` on a fetched snapshot) or documentation URLs.
 */

/** Where a row comes from. */
export type Source = string;

/** Name of the table in messages, so an error can say where the supported versions are listed. */
export const VERSION_TABLE = 'the version table (model/versions.ts)';

/** Catalogs we mirror, by the key the operator table uses. */
export type CatalogKey = 'redhat' | 'certified';

/** One OpenShift minor: its catalogs and how a cluster of that minor is told about mirrors. */
export interface OcpRelease {
  readonly minor: string;
  /**
   * `icsp`: ImageContentSourcePolicy only, which redirects pulls by digest only: such a minor runs connected fleets
   * only (the loader refuses a disconnected one, since our images are named by tag); `idms-itms`: ImageDigestMirrorSet
   * + ImageTagMirrorSet (4.13 brought them and deprecated ICSP).
   */
  readonly mirrorSets: 'icsp' | 'idms-itms';
  /** The operator index images of this minor. */
  readonly catalogs: Readonly<Record<CatalogKey, string>>;
  /** The OpenShift tools image of this minor (oc, jq, bind-utils…): our Jobs run it. */
  readonly toolsImage: string;
  /** The `quay-operator` channel of the edge registry bundle, one this minor's `redhat-operator-index` carries. */
  readonly quay: FixedChannel;
  readonly source: readonly Source[];
}

const OCP_DOCS = (minor: string) => `https://docs.redhat.com/en/documentation/openshift_container_platform/${minor}/html/disconnected_environments/`;
const IDMS_SOURCE = 'https://docs.redhat.com/en/documentation/openshift_container_platform/4.13/html/images/image-configuration (ImageDigestMirrorSet/ImageTagMirrorSet from 4.13, ICSP deprecated)';

/**
 * The tools image is published per minor as `ose-tools-rhel8` up to 4.15 (the tags Azure/ARO-RP mirrors) and as
 * `ose-tools-rhel9` from 4.16 (tags seen in published manifests for 4.16 and 4.18; later minors assumed to follow).
 */
const TOOLS_SOURCE = (rhel: 8 | 9) => rhel === 8
  ? 'Azure/ARO-RP@master:cmd/aro/mirror.go (mirrors registry.redhat.io/openshift4/ose-tools-rhel8:v4.12…v4.15)'
  : 'published manifests use registry.redhat.io/openshift4/ose-tools-rhel9:v4.16 and :v4.18 (README "Known limits")';

/**
 * Which `stable-3.x` Quay channels an OpenShift index carries is not published as data we can read: the downstream
 * bundles' `com.redhat.openshift.versions` live outside quay/quay-operator (its `bundle/` has no such annotation on any
 * `redhat-3.x` branch). The pairs below are the ones Red Hat's Quay QE runs against the *released* catalog: each job
 * creates a Subscription `quay-operator` on `QUAY_OPERATOR_CHANNEL` from `QUAY_OPERATOR_SOURCE`, which defaults to
 * `redhat-operators` (the cluster's own `redhat-operator-index:v<minor>`) in the deploy steps
 * (openshift/release@master:ci-operator/step-registry/quay-tests/deploy-quay-odf/quay-tests-deploy-quay-odf-ref.yaml and
 * …/deploy-quay-aws-s3/quay-tests-deploy-quay-aws-s3-ref.yaml; "redhat-operators is official catalog source for released
 * build" in …/enable-quay-catalogsource/quay-tests-enable-quay-catalogsource-commands.sh). For each minor the newest
 * channel such a job names; a job configuration is not a passed run, and the column steps back on 4.12 → 4.13 and
 * 4.14 → 4.15, where OLM will not follow (README "Known limits").
 */
const quay = (channel: string, file: string, job: string, catalogSetInJob = false): FixedChannel => ({
  channel,
  source: `openshift/release@master:ci-operator/config/quay/quay-tests/quay-quay-tests-master__${file}.yaml (job ${job}: QUAY_OPERATOR_CHANNEL ${channel}, catalog redhat-operators ${catalogSetInJob ? 'set in the job' : 'by the deploy step default'})`,
});

function ocp(minor: string, mirrorSets: OcpRelease['mirrorSets'], quayChannel: FixedChannel): OcpRelease {
  const rhel = Number(minor.split('.')[1]) >= 16 ? 9 : 8;
  return {
    minor,
    mirrorSets,
    catalogs: {
      redhat: `registry.redhat.io/redhat/redhat-operator-index:v${minor}`,
      certified: `registry.redhat.io/redhat/certified-operator-index:v${minor}`,
    },
    toolsImage: `registry.redhat.io/openshift4/ose-tools-rhel${rhel}:v${minor}`,
    quay: quayChannel,
    source: [OCP_DOCS(minor), TOOLS_SOURCE(rhel), ...(mirrorSets === 'idms-itms' ? [IDMS_SOURCE] : [])],
  };
}

/**
 * Supported OpenShift minors, oldest first. 4.12 is the floor of the factory flow (LVMS, MCE 2.2); 4.22 is the newest
 * minor confirmed released (odf-operator `release-4.22` bundle 4.22.0, redhat-operator-index:v4.22 in published
 * ImageSetConfigurations, oc-mirror `release-4.22`).
 */
export const OCP_RELEASES: readonly OcpRelease[] = [
  ocp('4.12', 'icsp', quay('stable-3.13', 'ocp-412-quay', 'quay-e2e-tests-quay313-ocp412')),
  ocp('4.13', 'idms-itms', quay('stable-3.11', 'ocp-413-quay', 'quay-e2e-tests-quay311-ocp413')),
  ocp('4.14', 'idms-itms', quay('stable-3.13', 'ocp-414-quay', 'quay-e2e-tests-quay313-ocp414-lp-interop')),
  ocp('4.15', 'idms-itms', quay('stable-3.11', 'ocp-415-quay', 'quay-e2e-tests-quay311-ocp415-lp-interop')),
  ocp('4.16', 'idms-itms', quay('stable-3.11', 'ocp-416-quay', 'quay-e2e-tests-quay311-ocp416-lp-interop')),
  ocp('4.17', 'idms-itms', quay('stable-3.13', 'ocp-417-quay', 'quay-e2e-tests-quay313-ocp417-lp-interop')),
  ocp('4.18', 'idms-itms', quay('stable-3.13', 'ocp-418-quay', 'quay-e2e-tests-quay313-ocp418-aws-s3')),
  ocp('4.19', 'idms-itms', quay('stable-3.15', 'ocp-419-quay', 'quay-e2e-tests-quay315-ocp419-aws-s3')),
  ocp('4.20', 'idms-itms', quay('stable-3.16', 'ocp-420-quay', 'quay-acs-violations-check-quay316', true)),
  ocp('4.21', 'idms-itms', quay('stable-3.16', 'ocp-4.21-quay-cr', 'quay-e2e-tests-quay316-ocp421-aws-s3', true)),
  ocp('4.22', 'idms-itms', quay('stable-3.16', 'ocp-4.22-quay-lpGA-lp-ocp-compat', 'quay-e2e-tests-quay316-ocp422-aws-s3', true)),
];

/** One ODF/LVMS minor (`OC_ODF_VERSION`): channels and the packages OLM resolves for `odf-operator`. */
export interface StorageRelease {
  readonly minor: string;
  readonly odfChannel: string;
  readonly lvmsChannel: string;
  /**
   * Packages `odf-operator` depends on (OLM resolves them; the mirror must hold them or odf-operator stays
   * unresolvable). Downstream names: upstream `noobaa-operator` ships as `mcg-operator`, `csi-addons` as
   * `odf-csi-addons-operator` (ODF docs "Packages to include for OpenShift Data Foundation").
   */
  readonly odfDependencies: readonly string[];
  readonly source: readonly Source[];
}

const ODF_BASE = ['mcg-operator', 'ocs-operator', 'odf-csi-addons-operator'];
/** 4.16: ocs-client-operator, odf-prometheus-operator, recipe join the odf-operator bundle's dependencies. */
const ODF_416 = [...ODF_BASE, 'ocs-client-operator', 'odf-prometheus-operator', 'recipe'];
/** 4.17: rook-ceph-operator and cephcsi-operator become packages of their own. */
const ODF_417 = [...ODF_416, 'cephcsi-operator', 'rook-ceph-operator'];
/** 4.18: odf-operator depends on the `odf-dependencies` bundle, which depends on the rest. */
const ODF_418 = [...ODF_417, 'odf-dependencies'];
/** 4.20: odf-dependencies adds odf-external-snapshotter-operator. */
const ODF_420 = [...ODF_418, 'odf-external-snapshotter-operator'];
/** 4.22: odf-dependencies adds ocs-tls-profiles. */
const ODF_422 = [...ODF_420, 'ocs-tls-profiles'];

function storage(minor: string, deps: readonly string[]): StorageRelease {
  const [, m] = minor.split('.').map(Number);
  const depsFile = m >= 18 ? 'bundle/odf-dependencies/metadata/dependencies.yaml' : 'bundle/odf-operator/metadata/dependencies.yaml';
  return {
    minor,
    odfChannel: `stable-${minor}`,
    lvmsChannel: `stable-${minor}`,
    odfDependencies: [...deps].sort(),
    source: [
      `red-hat-storage/odf-operator@release-${minor}:${depsFile}`,
      `https://docs.redhat.com/en/documentation/red_hat_openshift_data_foundation/${minor}/html/planning_your_deployment/disconnected-environment_rhodf`,
      `https://docs.redhat.com/en/documentation/openshift_container_platform/${minor}/html/storage/persistent-storage-using-lvms`,
    ],
  };
}

/** Supported ODF/LVMS minors (`OC_ODF_VERSION`), oldest first. */
export const STORAGE_RELEASES: readonly StorageRelease[] = [
  storage('4.12', ODF_BASE),
  storage('4.13', ODF_BASE),
  storage('4.14', ODF_BASE),
  storage('4.15', ODF_BASE),
  storage('4.16', ODF_416),
  storage('4.17', ODF_417),
  storage('4.18', ODF_418),
  storage('4.19', ODF_418),
  storage('4.20', ODF_420),
  storage('4.21', ODF_420),
  storage('4.22', ODF_422),
];

/** One ACM minor (`OC_ACM_VERSION`): its Subscription channel and the MCE channel the MultiClusterHub installs. */
export interface AcmRelease {
  readonly acm: string;
  readonly acmChannel: string;
  readonly mceChannel: string;
  readonly source: Source;
}

function acm(version: string, mce: string): AcmRelease {
  return {
    acm: version,
    acmChannel: `release-${version}`,
    mceChannel: `stable-${mce}`,
    source: `stolostron/multiclusterhub-operator@release-${version}:pkg/multiclusterengine/multiclusterengine.go (channel)`,
  };
}

/**
 * ACM → MCE pairs as the MultiClusterHub operator of each ACM release subscribes MCE. 2.5–2.16 pair with MCE
 * 2.(x−5); ACM 2.17 subscribes `stable-2.17` (MCE took ACM's numbering), so no formula holds.
 */
export const ACM_RELEASES: readonly AcmRelease[] = [
  acm('2.5', '2.0'),
  acm('2.6', '2.1'),
  acm('2.7', '2.2'),
  acm('2.8', '2.3'),
  acm('2.9', '2.4'),
  acm('2.10', '2.5'),
  acm('2.11', '2.6'),
  acm('2.12', '2.7'),
  acm('2.13', '2.8'),
  acm('2.14', '2.9'),
  acm('2.15', '2.10'),
  acm('2.16', '2.11'),
  acm('2.17', '2.17'),
];

/** A channel and where it was read. */
export interface FixedChannel {
  readonly channel: string;
  readonly source: Source;
}

/**
 * Operators whose channel does not follow a product minor (the same name in every OpenShift index we support). Quay
 * follows the OpenShift minor: `OcpRelease.quay`.
 */
export const FIXED_CHANNELS: Readonly<Record<string, FixedChannel>> = {
  // `latest` is the package's default channel next to one `gitops-1.<y>` channel per release; the head of `latest` in
  // an index is the newest GitOps release published for that OpenShift minor.
  'openshift-gitops-operator': {
    channel: 'latest',
    source: 'https://docs.redhat.com/en/documentation/red_hat_openshift_gitops/1.17/html/installing_gitops/installing-openshift-gitops ("The latest channel … is the default channel"; gitops-<version> channels per release); redhat-developer/gitops-operator@v1.8…v1.21:bundle/metadata/annotations.yaml (channels latest,gitops-1.8, default latest)',
  },
  'local-storage-operator': {
    channel: 'stable',
    source: 'openshift-kni/cnf-features-deploy@release-4.12…release-4.20:ztp/source-crs/StorageSubscription.yaml and openshift-kni/telco-reference@release-4.18…release-4.22:telco-hub/configuration/reference-crs/optional/lso/lsoSubscription.yaml (channel "stable")',
  },
  'kubernetes-nmstate-operator': { channel: 'stable', source: 'openshift-kni/cnf-features-deploy@master:ztp/source-crs/NMStateSubscription.yaml (channel "stable")' },
  'metallb-operator': {
    channel: 'stable',
    source: 'openshift-kni/telco-reference@release-4.14…release-4.22:telco-core/…/metallb/metallbSubscription.yaml (channel stable); openshift/openshift-docs@main:modules/nw-metallb-installing-operator-cli.adoc (Subscription channel stable)',
  },
  'nfd': {
    channel: 'stable',
    source: 'openshift/openshift-docs@main:modules/psap-installing-node-feature-discovery-operator.adoc (Subscription nfd, channel "stable", source redhat-operators)',
  },
  // NVIDIA publishes `stable` and one channel per minor (`v25.3`); a cluster's contrib version chooses the minor.
  'gpu-operator-certified': { channel: 'stable', source: 'NVIDIA/gpu-operator@main:bundle/metadata/annotations.yaml (channels stable,v<major>.<minor>)' },
};

/**
 * Registries an operator's bundle and operand images come from besides registry.redhat.io, which the mirror set must
 * redirect once the package is mirrored.
 */
export interface PackageRegistries {
  readonly registries: readonly string[];
  readonly source: readonly Source[];
}

export const PACKAGE_REGISTRIES: Readonly<Record<string, PackageRegistries>> = {
  'gpu-operator-certified': {
    // Operator and operands: nvcr.io/nvidia/… by digest (CSV relatedImages); certified bundles are published on
    // registry.connect.redhat.com.
    registries: ['nvcr.io', 'registry.connect.redhat.com'],
    source: [
      'NVIDIA/gpu-operator@main:bundle/manifests/gpu-operator-certified.clusterserviceversion.yaml (spec.relatedImages: nvcr.io/nvidia/…)',
      'https://docs.redhat.com/en/documentation/openshift_container_platform/4.14/html/operators/understanding-operators#olm-certified-operators (certified bundles on registry.connect.redhat.com)',
    ],
  },
};

/** The registry every Red Hat catalog, bundle and operand image comes from. */
export const RED_HAT_REGISTRY = 'registry.redhat.io';

/**
 * The oc-mirror tool: Red Hat's guidance is the newest oc-mirror whatever release is mirrored, so the tool does not
 * follow the fleet's OpenShift minor.
 */
export const OC_MIRROR = {
  /** Newest released oc-mirror. */
  minor: '4.22',
  image: 'registry.redhat.io/openshift4/oc-mirror-plugin-rhel9:v4.22',
  /** `--v2` is GA from 4.18 (technology preview 4.16–4.17, present but not usable before). */
  v2Since: '4.18',
  /** From 4.21 the tool refuses to run without `--v1` or `--v2`. */
  explicitFlagSince: '4.21',
  /** The hub mirror keeps the v1 ImageSetConfiguration (metadata in the registry); the edge mirror runs v2. */
  hubFlag: '--v1',
  edgeFlag: '--v2',
  source: [
    'openshift/oc-mirror@release-4.22:cmd/oc-mirror/main.go (--v1 or --v2 mandatory; v1 deprecated in 4.18)',
    'openshift/oc-mirror@release-4.18:pkg/cli/mirror/options.go (--v2 without the technology-preview warning)',
    'https://docs.redhat.com/en/documentation/openshift_container_platform/4.22/html/disconnected_environments/ (use the newest oc-mirror)',
  ],
} as const;

/** `4.14.12` or `4.14` → `4.14`. */
export function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The minor number of `4.Y` or `4.Y.Z` (NaN for anything else), for comparing minors. */
export function minorNumber(version: string): number {
  return Number(version.split('.')[1] ?? NaN);
}

export function ocpRelease(minor: string): OcpRelease | undefined {
  return OCP_RELEASES.find((r) => r.minor === minor);
}

export function storageRelease(minor: string): StorageRelease | undefined {
  return STORAGE_RELEASES.find((r) => r.minor === minor);
}

export function acmRelease(version: string): AcmRelease | undefined {
  return ACM_RELEASES.find((r) => r.acm === version);
}

/** Row lookups for charts: the loader has rejected versions outside the table, so a miss is a programming error. */
export function requireOcp(minor: string): OcpRelease {
  const row = ocpRelease(minor);
  if (!row) throw new Error(`OpenShift ${minor} is not in ${VERSION_TABLE}`);
  return row;
}

export function requireStorage(minor: string): StorageRelease {
  const row = storageRelease(minor);
  if (!row) throw new Error(`ODF/LVMS ${minor} is not in ${VERSION_TABLE}`);
  return row;
}

export function requireAcm(version: string): AcmRelease {
  const row = acmRelease(version);
  if (!row) throw new Error(`ACM ${version} is not in ${VERSION_TABLE}`);
  return row;
}

const span = (list: readonly string[]) => `${list[0]}–${list[list.length - 1]}`;
export const SUPPORTED_OCP = span(OCP_RELEASES.map((r) => r.minor));
export const SUPPORTED_STORAGE = span(STORAGE_RELEASES.map((r) => r.minor));
export const SUPPORTED_ACM = span(ACM_RELEASES.map((r) => r.acm));

/** The README section, generated from the table (markers `<!-- versions:begin -->` … `<!-- versions:end -->`). */
export function versionsMarkdown(): string {
  const lines: string[] = [];
  lines.push('| OpenShift | Mirror sets | Catalog indexes | Tools image | Quay channel | ODF channel | LVMS channel | ODF dependency packages (mirrored) |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const r of OCP_RELEASES) {
    const s = storageRelease(r.minor);
    const sets = r.mirrorSets === 'icsp' ? 'none: connected fleets only (ImageContentSourcePolicy redirects pulls by digest only)' : 'ImageDigestMirrorSet + ImageTagMirrorSet';
    lines.push(`| ${r.minor} | ${sets} | \`redhat-operator-index:v${r.minor}\`, \`certified-operator-index:v${r.minor}\` | \`${r.toolsImage.replace('registry.redhat.io/openshift4/', '')}\` | \`${r.quay.channel}\` | ${s ? `\`${s.odfChannel}\`` : '–'} | ${s ? `\`${s.lvmsChannel}\`` : '–'} | ${s ? s.odfDependencies.map((d) => `\`${d}\``).join(', ') : '–'} |`);
  }
  lines.push('');
  lines.push('| ACM | ACM channel | MCE channel |');
  lines.push('|---|---|---|');
  for (const a of ACM_RELEASES) lines.push(`| ${a.acm} | \`${a.acmChannel}\` | \`${a.mceChannel}\` |`);
  lines.push('');
  lines.push('| Operator | Channel |');
  lines.push('|---|---|');
  for (const [name, c] of Object.entries(FIXED_CHANNELS)) lines.push(`| \`${name}\` | \`${c.channel}\` |`);
  lines.push('');
  lines.push(`oc-mirror: \`${OC_MIRROR.image}\` for every fleet (hub \`${OC_MIRROR.hubFlag}\`, edge \`${OC_MIRROR.edgeFlag}\`).`);
  lines.push('Quay channel: per OpenShift minor, the newest one a Red Hat Quay QE job subscribes from that minor\'s `redhat-operators` catalog (each row cites its job in openshift/release).');
  const extra = Object.entries(PACKAGE_REGISTRIES).map(([p, r]) => `\`${p}\` → ${r.registries.map((x) => `\`${x}\``).join(', ')}`);
  lines.push(`Registries mirrored and redirected besides \`${RED_HAT_REGISTRY}\`: ${extra.join('; ')}.`);
  return lines.join('\n');
}

export const VERSIONS_BEGIN = '<!-- versions:begin (generated from model/versions.ts by `npm run -s versions`; do not edit) -->';
export const VERSIONS_END = '<!-- versions:end -->';

/** `text` with the generated table between the markers; throws when the markers are missing. */
export function replaceVersionsSection(text: string): string {
  const start = text.indexOf(VERSIONS_BEGIN);
  const end = text.indexOf(VERSIONS_END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${VERSIONS_BEGIN}" … "${VERSIONS_END}" section`);
  return `${text.slice(0, start + VERSIONS_BEGIN.length)}\n${versionsMarkdown()}\n${text.slice(end)}`;
}
