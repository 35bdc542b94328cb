/**
 * Where an edge cluster pulls its release and operator content from, as plain manifests: mirror sets and the
 * catalogs under their default names, pointed at the hub mirror (the `disconnected` bundle, factory phase) or at
 * the edge's own Quay (the `edge-mirror` bundle's switch in `STATE: standalone`). Both read the one mirror layout of
 * charts/common/mirror.ts, so every path they name is where oc-mirror put the content.
 */
import * as olm from '../../imports/olm';
import * as ocpconfig from '../../imports/openshift-config';
import type { EdgeCluster, FleetConfig } from '../../model/types';
import type { Day2Stage, Manifest } from './day2';
import { mirroredIndex, mirrorEntries } from './mirror';
import { CATALOGS, CatalogKey, clusterBundles, MARKETPLACE_NAMESPACE, packagesOf } from './operators';
import { EDGE_MIRROR_ORGANIZATION, edgeRegistryHost } from './registry';

/** Name of the mirror sets that point at the hub registry. */
export const HUB_MIRROR_NAME = 'ztpfw-hub-mirror';
/** Name of the mirror sets that point at the edge's own registry. */
export const EDGE_MIRROR_NAME = 'ztpfw-edge-mirror';

/** Catalogs an edge cluster needs: redhat-operators always, plus the catalogs of the operators it installs. */
export function clusterCatalogs(cluster: Pick<EdgeCluster, 'topology' | 'contrib' | 'day2Bundles'>): CatalogKey[] {
  const keys = new Set<CatalogKey>(['redhat']);
  for (const p of packagesOf(clusterBundles(cluster))) keys.add(p.catalog);
  return [...keys].sort();
}

/** OperatorHub `cluster` with the default (internet) sources off. No pinned schema exists for OperatorHub. */
export function operatorHubManifest(): Manifest {
  return { apiVersion: 'config.openshift.io/v1', kind: 'OperatorHub', metadata: { name: 'cluster' }, spec: { disableAllDefaultSources: true } };
}

/** IDMS + ITMS (a disconnected fleet is on OpenShift ≥ 4.13), named `name`, sending every mirrored source to `address`. */
export function mirrorSetManifests(config: FleetConfig, address: string, name: string): Manifest[] {
  const entries = mirrorEntries(config, address);
  return [
    ocpconfig.ImageDigestMirrorSet.manifest({
      metadata: { name },
      spec: { imageDigestMirrors: entries.map((e) => ({ source: e.source, mirrors: [e.mirror] })) },
    }) as Manifest,
    ocpconfig.ImageTagMirrorSet.manifest({
      metadata: { name },
      spec: { imageTagMirrors: entries.filter((e) => !e.digestOnly).map((e) => ({ source: e.source, mirrors: [e.mirror] })) },
    }) as Manifest,
  ];
}

/** The catalogs under their default names (Subscriptions keep `source: redhat-operators`), served from `address`. */
export function catalogSourceManifests(config: FleetConfig, catalogs: readonly CatalogKey[], address: string): Manifest[] {
  return catalogs.map((key) => olm.CatalogSource.manifest({
    metadata: { name: CATALOGS[key].source, namespace: MARKETPLACE_NAMESPACE },
    spec: {
      sourceType: 'grpc',
      image: mirroredIndex(config, key, address),
      displayName: `${CATALOGS[key].source} (mirror ${address})`,
      publisher: 'ztpfw',
      updateStrategy: { registryPoll: { interval: '30m' } },
    },
  }) as Manifest);
}

/** Where the edge's own Quay keeps the mirrored content: `<quay route>/ztpfw`. */
export function edgeMirrorAddress(config: FleetConfig, cluster: Pick<EdgeCluster, 'name'>): string {
  return `${edgeRegistryHost(config, cluster)}/${EDGE_MIRROR_ORGANIZATION}`;
}

/**
 * After the lifecycle switch: the edge pulls from its own Quay, where the edge mirror
 * (`oc-mirror … docker://<quay route>/ztpfw`) keeps the source paths under the `ztpfw` organisation. Trust in the
 * Quay Route comes from the `registry` bundle.
 */
export function edgeRegistryShape(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  const address = edgeMirrorAddress(config, cluster);
  return [
    { name: 'mirror', manifests: [operatorHubManifest(), ...mirrorSetManifests(config, address, EDGE_MIRROR_NAME)], serverSideApplyKinds: ['OperatorHub'] },
    { name: 'olm', manifests: catalogSourceManifests(config, clusterCatalogs(cluster), address) },
  ];
}

