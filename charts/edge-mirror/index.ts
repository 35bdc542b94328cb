/**
 * The edge mirror (F1, F2, F22 of the original fixed): a disconnected edge copies what it runs from the hub mirror
 * into its own Quay, and in `STATE: standalone` switches its mirror sets and catalogs to that Quay, so it no longer
 * needs the hub registry once detached.
 *
 * - `mirror` (configure and standalone): oc-mirror (v2, mirror to mirror) copies the release, the operator packages of
 *   this cluster's bundles and the images the edge runs into `<quay route>/ztpfw`. The sources keep their upstream
 *   names in the ImageSetConfiguration; a registries.conf built from the same mirror layout as the edge's hub-shaped
 *   mirror sets makes oc-mirror read them from the hub registry.
 * - `switch` (standalone only): a Job that waits for the mirror Job to complete, checks every image the switch
 *   points at is in the edge Quay, and only then applies the edge-shaped mirror sets and catalogs (shipped in a
 *   ConfigMap) and removes the hub-shaped mirror sets. A failed or unfinished mirror applies nothing.
 *
 * The switch is a Job, not delivered objects, so both delivery modes get the same ordering guarantee: neither the work
 * agent nor a Policy can wait for a Job to finish.
 */
import { App, Yaml } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as path from 'node:path';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, HOLDS_MANIFESTS_ANNOTATION, Manifest, resourceOf, StageRef } from '../common/day2';
import { EdgeJobRule, edgeJobManifests } from '../common/edge-job';
import { edgeImages } from '../common/images';
import { pullsFromOwnRegistry } from '../common/lifecycle';
import { mirroredImage, mirroredIndex, mirroredRelease, mirrorEntries, registriesConf } from '../common/mirror';
import { clusterCatalogs, edgeMirrorAddress, edgeRegistryShape, HUB_MIRROR_NAME } from '../common/mirror-shape';
import { CATALOGS, clusterMirrorPackages, imageSetOperators } from '../common/operators';
import {
  EDGE_REGISTRY_NAMESPACE, edgeMirrorEnabled, edgeRegistryHost, hubRegistry, REGISTRY_CA_CONFIGMAP,
} from '../common/registry';

export const BUNDLE = 'edge-mirror';
export const NAMESPACE = 'ztpfw-edge-mirror';
export const SCRIPTS_DIR = path.join('charts', 'edge-mirror', 'scripts');
/** The mirror Job (and its ServiceAccount, RBAC, scripts ConfigMap `edge-mirror-scripts`). */
export const MIRROR_JOB = 'edge-mirror';
/** ConfigMap with the ImageSetConfiguration and the registries.conf that reads the sources from the hub. */
export const IMAGESET_CONFIGMAP = 'edge-mirror-config';
/** The switch Job, and the ConfigMap with the objects it applies and the images it checks first. */
export const SWITCH_JOB = 'registry-switch';
export const SWITCH_CONFIGMAP = 'registry-switch-objects';
/** File of SWITCH_CONFIGMAP listing every image the switched edge pulls from its own registry. */
export const VERIFY_FILE = 'verify-images.txt';
/** Secret of the registry bundle with the generated Quay super-user (`username`, `password`). */
export const ADMIN_SECRET = 'quay-admin';
/** Last stage of the registry bundle: the QuayRegistry is delivered (the Jobs wait for its super-user). */
export const REGISTRY_READY: StageRef = { bundle: 'registry', stage: 'quay' };
/** How long the Jobs wait for what comes before them (Quay's super-user, the mirror Job). */
const MIRROR_DEADLINE_SECONDS = 6 * 3600;

/**
 * The oc-mirror v2 ImageSetConfiguration of one edge: the fleet's release pinned, the packages (channels, starting
 * releases) of this cluster's bundles from the operator table, the images the edge runs. A subset of what the hub
 * mirrored, under the same upstream names.
 */
export function edgeImageSetConfiguration(config: FleetConfig, cluster: EdgeCluster): Record<string, unknown> {
  const operators = imageSetOperators(config, clusterMirrorPackages(config, cluster));
  // The catalogs the switch serves must exist in the mirror even when no package of this cluster comes from them.
  const indexes = new Set(operators.map((o) => o.catalog));
  for (const key of clusterCatalogs(cluster)) {
    const index = CATALOGS[key].index(config);
    if (!indexes.has(index)) operators.push({ catalog: index, packages: [] });
  }
  operators.sort((a, b) => a.catalog.localeCompare(b.catalog));
  return {
    apiVersion: 'mirror.openshift.io/v2alpha1',
    kind: 'ImageSetConfiguration',
    mirror: {
      // The release by image: the edge cannot reach the update graph to resolve a channel.
      platform: { architectures: ['amd64'], release: config.releaseImage, graph: false },
      operators,
      additionalImages: edgeImages(config, cluster).map((name) => ({ name })),
    },
  };
}

