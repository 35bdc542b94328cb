import type { FleetConfig } from '../../model/types';

/** Namespaces of the hub bundle. */
export const HubNamespace = {
  /** Hub Jobs (pre-flight, trust, pull secret, mirror) and their inputs. */
  JOBS: 'ztpfw-hub',
  HTTPD: 'ztpfw-httpd',
  REGISTRY: 'ztpfw-registry',
  MCE: 'multicluster-engine',
  ACM: 'open-cluster-management',
  STORAGE: 'openshift-storage',
  CONFIG: 'openshift-config',
} as const;

/** Secret (username/password) of the registry: generated for the internal one, created by the factory for REGISTRY. */
export const REGISTRY_CREDENTIALS_SECRET = 'registry-credentials';

export { hubRegistry, REGISTRY_CA_CONFIGMAP } from '../common/registry';
export type { HubRegistry, RegistryMode } from '../common/registry';

/** Host name of the RHCOS HTTPD Route. */
export function httpdHost(config: FleetConfig): string {
  return `httpd.${config.hubAppsDomain}`;
}
