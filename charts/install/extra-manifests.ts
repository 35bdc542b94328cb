/**
 * The extra install manifests of a cluster (AgentClusterInstall `manifestsConfigMapRef`): one ConfigMap key per
 * file, each file a YAML document built as data.
 */
import * as YAML from 'yaml';
import type { EdgeCluster } from '../../model/types';
import { dataUrl } from './ignition';

/** File name of the Network operator manifest (sorts after the installer's own cluster-network-02-config.yml). */
export const NETWORK_MANIFEST = 'cluster-network-03-config.yml';

/** Machine config pools that get the CRI-O drop-in (the reference renders both, also for SNO). */
export const CRIO_WIPE_ROLES = ['master', 'worker'] as const;

/**
 * The telco reference's CRI-O drop-in that keeps the image store after an unclean shutdown: with an empty
 * `clean_shutdown_file` CRI-O never decides the shutdown was unclean, so it never wipes its storage.
 * Source: openshift-kni/cnf-features-deploy `ztp/source-crs/extra-manifest/99-crio-disable-wipe-{master,worker}.yaml`
 * (commit 80ddae468e, built from `ztp/source-crs/extra-manifest-builder/99-crio-disable-wipe/crio-disable-wipe.toml`;
 * the reference now lives in openshift-kni/telco-reference).
 */
export const CRIO_DISABLE_WIPE_PATH = '/etc/crio/crio.conf.d/99-crio-disable-wipe.toml';
export const CRIO_DISABLE_WIPE_TOML = '[crio]\nclean_shutdown_file = ""\n';

/** `99-crio-disable-wipe-<role>`, as the reference names it (its own file name in the extra manifests). */
export function crioDisableWipeName(role: (typeof CRIO_WIPE_ROLES)[number]): string {
  return `99-crio-disable-wipe-${role}`;
}

/** The reference MachineConfig for one pool, field for field. */
export function crioDisableWipe(role: (typeof CRIO_WIPE_ROLES)[number]): Record<string, unknown> {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { labels: { 'machineconfiguration.openshift.io/role': role }, name: crioDisableWipeName(role) },
    spec: {
      config: {
        ignition: { version: '3.2.0' },
        storage: { files: [{ contents: { source: dataUrl(CRIO_DISABLE_WIPE_TOML) }, mode: 0o644, path: CRIO_DISABLE_WIPE_PATH }] },
      },
    },
  };
}

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
  const files: Record<string, string> = { [NETWORK_MANIFEST]: YAML.stringify(networkOperatorConfig()) };
  for (const role of CRIO_WIPE_ROLES) files[`${crioDisableWipeName(role)}.yaml`] = YAML.stringify(crioDisableWipe(role));
  return files;
}
