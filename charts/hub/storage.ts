import { Construct } from 'constructs';
import * as lvms from '../../imports/lvms';
import type { FleetConfig } from '../../model/types';
import { DEFAULTS } from '../../model/defaults';
import { HubWave, setWave } from '../common/waves';
import { keepOnAppDeletion, skipDryRun } from '../common/argocd';
import { HubNamespace } from './names';
import { OperatorInstall, operatorNamespace } from './olm';

export interface HubStorageProps {
  readonly config: FleetConfig;
}

/**
 * LVMS on the hub, for lab/factory hubs without a storage backend: every free disk of the hub nodes goes into the
 * thin-provisioned device class `vg1`, whose StorageClass becomes the default so the hub PVCs bind.
 */
export class HubStorage extends Construct {
  constructor(scope: Construct, id: string, props: HubStorageProps) {
    super(scope, id);
    const privileged = {
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/warn': 'privileged',
    };
    operatorNamespace(this, 'Namespace', HubNamespace.STORAGE, HubWave.NAMESPACE, privileged);
    new OperatorInstall(this, 'Operator', { config: props.config, packageName: 'lvms-operator', wave: HubWave.STORAGE_OPERATOR });
    const deviceClass = DEFAULTS.HUB_LVMS_STORAGE_CLASS.replace(/^lvms-/, '');
    const cluster = new lvms.LvmCluster(this, 'Resource', {
      metadata: { name: 'lvmcluster', namespace: HubNamespace.STORAGE },
      spec: {
        storage: {
          deviceClasses: [{
            name: deviceClass,
            default: true,
            fstype: lvms.LvmClusterSpecStorageDeviceClassesFstype.XFS,
            thinPoolConfig: { name: 'ztpfw-thin-pool', sizePercent: 90, overprovisionRatio: 10 },
          }],
        },
      },
    });
    setWave(cluster, HubWave.STORAGE);
    skipDryRun(cluster);
    // Its volume group holds every hub PVC.
    keepOnAppDeletion(cluster);
  }
}