/** Every image the edge pulls from its own registry after the switch; the switch Job checks each one first. */
export function imagesToVerify(config: FleetConfig, cluster: EdgeCluster): string[] {
  const address = edgeMirrorAddress(config, cluster);
  return [
    mirroredRelease(config, address),
    ...clusterCatalogs(cluster).map((key) => mirroredIndex(config, key, address)),
    ...edgeImages(config, cluster).map((ref) => mirroredImage(ref, address)),
  ];
}

/** The objects the switch applies: the edge-shaped mirror sets, OperatorHub and catalogs. */
export function switchManifests(config: FleetConfig, cluster: EdgeCluster): Manifest[] {
  return edgeRegistryShape(config, cluster).flatMap((s) => s.manifests);
}

/** Hub-shaped mirror-set kinds the switch removes (the edge shape replaces them). */
function hubMirrorSetResources(): { group: string; resource: string }[] {
  return [{ group: 'config.openshift.io', resource: 'imagedigestmirrorsets' }, { group: 'config.openshift.io', resource: 'imagetagmirrorsets' }];
}

function mirrorStage(config: FleetConfig, cluster: EdgeCluster): Day2Stage {
  const hub = hubRegistry(config);
  const configMap = k8s.KubeConfigMap.manifest({
    metadata: { name: IMAGESET_CONFIGMAP, namespace: NAMESPACE },
    data: {
      'imageset-config.yaml': Yaml.stringify(edgeImageSetConfiguration(config, cluster)),
      // The hub mirror's own layout: every upstream source read from where the hub's oc-mirror put it.
      'registries.conf': registriesConf(mirrorEntries(config, hub.address)),
    },
  }) as Manifest;
  const job = edgeJobManifests({
    config,
    name: MIRROR_JOB,
    namespace: NAMESPACE,
    scriptsDir: SCRIPTS_DIR,
    init: { name: 'prepare', script: 'edge-mirror-prepare.sh' },
    script: 'edge-mirror.sh',
    image: 'ocMirror',
    partOf: 'ztpfw-edge-mirror',
    env: {
      REGISTRY_NAMESPACE: EDGE_REGISTRY_NAMESPACE,
      ADMIN_SECRET,
      QUAY_HOST: edgeRegistryHost(config, cluster),
      EDGE_MIRROR: edgeMirrorAddress(config, cluster),
      CA_CONFIGMAP: REGISTRY_CA_CONFIGMAP,
      // A custom hub registry without a CA file is publicly trusted: nothing to add.
      HUB_CA_KEY: hub.caSource === 'none' ? '' : hub.caKey,
      WAIT_SECONDS: String(MIRROR_DEADLINE_SECONDS / 2),
      MAX_ATTEMPTS: '3',
    },
    volumes: [
      { name: 'config', mountPath: '/config', configMap: IMAGESET_CONFIGMAP },
      { name: 'workspace', mountPath: '/workspace' },
    ],
    deadlineSeconds: MIRROR_DEADLINE_SECONDS,
    backoffLimit: 2,
    rules: [
      { namespace: 'openshift-config', apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: ['pull-secret'] },
      { namespace: 'openshift-config', apiGroup: '', resources: ['configmaps'], verbs: ['get'], resourceNames: [REGISTRY_CA_CONFIGMAP] },
      { namespace: EDGE_REGISTRY_NAMESPACE, apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: [ADMIN_SECRET] },
    ],
  });
  return {
    name: 'mirror',
    manifests: [k8s.KubeNamespace.manifest({ metadata: { name: NAMESPACE } }) as Manifest, configMap, ...job],
    feedbackKinds: ['Job'],
  };
}

