import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { FleetConfig } from '../../model/types';
import { operatorManifests } from './olm-manifests';
import { setWave } from './waves';

export interface OperatorInstallProps {
  readonly config: FleetConfig;
  /** OLM package from the catalogue in operators.ts. */
  readonly packageName: string;
  readonly wave: number;
  /**
   * Render the OperatorGroup (only one per namespace; leave it out when something else owns the namespace's group).
   * @default true
   */
  readonly operatorGroup?: boolean;
}

/**
 * OperatorGroup + Subscription of a catalogued package in a chart (hub, Argo CD bootstrap): the same objects the
 * day-2 bundles deliver as manifests (`operatorManifests`), so a Subscription is shaped in one place only — channel
 * from the config, no startingCSV, automatic approval.
 */
export class OperatorInstall extends Construct {
  constructor(scope: Construct, id: string, props: OperatorInstallProps) {
    super(scope, id);
    const manifests = operatorManifests(props.config, props.packageName, { namespace: false, operatorGroup: props.operatorGroup ?? true });
    for (const m of manifests) setWave(new ApiObject(this, m.kind, m as never), props.wave);
  }
}
