/**
 * The extra install manifests of a cluster (AgentClusterInstall `manifestsConfigMapRef`): one ConfigMap key per
 * file, each file a YAML document built as data.
 */
import * as YAML from 'yaml';
import type { EdgeCluster } from '../../model/types';

/** File name of the Network operator manifest (sorts after the installer's own cluster-network-02-config.yml). */
export const NETWORK_MANIFEST = 'cluster-network-03-config.yml';

/**
 * OVN-Kubernetes in local gateway mode (`routingViaHost`): egress leaves through the host's routing table, which
 * holds both the internal network and the factory/customer network. The original patched this live after MetalLB
 * was up; as an install manifest it is in place from the first boot and needs no access to the edge cluster.
 */
export function networkOperatorConfig(): Record<string, unknown> {
  return {
    apiVersion: 'operator.openshift.io/v1',
    kind: 'Network',
    metadata: { name: 'cluster' },
    spec: { defaultNetwork: { type: 'OVNKubernetes', ovnKubernetesConfig: { gatewayConfig: { routingViaHost: true } } } },
  };
}

export function extraManifests(_cluster: EdgeCluster): Record<string, string> {
  return { [NETWORK_MANIFEST]: YAML.stringify(networkOperatorConfig()) };
}
