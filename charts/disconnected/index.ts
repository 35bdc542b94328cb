/**
 * The disconnected bundle (§3.2 of the original, with F2 and F22 fixed): during the factory phase an edge cluster
 * pulls its release and operator content from the hub mirror. The mirror sets and the CatalogSources are computed
 * from the same layout the hub's oc-mirror writes (charts/common/mirror.ts), so every mirror path exists.
 *
 * Delivered while the cluster is in `configure`: `hubRegistryShape` points the edge at the hub registry. In
 * `STATE: standalone` this bundle is no longer rendered; the `edge-mirror` bundle switches the edge to its own Quay
 * (`edgeRegistryShape`, charts/common/mirror-shape.ts) once its mirror is complete.
 */
import { App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as path from 'node:path';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, Manifest } from '../common/day2';
import { edgeJobManifests } from '../common/edge-job';
import {
  catalogSourceManifests, clusterCatalogs, HUB_MIRROR_NAME, mirrorSetManifests, operatorHubManifest,
} from '../common/mirror-shape';
import { edgeUsesHubMirror, hubRegistry, imageTrustManifest, REGISTRY_CA_CONFIGMAP } from '../common/registry';

// The pure shape logic lives in charts/common (the edge-mirror bundle's switch uses it too); re-exported for callers.
export {
  catalogSourceManifests, clusterCatalogs, EDGE_MIRROR_NAME, edgeRegistryShape, HUB_MIRROR_NAME, mirrorSetManifests, operatorHubManifest,
} from '../common/mirror-shape';

export const BUNDLE = 'disconnected';
export const JOB_NAMESPACE = 'ztpfw-disconnected';
const SCRIPTS_DIR = path.join('charts', 'disconnected', 'scripts');
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
