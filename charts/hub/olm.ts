import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
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

export { OperatorInstall } from '../common/olm';
