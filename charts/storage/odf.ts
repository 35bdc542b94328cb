/**
 * ODF StorageClusters: Ceph on the LSO block PVs of compact / 3+N clusters, the Multicloud Object Gateway alone on
 * SNO (one node cannot hold three Ceph replicas; MCG gives the edge registry its S3 bucket on top of LVMS).
 */
import * as ocs from '../../imports/ocs';
import type { EdgeNode } from '../../model/types';
import type { Manifest } from '../common/day2';
import { operatorPackage } from '../common/operators';
import { ODF_MIN_NODES } from '../common/storage-nodes';
import { LOCAL_BLOCK_STORAGE_CLASS, LVMS_STORAGE_CLASS } from './local';

export const CEPH_STORAGE_CLUSTER = 'ocs-storagecluster';
export const MCG_STORAGE_CLUSTER = 'mcg-storagecluster';

/** Uninstall behaviour the original chose: drain gracefully, then delete Ceph's data on the hosts. */
const ANNOTATIONS = {
  'uninstall.ocs.openshift.io/cleanup-policy': 'delete',
  'uninstall.ocs.openshift.io/mode': 'graceful',
};

/**
 * Ceph on every ODF node's disks. `flexibleScaling` makes the host the failure domain, so one device set of
 * replica 1 with one OSD per disk uses every listed disk, however the disks are spread over the nodes (a replica-3
 * device set would need the same count in each of three racks and leave the rest idle); pools still keep three
 * copies on three hosts. A disk added later raises the count by one.
 */
export function cephStorageCluster(nodes: readonly EdgeNode[]): Manifest {
  if (nodes.length < ODF_MIN_NODES) {
    throw new Error(`ODF needs ${ODF_MIN_NODES} nodes with storage disks, got ${nodes.length} (the model requires disks on every master)`);
  }
  const osds = nodes.reduce((sum, n) => sum + n.storageDisks.length, 0);
  return ocs.StorageCluster.manifest({
    metadata: {
      name: CEPH_STORAGE_CLUSTER,
      namespace: operatorPackage('odf-operator').namespace,
      annotations: { 'cluster.ocs.openshift.io/local-devices': 'true', ...ANNOTATIONS },
    },
    spec: {
      monDataDirHostPath: '/var/lib/rook',
      flexibleScaling: true,
      managedResources: { cephBlockPools: { defaultStorageClass: true } },
      storageDeviceSets: [{
        name: 'ocs-deviceset',
        count: osds,
        replica: 1,
        portable: false,
        dataPvcTemplate: {
          spec: {
            accessModes: ['ReadWriteOnce'],
            // any LSO PV binds: each is a whole disk
            resources: { requests: { storage: ocs.StorageClusterSpecStorageDeviceSetsDataPvcTemplateSpecResourcesRequests.fromString('1') } },
            storageClassName: LOCAL_BLOCK_STORAGE_CLASS,
            volumeMode: 'Block',
          },
        },
      }],
    },
  }) as Manifest;
}

/** MCG only (no Ceph), its database on the LVMS StorageClass. */
export function mcgStorageCluster(): Manifest {
  return ocs.StorageCluster.manifest({
    metadata: { name: MCG_STORAGE_CLUSTER, namespace: operatorPackage('odf-operator').namespace, annotations: { ...ANNOTATIONS } },
    spec: {
      multiCloudGateway: { reconcileStrategy: 'standalone', dbStorageClassName: LVMS_STORAGE_CLASS },
    },
  }) as Manifest;
}
