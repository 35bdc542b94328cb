import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import * as olm from '../../imports/olm';
import type { FleetConfig } from '../../model/types';
import { CATALOGS, MARKETPLACE_NAMESPACE, operatorPackage } from '../common/operators';
import { setWave } from '../common/waves';

/** Labels and annotations of a namespace an operator runs in (as the original set them). */
export function operatorNamespace(scope: Construct, id: string, name: string, wave: number, extraLabels: Record<string, string> = {}): k8s.KubeNamespace {
  const ns = new k8s.KubeNamespace(scope, id, {
    metadata: {
      name,
      labels: { 'openshift.io/cluster-monitoring': 'true', ...extraLabels },
      annotations: { 'workload.openshift.io/allowed': 'management' },
    },
  });
  setWave(ns, wave);
  return ns;
}

export interface OperatorInstallProps {
  readonly config: FleetConfig;
  /** OLM package from the catalogue in charts/common/operators.ts. */
  readonly packageName: string;
  readonly wave: number;
  /**
   * Render the OperatorGroup (only one per namespace; leave it out when something else owns the namespace's group).
   * @default true
   */
  readonly operatorGroup?: boolean;
}

/** OperatorGroup + Subscription of a catalogued package: channel from the config, no startingCSV, automatic approval. */
export class OperatorInstall extends Construct {
  constructor(scope: Construct, id: string, props: OperatorInstallProps) {
    super(scope, id);
    const pkg = operatorPackage(props.packageName);
    if (props.operatorGroup ?? true) {
      const og = new olm.OperatorGroup(this, 'OperatorGroup', {
        metadata: { name: `${pkg.namespace}-operatorgroup`, namespace: pkg.namespace },
        spec: pkg.allNamespaces ? {} : { targetNamespaces: [pkg.namespace] },
      });
      setWave(og, props.wave);
    }
    const sub = new olm.Subscription(this, 'Subscription', {
      metadata: { name: pkg.name, namespace: pkg.namespace },
      spec: {
        name: pkg.name,
        channel: pkg.channel(props.config),
        source: CATALOGS[pkg.catalog].source,
        sourceNamespace: MARKETPLACE_NAMESPACE,
        installPlanApproval: 'Automatic',
      },
    });
    setWave(sub, props.wave);
  }
}
