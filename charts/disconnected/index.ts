/**
 * The disconnected bundle (§3.2 of the original, with F2 and F22 fixed): during the factory phase an edge cluster
 * pulls its release and operator content from the hub mirror. The mirror sets and the CatalogSources are computed
 * from the same layout the hub's oc-mirror writes (charts/common/mirror.ts), so every mirror path exists.
 *
 * Two shapes: `hubRegistryShape` (delivered now) points the edge at the hub registry; `edgeRegistryShape` points
 * it at its own Quay (`<quay route>/ztpfw/…`, where the edge mirror puts the content) and is what the lifecycle
 * switch will deliver instead.
 */
import { App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import * as path from 'node:path';
import * as olm from '../../imports/olm';
import * as ocpconfig from '../../imports/openshift-config';
import * as ocpop from '../../imports/openshift-operator';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, Manifest } from '../common/day2';
import { edgeJobManifests } from '../common/edge-job';
import { hasMirrorSets, mirroredIndex, mirrorEntries } from '../common/mirror';
import { CATALOGS, CatalogKey, clusterBundles, MARKETPLACE_NAMESPACE, packagesOf } from '../common/operators';
import {
  EDGE_MIRROR_ORGANIZATION, edgeRegistryHost, edgeUsesHubMirror, hubRegistry, imageTrustManifest, REGISTRY_CA_CONFIGMAP,
} from '../common/registry';

export const BUNDLE = 'disconnected';
export const JOB_NAMESPACE = 'ztpfw-disconnected';
const SCRIPTS_DIR = path.join('charts', 'disconnected', 'scripts');
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

/** IDMS + ITMS (OpenShift ≥ 4.13) or an ICSP (older), named `name`, sending every mirrored source to `address`. */
export function mirrorSetManifests(config: FleetConfig, address: string, name: string): Manifest[] {
  const entries = mirrorEntries(config, address);
  if (!hasMirrorSets(config.ocpMinor)) {
    return [ocpop.ImageContentSourcePolicy.manifest({
      metadata: { name },
      spec: { repositoryDigestMirrors: entries.map((e) => ({ source: e.source, mirrors: [e.mirror] })) },
    }) as Manifest];
  }
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

/** Factory phase: the edge pulls from the hub registry and trusts its CA. */
export function hubRegistryShape(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  const registry = hubRegistry(config);
  const mirror: Manifest[] = [operatorHubManifest(), ...mirrorSetManifests(config, registry.address, HUB_MIRROR_NAME)];
  const ssa = ['OperatorHub'];
  if (registry.caSource !== 'none') {
    const fromFile = registry.caSource === 'file';
    mirror.push(k8s.KubeNamespace.manifest({ metadata: { name: JOB_NAMESPACE } }) as Manifest);
    if (fromFile) {
      // The CA of a custom registry is public material: it may live in git.
      mirror.push(k8s.KubeConfigMap.manifest({ metadata: { name: 'hub-registry-ca', namespace: JOB_NAMESPACE }, data: { 'ca.crt': config.registryCa! } }) as Manifest);
    }
    mirror.push(...edgeJobManifests({
      config,
      name: 'hub-registry-ca',
      namespace: JOB_NAMESPACE,
      scriptsDir: SCRIPTS_DIR,
      script: 'hub-registry-ca.sh',
      partOf: 'ztpfw-disconnected',
      env: { CA_SOURCE: fromFile ? 'file' : 'install', REGISTRY_KEY: registry.caKey, CA_CONFIGMAP: REGISTRY_CA_CONFIGMAP },
      volumes: fromFile ? [{ name: 'ca', mountPath: '/ca', configMap: 'hub-registry-ca' }] : [],
      deadlineSeconds: 600,
      backoffLimit: 3,
      rules: [
        ...(fromFile ? [] : [{ namespace: 'openshift-config', apiGroup: '', resources: ['configmaps'], verbs: ['get'], resourceNames: ['user-ca-bundle'] }]),
        { namespace: 'openshift-config', apiGroup: '', resources: ['configmaps'], verbs: ['get', 'patch'], resourceNames: [REGISTRY_CA_CONFIGMAP] },
        { namespace: 'openshift-config', apiGroup: '', resources: ['configmaps'], verbs: ['create'] },
      ],
    }));
    mirror.push(imageTrustManifest());
    ssa.push('Image');
  }
  return [
    { name: 'mirror', manifests: mirror, serverSideApplyKinds: ssa },
    // After the default sources are off, so the mirrored catalogs may take the default names.
    { name: 'olm', manifests: catalogSourceManifests(config, clusterCatalogs(cluster), registry.address) },
  ];
}

/**
 * After the lifecycle switch: the edge pulls from its own Quay, where the edge mirror
 * (`oc-mirror … docker://<quay route>/ztpfw`) keeps the source paths under the `ztpfw` organisation. Trust in the
 * Quay Route comes from the `registry` bundle. Not delivered yet.
 */
export function edgeRegistryShape(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  const address = `${edgeRegistryHost(config, cluster)}/${EDGE_MIRROR_ORGANIZATION}`;
  return [
    { name: 'mirror', manifests: [operatorHubManifest(), ...mirrorSetManifests(config, address, EDGE_MIRROR_NAME)], serverSideApplyKinds: ['OperatorHub'] },
    { name: 'olm', manifests: catalogSourceManifests(config, clusterCatalogs(cluster), address) },
  ];
}

export class DisconnectedChart extends ZtpChart {
  constructor(scope: App, fleet: Fleet, cluster: EdgeCluster) {
    super(scope, `disconnected-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${BUNDLE}` });
    new Day2Bundle(this, 'bundle', { cluster: cluster.name, bundle: BUNDLE, mode: cluster.day2Delivery, stages: hubRegistryShape(fleet.config, cluster) });
  }
}

/** Only for a disconnected fleet: a connected hub has no mirror to point at. */
export function disconnectedFamily(app: App, fleet: Fleet): void {
  for (const c of fleet.clusters) if (edgeUsesHubMirror(fleet.config, c)) new DisconnectedChart(app, fleet, c);
}
