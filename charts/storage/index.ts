/**
 * Storage family: per edge cluster with the `storage` day-2 bundle, its local and ODF storage, delivered by the
 * cluster's day-2 mode into `dist/clusters/<cluster>/storage/`.
 *
 * Stages, each after the previous one:
 * 1. `wipe`      – one Job per node that lists storage disks wipes exactly those disks, once.
 *                  Per-node stages (`wipe`, and `volumes` on compact / 3+N) are split by `perNodeStages` into
 *                  `wipe`, `wipe-1`, … of at most 100 workers each, so no ManifestWork reaches the 500 KiB limit.
 * 2. `operators` – SNO: LVMS + ODF in `openshift-storage`; compact / 3+N: LSO in `openshift-local-storage` and
 *                  ODF in `openshift-storage`. One Namespace object and one OperatorGroup per namespace.
 * 3. `volumes`   – SNO: the LVMCluster (default StorageClass `lvms-vg1`); otherwise the LocalVolumes.
 * 4. `odf`       – SNO: the MCG-only StorageCluster; otherwise the Ceph StorageCluster on the LSO block PVs.
 */
import { App } from 'cdk8s';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, Manifest, perNodeStages } from '../common/day2';
import { operatorManifests } from '../common/olm-manifests';
import { odfNodes, storageEnabled, storageNodes } from '../common/storage-nodes';
import { localVolumes, lvmCluster } from './local';
import { cephStorageCluster, mcgStorageCluster } from './odf';
import { PRIVILEGED_NAMESPACE_LABELS, wipeManifests } from './wipe';

export const STORAGE_BUNDLE = 'storage';

/** Operator installs of the cluster's topology; `openshift-storage` is rendered once, for both of its operators. */
export function storageOperators(cluster: EdgeCluster, config: FleetConfig): Manifest[] {
  const privileged = { namespaceLabels: PRIVILEGED_NAMESPACE_LABELS };
  if (cluster.topology === 'sno') {
    return [
      ...operatorManifests(config, 'lvms-operator', privileged),
      ...operatorManifests(config, 'odf-operator', { namespace: false, operatorGroup: false }),
    ];
  }
  return [
    ...operatorManifests(config, 'local-storage-operator', privileged),
    ...operatorManifests(config, 'odf-operator', privileged),
  ];
}

/** The bundle's stages for one cluster, as plain manifests. */
export function storageStages(cluster: EdgeCluster, config: FleetConfig): Day2Stage[] {
  const sno = cluster.topology === 'sno';
  return [
    ...perNodeStages({ name: 'wipe', feedbackKinds: ['Job'] }, storageNodes(cluster), (nodes, part) => wipeManifests(cluster, config, nodes, part === 0)),
    { name: 'operators', manifests: storageOperators(cluster, config), feedbackKinds: ['Subscription'] },
    ...(sno ? [{ name: 'volumes', manifests: [lvmCluster(cluster)] }] : perNodeStages({ name: 'volumes' }, storageNodes(cluster), localVolumes)),
    { name: 'odf', manifests: [sno ? mcgStorageCluster() : cephStorageCluster(odfNodes(cluster))] },
  ];
}

export class StorageChart extends ZtpChart {
  constructor(scope: App, cluster: EdgeCluster, config: FleetConfig) {
    super(scope, `storage-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${STORAGE_BUNDLE}` });
    new Day2Bundle(this, 'bundle', {
      cluster: cluster.name,
      bundle: STORAGE_BUNDLE,
      mode: cluster.day2Delivery,
      stages: storageStages(cluster, config),
    });
  }
}

export function storageFamily(app: App, fleet: Fleet): void {
  for (const cluster of fleet.clusters) {
    if (storageEnabled(cluster)) new StorageChart(app, cluster, fleet.config);
  }
}
