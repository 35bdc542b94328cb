/**
 * Node-local block storage: LVMS on SNO, Local Storage Operator LocalVolumes on compact / 3+N.
 */
import * as lso from '../../imports/local-storage';
import * as lvms from '../../imports/lvms';
import type { EdgeCluster, EdgeNode } from '../../model/types';
import type { Manifest } from '../common/day2';
import { operatorPackage } from '../common/operators';

/** StorageClass of the LSO block PVs that Ceph OSDs claim (the original's name). */
export const LOCAL_BLOCK_STORAGE_CLASS = 'localstorage-sc-block';
/** LVMS device class on SNO; LVMS names its StorageClass `lvms-<device class>`. */
export const LVMS_DEVICE_CLASS = 'vg1';
export const LVMS_STORAGE_CLASS = `lvms-${LVMS_DEVICE_CLASS}`;
export const LVM_CLUSTER_NAME = 'lvmcluster';

/** One LocalVolume and the nodes it selects. */
export interface DiskGroup {
  readonly name: string;
  readonly devicePaths: readonly string[];
  readonly nodes: readonly EdgeNode[];
}

/**
 * Groups nodes by their set of storage disks. A LocalVolume's device paths apply to every node it selects, so
 * nodes with different disks cannot share one; nodes with the same disks do, so the usual identical hardware
 * gives a single LocalVolume. Each group is named after its first node (`local-disks-master0`): adding a node
 * joins a group or adds one, and never renames an existing LocalVolume.
 */
export function diskGroups(nodes: readonly EdgeNode[]): DiskGroup[] {
  const groups = new Map<string, { devicePaths: readonly string[]; nodes: EdgeNode[] }>();
  for (const node of nodes) {
    const key = JSON.stringify([...node.storageDisks].sort());
    const g = groups.get(key);
    if (g) g.nodes.push(node);
    else groups.set(key, { devicePaths: node.storageDisks, nodes: [node] });
  }
  return [...groups.values()].map((g) => ({ name: `local-disks-${g.nodes[0].key}`, devicePaths: g.devicePaths, nodes: g.nodes }));
}

/** LocalVolumes (raw block, one StorageClass shared by all of them: LSO tracks several owners per class). */
export function localVolumes(nodes: readonly EdgeNode[]): Manifest[] {
  const namespace = operatorPackage('local-storage-operator').namespace;
  return diskGroups(nodes).map((g) => lso.LocalVolume.manifest({
    metadata: { name: g.name, namespace },
    spec: {
      logLevel: lso.LocalVolumeSpecLogLevel.NORMAL,
      managementState: 'Managed',
      nodeSelector: {
        nodeSelectorTerms: [{
          matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: g.nodes.map((n) => n.hostname) }],
        }],
      },
      storageClassDevices: [{
        storageClassName: LOCAL_BLOCK_STORAGE_CLASS,
        volumeMode: 'Block',
        devicePaths: [...g.devicePaths],
      }],
    },
  }) as Manifest);
}

/**
 * The SNO LVMCluster: the node's listed disks only (not "every free disk", which would also take a disk the
 * operator plugs in later, or one kept for something else), thin-provisioned, and the default StorageClass.
 */
export function lvmCluster(cluster: EdgeCluster): Manifest {
  const node = cluster.nodes[0];
  return lvms.LvmCluster.manifest({
    metadata: { name: LVM_CLUSTER_NAME, namespace: operatorPackage('lvms-operator').namespace },
    spec: {
      storage: {
        deviceClasses: [{
          name: LVMS_DEVICE_CLASS,
          default: true,
          fstype: lvms.LvmClusterSpecStorageDeviceClassesFstype.XFS,
          deviceSelector: { paths: [...node.storageDisks] },
          thinPoolConfig: { name: 'ztpfw-thin-pool', sizePercent: 90, overprovisionRatio: 10 },
        }],
      },
    },
  }) as Manifest;
}
