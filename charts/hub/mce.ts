import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as mce from '../../imports/mce';
import type { FleetConfig } from '../../model/types';
import { HubWave, setWave } from '../common/waves';
import { keepOnAppDeletion, skipDryRun } from '../common/argocd';
import { HubNamespace } from './names';
import { OperatorInstall, operatorNamespace } from './olm';

export interface MulticlusterProps {
  readonly config: FleetConfig;
}

/**
 * MCE (Assisted Service, Hive, BMAC), or ACM on top of it when ACM_ENABLED. With ACM, the MultiClusterHub installs
 * and owns MCE (Subscription, OperatorGroup, MultiClusterEngine), so we only pre-create MCE's namespace.
 * Channels: MCE `stable-<MCE_CHANNEL or the MCE paired with OC_ACM_VERSION>`, ACM `release-<OC_ACM_VERSION>`.
 */
export class Multicluster extends Construct {
  constructor(scope: Construct, id: string, props: MulticlusterProps) {
    super(scope, id);
    const { config } = props;
    operatorNamespace(this, 'MceNamespace', HubNamespace.MCE, HubWave.NAMESPACE);
    if (!config.acmEnabled) {
      new OperatorInstall(this, 'MceOperator', { config, packageName: 'multicluster-engine', wave: HubWave.MCE_OPERATOR });
      const engine = new mce.MultiClusterEngine(this, 'Engine', {
        metadata: { name: 'multiclusterengine' },
        spec: { targetNamespace: HubNamespace.MCE },
      });
      setWave(engine, HubWave.MCE);
      skipDryRun(engine);
      keepOnAppDeletion(engine);
      return;
    }
    operatorNamespace(this, 'AcmNamespace', HubNamespace.ACM, HubWave.NAMESPACE);
    new OperatorInstall(this, 'AcmOperator', { config, packageName: 'advanced-cluster-management', wave: HubWave.MCE_OPERATOR });
    // No pinned CRD for MultiClusterHub: a plain ApiObject.
    const hub = new ApiObject(this, 'Hub', {
      apiVersion: 'operator.open-cluster-management.io/v1',
      kind: 'MultiClusterHub',
      metadata: { name: 'multiclusterhub', namespace: HubNamespace.ACM },
      spec: {},
    });
    setWave(hub, HubWave.MCE);
    skipDryRun(hub);
    keepOnAppDeletion(hub);
  }
}
