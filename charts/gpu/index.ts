/**
 * The GPU bundle (`contrib.gpu-operator`, §3.11 of the original, F4 fixed): Node Feature Discovery and the NVIDIA
 * GPU operator from the catalogs the edge really has (`redhat-operators`, `certified-operators`: the mirrored ones
 * in a disconnected fleet, which mirror both packages), on the channel the input's version maps to, then a
 * NodeFeatureDiscovery and a ClusterPolicy. Neither CR has a pinned schema: they are plain manifests.
 */
import { App } from 'cdk8s';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, deliveredBundles, GPU_BUNDLE, Manifest, StageRef } from '../common/day2';
import { operatorManifests } from '../common/olm-manifests';
import { operatorPackage } from '../common/operators';
import { edgeUsesHubMirror } from '../common/registry';

export const BUNDLE = GPU_BUNDLE;

/**
 * Node Feature Discovery labelling PCI devices by vendor (NVIDIA is `10de`), so the GPU operator finds its nodes.
 * No operand image: the operator runs the one its CSV names, which the mirror holds with the package.
 */
export function nodeFeatureDiscovery(): Manifest {
  const workerConfig = [
    'sources:',
    '  pci:',
    '    deviceClassWhitelist: ["0200", "03", "12"]',
    '    deviceLabelFields: ["vendor"]',
    '',
  ].join('\n');
  return {
    apiVersion: 'nfd.openshift.io/v1',
    kind: 'NodeFeatureDiscovery',
    metadata: { name: 'nfd-instance', namespace: operatorPackage('nfd').namespace },
    spec: { operand: { servicePort: 12000 }, workerConfig: { configData: workerConfig } },
  };
}

/** The original's ClusterPolicy: driver built with the OpenShift driver toolkit, DCGM, MIG single strategy. */
export function clusterPolicy(): Manifest {
  return {
    apiVersion: 'nvidia.com/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'gpu-cluster-policy' },
    spec: {
      operator: { defaultRuntime: 'crio', use_ocp_driver_toolkit: true },
      daemonsets: {},
      dcgm: { enabled: true },
      dcgmExporter: { config: { name: '' } },
      devicePlugin: {},
      driver: {
        enabled: true,
        repoConfig: { configMapName: '' },
        certConfig: { name: '' },
        licensingConfig: { nlsEnabled: false, configMapName: '' },
        virtualTopology: { config: '' },
      },
      gfd: {},
      migManager: { enabled: true },
      mig: { strategy: 'single' },
      nodeStatusExporter: { enabled: true },
      toolkit: { enabled: true },
      validator: { plugin: { env: [{ name: 'WITH_WORKLOAD', value: 'true' }] } },
    },
  };
}

export function gpuStages(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  return [
    {
      name: 'operators',
      manifests: [
        ...operatorManifests(config, 'nfd'),
        ...operatorManifests(config, 'gpu-operator-certified', { cluster }),
      ],
      feedbackKinds: ['Subscription'],
    },
    { name: 'config', manifests: [nodeFeatureDiscovery(), clusterPolicy()] },
  ];
}

/** In a disconnected fleet the Subscriptions wait for the mirrored catalogs (policy mode). */
export function gpuAfter(config: FleetConfig, cluster: EdgeCluster): StageRef[] {
  return edgeUsesHubMirror(config, cluster) ? [{ bundle: 'disconnected', stage: 'olm' }] : [];
}

export class GpuChart extends ZtpChart {
  constructor(scope: App, fleet: Fleet, cluster: EdgeCluster) {
    super(scope, `gpu-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${BUNDLE}` });
    new Day2Bundle(this, 'bundle', {
      cluster: cluster.name,
      bundle: BUNDLE,
      mode: cluster.day2Delivery,
      stages: gpuStages(fleet.config, cluster),
      after: gpuAfter(fleet.config, cluster),
    });
  }
}

export function gpuFamily(app: App, fleet: Fleet): void {
  for (const c of fleet.clusters) if (deliveredBundles(c).includes(BUNDLE)) new GpuChart(app, fleet, c);
}
