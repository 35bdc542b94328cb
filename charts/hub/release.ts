import { Construct } from 'constructs';
import * as hive from '../../imports/hive';
import { HubWave, setWave } from '../common/waves';
import { skipDryRun } from '../common/argocd';
import type { FleetConfig } from '../../model/types';

export interface ReleaseImageSetProps {
  /** The fleet config: its ClusterImageSet name and release image (by digest when one is given). */
  readonly config: FleetConfig;
}

/**
 * The ClusterImageSet every AgentClusterInstall of the fleet names. Cluster-scoped and shared by all edge clusters,
 * so it lives in the hub bundle rather than in any one cluster's folder.
 */
export class ReleaseImageSet extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ReleaseImageSetProps) {
    super(scope, id);
    this.name = props.config.clusterImageSet;
    const set = new hive.ClusterImageSet(this, 'Resource', {
      metadata: { name: this.name, labels: { 'ztpfw.io/ocp-version': props.config.ocpVersion } },
      spec: { releaseImage: props.config.releaseImage },
    });
    // The hive CRD arrives with MCE in the same sync.
    setWave(set, HubWave.ASSISTED);
    skipDryRun(set);
  }
}
