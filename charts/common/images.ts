/**
 * Every container image that our own Jobs and workloads run, in one table. A rendered container may only use an
 * image from here, so the mirror set (hub ImageSetConfiguration `additionalImages`) can list exactly these images
 * and a disconnected hub can still run its own Jobs.
 */
import type { Day2BundleName } from '../../model/schema';
import type { EdgeCluster, FleetConfig, ImageOverrides } from '../../model/types';
import { OC_MIRROR, requireOcp } from '../../model/versions';

export type ImageKey = keyof ImageOverrides;

export interface ImageEntry {
  readonly key: ImageKey;
  /** The fleet config key that overrides the default. */
  readonly configKey: string;
  /** What runs it and which tools it must contain (an override must provide the same). */
  readonly purpose: string;
  readonly defaultFor: (config: FleetConfig) => string;
  /**
   * Whether an edge cluster runs it (and its own mirror must hold it): always, only with a day-2 bundle, or never.
   * @default 'never'
   */
  readonly onEdge?: 'always' | Day2BundleName;
}

export const IMAGES: readonly ImageEntry[] = [
  {
    key: 'tools',
    configKey: 'TOOLS_IMAGE',
    purpose: 'hub Jobs that talk to the API, the edge disk-wipe Job, the edge MetalLB address lookup and the edge registry switch: needs bash, oc, jq, dig, base64, sha256sum and chroot',
    // The OpenShift tools image is the one `oc debug` uses; it ships oc and jq and follows the release minor
    // (version table: ose-tools-rhel8 up to 4.15, ose-tools-rhel9 from 4.16).
    defaultFor: (c) => requireOcp(c.ocpMinor).toolsImage,
    onEdge: 'always',
  },
  {
    key: 'httpd',
    configKey: 'HTTPD_IMAGE',
    purpose: 'RHCOS HTTP server, RHCOS downloader and htpasswd generator: needs httpd, htpasswd, curl, sha256sum',
    defaultFor: () => 'registry.redhat.io/rhel9/httpd-24:1',
  },
  {
    key: 'registry',
    configKey: 'REGISTRY_IMAGE',
    purpose: 'internal hub registry (CNCF distribution, htpasswd auth)',
    defaultFor: () => 'docker.io/library/registry:2.8.3',
  },
  {
    key: 'ocMirror',
    configKey: 'OC_MIRROR_IMAGE',
    purpose: `oc-mirror Jobs (hub mirror with ${OC_MIRROR.hubFlag}, edge mirror with ${OC_MIRROR.edgeFlag}): needs an oc-mirror ${OC_MIRROR.explicitFlagSince} or newer on PATH (it takes --v1/--v2) and jq`,
    // The newest oc-mirror whatever release is mirrored (version table), not the fleet's minor.
    defaultFor: () => OC_MIRROR.image,
    onEdge: 'registry',
  },
  {
    key: 'ui',
    configKey: 'UI_IMAGE',
    purpose: 'edge cluster setup UI (day-2; built from ui/ by the workflow job `ui-image`), mirrored so edge clusters can pull it from the hub',
    // Our own image: the tag is ui/package.json's version (a test keeps them equal), never :latest.
    defaultFor: () => 'ghcr.io/ztpfw-gitops/ztpfw-ui:0.1.0',
    onEdge: 'ui',
  },
];

/** The image to run for `key`: the fleet override when given, else the default. */
export function imageFor(config: FleetConfig, key: ImageKey): string {
  const entry = IMAGES.find((e) => e.key === key);
  if (!entry) throw new Error(`unknown image key ${key}`);
  return config.imageOverrides[key] ?? entry.defaultFor(config);
}

/** Every image of the table, resolved, sorted, without duplicates. */
export function allImages(config: FleetConfig): string[] {
  return [...new Set(IMAGES.map((e) => imageFor(config, e.key)))].sort();
}

/** `registry.example.com:5000/ns/repo:tag@sha256:…` → `{ host, path }`; Docker Hub short names get `docker.io`. */
export function splitImage(ref: string): { host: string; path: string } {
  const noDigest = ref.split('@')[0];
  const slash = noDigest.indexOf('/');
  const first = slash < 0 ? '' : noDigest.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = isHost ? first : 'docker.io';
  let path = isHost ? noDigest.slice(slash + 1) : noDigest;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) path = path.slice(0, colon);
  if (host === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { host, path };
}

/** The images an edge cluster runs (sorted, resolved): what its own registry must hold once it stands alone. */
export function edgeImages(config: FleetConfig, cluster: Pick<EdgeCluster, 'day2Bundles'>): string[] {
  const runs = (e: ImageEntry) => e.onEdge === 'always' || (e.onEdge !== undefined && cluster.day2Bundles.includes(e.onEdge));
  return [...new Set(IMAGES.filter(runs).map((e) => imageFor(config, e.key)))].sort();
}
