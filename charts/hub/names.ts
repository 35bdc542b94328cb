import { HUB_REGISTRY_NAMESPACE } from '../common/registry';
import type { FleetConfig } from '../../model/types';

/** Namespaces of the hub bundle. */
export const HubNamespace = {
  /** Hub Jobs (pre-flight, trust, pull secret, mirror) and their inputs. */
  JOBS: 'ztpfw-hub',
  HTTPD: 'ztpfw-httpd',
  REGISTRY: HUB_REGISTRY_NAMESPACE,
  MCE: 'multicluster-engine',
  ACM: 'open-cluster-management',
  STORAGE: 'openshift-storage',
  CONFIG: 'openshift-config',
} as const;

export { hubRegistry, REGISTRY_CA_CONFIGMAP, REGISTRY_CREDENTIALS_SECRET } from '../common/registry';
export type { HubRegistry, RegistryMode } from '../common/registry';

/** Host name of the RHCOS HTTPD Route. */
export function httpdHost(config: FleetConfig): string {
  return `httpd.${config.hubAppsDomain}`;
}
