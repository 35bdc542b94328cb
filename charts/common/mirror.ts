/**
 * Where mirrored content lives in a mirror registry, as oc-mirror (v1) lays it out, and the pure decisions around
 * it. The hub switches itself to its registry with these; the edge `disconnected` bundle points edge clusters at the
 * same registry (factory phase) or at the edge's own registry (after the lifecycle switch), so both read one layout.
 */
import type { FleetConfig } from '../../model/types';
import { allImages, splitImage } from './images';
import { CATALOGS, CatalogKey } from './operators';
import { DEFAULTS } from '../../model/defaults';
import { PACKAGE_REGISTRIES, RED_HAT_REGISTRY } from '../../model/versions';

export interface MirrorEntry {
  /** Source registry, or repository prefix. */
  readonly source: string;
  /** Where oc-mirror puts it in our registry. */
  readonly mirror: string;
  /** Release payloads are referenced by digest only. */
  readonly digestOnly: boolean;
}

/** Release repositories and where oc-mirror (v1) places them. */
const RELEASE_ART = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';

/**
 * Where every mirrored source lands in the registry at `address`, as oc-mirror lays it out: the release under
 * `openshift/release-images` and `openshift/release`, operator content under its own paths (the host dropped), and
 * each additional image under its repository path. One list drives registries.conf, IDMS/ITMS and ICSP, and it is
 * built from the same tables the ImageSetConfigurations read: the image table (our Jobs and the UI) and the version
 * table's registries per operator package (GPU: nvcr.io, registry.connect.redhat.com), so nothing can be mirrored
 * without being redirected.
 */
export function mirrorEntries(config: FleetConfig, address: string): MirrorEntry[] {
  const out: MirrorEntry[] = [
    { source: DEFAULTS.RELEASE_REPOSITORY, mirror: `${address}/openshift/release-images`, digestOnly: false },
    { source: RELEASE_ART, mirror: `${address}/openshift/release`, digestOnly: true },
  ];
  const add = (e: MirrorEntry) => { if (!out.some((x) => x.source === e.source)) out.push(e); };
  // Operator bundles, their images and the catalog indexes: registry.redhat.io, plus the registries of the packages
  // that pull from elsewhere. Every package's registries are redirected whether or not this fleet mirrors it, so a
  // package added to the table is redirected before any fleet can mirror it.
  for (const host of operatorRegistries()) add({ source: host, mirror: address, digestOnly: false });
  for (const ref of allImages(config)) {
    const { host, path } = splitImage(ref);
    if (out.some((e) => e.source === host)) continue;
    add({ source: `${host}/${path}`, mirror: `${address}/${path}`, digestOnly: false });
  }
  return out.sort((a, b) => a.source.localeCompare(b.source));
}

/** registry.redhat.io and every registry the version table names for an operator package, sorted. */
export function operatorRegistries(): string[] {
  return [...new Set([RED_HAT_REGISTRY, ...Object.values(PACKAGE_REGISTRIES).flatMap((r) => r.registries)])].sort();
}

/** registries.conf (v2) for the Assisted Service (`mirror-ref`), from the mirror list. */
export function registriesConf(entries: readonly MirrorEntry[]): string {
  const blocks = entries.map((e) => [
    '[[registry]]',
    `prefix = ""`,
    `location = "${e.source}"`,
    `mirror-by-digest-only = ${e.digestOnly}`,
    '',
    '[[registry.mirror]]',
    `location = "${e.mirror}"`,
    '',
  ].join('\n'));
  return ['unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]', '', ...blocks].join('\n');
}

/**
 * The catalog index image of `key` in the mirror at `address` (`host[:port][/prefix]`): oc-mirror keeps the source
 * repository path, so `registry.redhat.io/redhat/redhat-operator-index:v4.14` lands at
 * `<address>/redhat/redhat-operator-index:v4.14` (not under an `olm/` prefix, and a port in `address` is kept whole).
 */
export function mirroredIndex(config: FleetConfig, key: CatalogKey, address: string): string {
  const source = CATALOGS[key].index(config);
  const { host, path } = splitImage(source);
  const tag = source.slice(`${host}/${path}`.length);
  return `${address}/${path}${tag}`;
}

/**
 * Where oc-mirror puts `ref` (an image by tag or digest) in the mirror at `address`: the source path kept under
 * the address, the tag or digest unchanged (`registry.redhat.io/a/b:1` → `<address>/a/b:1`; a port in the source
 * host is dropped with the host, never mistaken for a tag).
 */
export function mirroredImage(ref: string, address: string): string {
  const { path } = splitImage(ref);
  const [named, digest] = ref.split('@');
  const colon = named.lastIndexOf(':');
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon) : '';
  return `${address}/${path}${tag}${digest ? `@${digest}` : ''}`;
}

/** The release image of the fleet in the mirror at `address` (oc-mirror keeps releases under `openshift/release-images`). */
export function mirroredRelease(config: FleetConfig, address: string): string {
  return config.releaseDigest ? `${address}/openshift/release-images@${config.releaseDigest}` : `${address}/openshift/release-images:${config.ocpTag}`;
}