function switchStage(config: FleetConfig, cluster: EdgeCluster): Day2Stage {
  const objects = switchManifests(config, cluster);
  const files: Record<string, string> = { [VERIFY_FILE]: `${imagesToVerify(config, cluster).join('\n')}\n` };
  objects.forEach((m, i) => { files[`${String(i + 1).padStart(2, '0')}-${m.kind.toLowerCase()}-${m.metadata.name}.yaml`] = Yaml.stringify(m); });
  const configMap = k8s.KubeConfigMap.manifest({
    metadata: { name: SWITCH_CONFIGMAP, namespace: NAMESPACE, annotations: { [HOLDS_MANIFESTS_ANNOTATION]: 'true' } },
    data: files,
  }) as Manifest;

  const rules: EdgeJobRule[] = [
    { namespace: NAMESPACE, apiGroup: 'batch', resources: ['jobs'], verbs: ['get'], resourceNames: [MIRROR_JOB] },
    { namespace: EDGE_REGISTRY_NAMESPACE, apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: [ADMIN_SECRET] },
    { namespace: 'openshift-config', apiGroup: '', resources: ['configmaps'], verbs: ['get'], resourceNames: [REGISTRY_CA_CONFIGMAP] },
  ];
  // Server-side apply of each object: get and patch it by name; create (never scoped by name) for its resource.
  const group = (m: Manifest) => (m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '');
  const byResource = new Map<string, { group: string; resource: string; namespace?: string; names: string[] }>();
  for (const m of objects) {
    const k = `${group(m)}/${resourceOf(m.kind)}/${m.metadata.namespace ?? ''}`;
    const e = byResource.get(k) ?? { group: group(m), resource: resourceOf(m.kind), namespace: m.metadata.namespace, names: [] };
    e.names.push(m.metadata.name);
    byResource.set(k, e);
  }
  for (const e of [...byResource.values()].sort((a, b) => `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`))) {
    rules.push({ namespace: e.namespace, apiGroup: e.group, resources: [e.resource], verbs: ['get', 'patch'], resourceNames: [...new Set(e.names)].sort() });
    rules.push({ namespace: e.namespace, apiGroup: e.group, resources: [e.resource], verbs: ['create'] });
  }
  const hubSets = hubMirrorSetResources();
  for (const r of hubSets) rules.push({ apiGroup: r.group, resources: [r.resource], verbs: ['delete'], resourceNames: [HUB_MIRROR_NAME] });

  const job = edgeJobManifests({
    config,
    name: SWITCH_JOB,
    namespace: NAMESPACE,
    scriptsDir: SCRIPTS_DIR,
    script: 'registry-switch.sh',
    partOf: 'ztpfw-edge-mirror',
    env: {
      NAMESPACE,
      MIRROR_JOB,
      REGISTRY_NAMESPACE: EDGE_REGISTRY_NAMESPACE,
      ADMIN_SECRET,
      QUAY_HOST: edgeRegistryHost(config, cluster),
      CA_CONFIGMAP: REGISTRY_CA_CONFIGMAP,
      HUB_MIRROR_NAME,
      HUB_MIRROR_RESOURCES: hubSets.map((r) => `${r.resource}.${r.group}`).join(' '),
      FIELD_MANAGER: 'ztpfw-edge-mirror',
      WAIT_SECONDS: String(MIRROR_DEADLINE_SECONDS),
    },
    volumes: [{ name: 'switch', mountPath: '/switch', configMap: SWITCH_CONFIGMAP }],
    // It may start while the mirror still runs: it waits as long as the mirror may take.
    deadlineSeconds: MIRROR_DEADLINE_SECONDS + 1800,
    backoffLimit: 2,
    rules,
  });
  return { name: 'switch', manifests: [configMap, ...job], feedbackKinds: ['Job'] };
}

/** `mirror` always; `switch` once the cluster is told to stand alone on its own registry. */
export function edgeMirrorStages(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  const stages = [mirrorStage(config, cluster)];
  if (pullsFromOwnRegistry(cluster)) stages.push(switchStage(config, cluster));
  return stages;
}

export class EdgeMirrorChart extends ZtpChart {
  constructor(scope: App, fleet: Fleet, cluster: EdgeCluster) {
    super(scope, `edge-mirror-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${BUNDLE}` });
    new Day2Bundle(this, 'bundle', {
      cluster: cluster.name,
      bundle: BUNDLE,
      mode: cluster.day2Delivery,
      stages: edgeMirrorStages(fleet.config, cluster),
      after: [REGISTRY_READY],
    });
  }
}

/** Clusters of a disconnected fleet with their own registry and the hub-mirror bundle. */
export function edgeMirrorFamily(app: App, fleet: Fleet): void {
  for (const c of fleet.clusters) if (edgeMirrorEnabled(fleet.config, c)) new EdgeMirrorChart(app, fleet, c);
}
