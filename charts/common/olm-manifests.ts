/**
 * Operator installs as plain manifests, for the day-2 bundles that deliver them to edge clusters (Policies and
 * ManifestWorks carry manifests, not constructs). Package, channel, namespace and catalog come from the one
 * catalogue in operators.ts, which the hub mirror set also reads.
 */
import * as k8s from '../../imports/k8s';
import * as olm from '../../imports/olm';
import type { EdgeCluster, FleetConfig } from '../../model/types';
import type { Manifest } from './day2';
import { CATALOGS, MARKETPLACE_NAMESPACE, operatorPackage } from './operators';

export interface OperatorManifestsOptions {
  /**
   * Also render the namespace (skip it when another bundle in the same stage already renders it: one Namespace
   * object per namespace).
   * @default true
   */
  readonly namespace?: boolean;
  /** Extra namespace labels (e.g. pod-security labels for storage). @default - none */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** Render the OperatorGroup (one per namespace). @default true */
  readonly operatorGroup?: boolean;
  /** The edge cluster, for packages whose channel the cluster's input chooses. @default - the fleet channel */
  readonly cluster?: Pick<EdgeCluster, 'contrib'>;
}

/** Namespace (+ monitoring label, management annotation), OperatorGroup and Subscription of a catalogued package. */
export function operatorManifests(config: FleetConfig, packageName: string, options: OperatorManifestsOptions = {}): Manifest[] {
  const pkg = operatorPackage(packageName);
  const out: Manifest[] = [];
  if (options.namespace ?? true) {
    out.push(k8s.KubeNamespace.manifest({
      metadata: {
        name: pkg.namespace,
        labels: { 'openshift.io/cluster-monitoring': 'true', ...options.namespaceLabels },
        annotations: { 'workload.openshift.io/allowed': 'management' },
      },
    }) as Manifest);
  }
  if (options.operatorGroup ?? true) {
    out.push(olm.OperatorGroup.manifest({
      metadata: { name: `${pkg.namespace}-operatorgroup`, namespace: pkg.namespace },
      spec: pkg.allNamespaces ? {} : { targetNamespaces: [pkg.namespace] },
    }) as Manifest);
  }
  out.push(olm.Subscription.manifest({
    metadata: { name: pkg.name, namespace: pkg.namespace },
    spec: {
      name: pkg.name,
      channel: pkg.clusterChannel && options.cluster ? pkg.clusterChannel(options.cluster) : pkg.channel(config),
      source: CATALOGS[pkg.catalog].source,
      sourceNamespace: MARKETPLACE_NAMESPACE,
      installPlanApproval: 'Automatic',
    },
  }) as Manifest);
  return out;
}
