/**
 * Day-2 NMState bundle of an edge cluster: the Kubernetes NMState operator, its `NMState` instance and one
 * NodeNetworkConfigurationPolicy per node that has network state NMState may own on an installed OVN-Kubernetes
 * node (see `nodePolicy`). Delivered as Policies or ManifestWorks by the common day-2 core.
 */
import { App } from 'cdk8s';
import * as nmstate from '../../imports/nmstate';
import type { EdgeCluster, EdgeNode, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, Manifest, perNodeStages } from '../common/day2';
import { operatorManifests } from '../common/olm-manifests';

export const BUNDLE = 'nmstate';
/** OLM package of the operator (catalogued in charts/common/operators.ts). */
export const OPERATOR_PACKAGE = 'kubernetes-nmstate-operator';
/** The operator only acts on an `NMState` object of this name. */
export const NMSTATE_INSTANCE = 'nmstate';

/** NodeNetworkConfigurationPolicy name of a node (`ztpfw-<c>-<role>-<n>-nncp`, the original's name). */
export function policyName(node: EdgeNode): string {
  return `${node.hostname}-nncp`;
}

/**
 * The interfaces NMState may own on an installed node. OVN-Kubernetes (configure-ovs) enslaves the NIC holding the
 * default route — the external DHCP NIC in both NIC modes — to the `br-ex` OVS bridge and moves its DHCP
 * configuration onto `br-ex`; neither `br-ex` nor the NICs attached to it may be changed through NMState (doing so
 * takes the node off the network). So:
 * - the external NIC and `br-ex` are never declared: DHCP on the external side is what configure-ovs carries over
 *   from the install NMStateConfig at every boot;
 * - dual-NIC: the internal NIC is a secondary NIC, so the policy holds its static internal address (DHCP and IPv6
 *   off), exactly as installed;
 * - single-NIC: the internal address is a second address on `br-ex`, kept there by the install-time NetworkManager
 *   dispatcher (charts/install), not by NMState;
 * - each `ignore_ifaces` NIC is held up with IPv4 and IPv6 off, as at install, so it never takes a DHCP lease or a
 *   default route that would compete with `br-ex`.
 */
export function ownedInterfaces(node: EdgeNode): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (node.intNic) {
    out.push({
      name: node.intNic.name,
      type: 'ethernet',
      state: 'up',
      ipv4: { enabled: true, dhcp: false, address: [{ ip: node.internalIp, 'prefix-length': node.internalPrefix }] },
      ipv6: { enabled: false },
    });
  }
  for (const name of node.ignoreIfaces) {
    out.push({ name, type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } });
  }
  return out;
}

/**
 * The policy of one node, selected by its host name; undefined when NMState has nothing to own there (a single-NIC
 * node without ignored NICs), since a policy with no interfaces would only look like configuration.
 */
export function nodePolicy(node: EdgeNode): Manifest | undefined {
  const interfaces = ownedInterfaces(node);
  if (interfaces.length === 0) return undefined;
  return nmstate.NodeNetworkConfigurationPolicy.manifest({
    metadata: { name: policyName(node), labels: { 'ztpfw.io/node': node.hostname } },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': node.hostname },
      desiredState: { interfaces },
    },
  }) as Manifest;
}

/**
 * The ordered stages of the bundle: operator, then the instance and the node policies (`config`; beyond 100 workers
 * the policies of the further workers in `config-1`, … as `perNodeStages` splits them).
 */
export function nmstateStages(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  const policies = (nodes: readonly EdgeNode[]) => nodes.map(nodePolicy).filter((p): p is Manifest => p !== undefined);
  return [
    { name: 'operator', manifests: operatorManifests(config, OPERATOR_PACKAGE) },
    ...perNodeStages({ name: 'config' }, cluster.nodes.filter((n) => nodePolicy(n) !== undefined), (nodes, part) => [
      ...(part === 0 ? [nmstate.NmState.manifest({ metadata: { name: NMSTATE_INSTANCE } }) as Manifest] : []),
      ...policies(nodes),
    ]),
  ];
}

export class NmstateChart extends ZtpChart {
  constructor(scope: App, config: FleetConfig, cluster: EdgeCluster) {
    super(scope, `${BUNDLE}-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${BUNDLE}` });
    new Day2Bundle(this, 'bundle', { cluster: cluster.name, bundle: BUNDLE, mode: cluster.day2Delivery, stages: nmstateStages(config, cluster) });
  }
}

export function nmstateFamily(app: App, fleet: Fleet): void {
  for (const c of fleet.clusters) {
    if (c.day2Bundles.includes(BUNDLE)) new NmstateChart(app, fleet.config, c);
  }
}
