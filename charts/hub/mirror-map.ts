import type { FleetConfig } from '../../model/types';
import { allImages, splitImage } from '../common/images';
import { DEFAULTS } from '../../model/defaults';

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
 * `openshift/release-images` and `openshift/release`, operator content of registry.redhat.io under its own paths, and
 * each additional image under its repository path. One list drives registries.conf, IDMS/ITMS and ICSP.
 */
export function mirrorEntries(config: FleetConfig, address: string): MirrorEntry[] {
  const out: MirrorEntry[] = [
    { source: DEFAULTS.RELEASE_REPOSITORY, mirror: `${address}/openshift/release-images`, digestOnly: false },
    { source: RELEASE_ART, mirror: `${address}/openshift/release`, digestOnly: true },
    // Operator bundles, their images and the catalog indexes all come from registry.redhat.io.
    { source: 'registry.redhat.io', mirror: address, digestOnly: false },
  ];
  for (const ref of allImages(config)) {
    const { host, path } = splitImage(ref);
    if (host === 'registry.redhat.io') continue;
    const source = `${host}/${path}`;
    if (!out.some((e) => e.source === source)) out.push({ source, mirror: `${address}/${path}`, digestOnly: false });
  }
  return out.sort((a, b) => a.source.localeCompare(b.source));
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
