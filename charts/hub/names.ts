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

/** ConfigMap in openshift-config holding every registry CA (one key per registry); image.config trusts it. */
export const REGISTRY_CA_CONFIGMAP = 'ztpfw-registry-ca';
/** Secret (username/password) of the registry: generated for the internal one, created by the factory for REGISTRY. */
export const REGISTRY_CREDENTIALS_SECRET = 'registry-credentials';

export type RegistryMode = 'internal' | 'custom';

/** Where the hub mirrors to, and how clients name it. */
export interface HubRegistry {
  readonly mode: RegistryMode;
  /** `host` or `host:port`, as image references and pull secrets name it. */
  readonly address: string;
  readonly host: string;
  /** Key of the registry in the trusted-CA ConfigMap: `host` or `host..port`. */
  readonly caKey: string;
  /** Where its CA comes from at run time. */
  readonly caSource: 'ingress' | 'file' | 'none';
}

export function hubRegistry(config: FleetConfig): HubRegistry {
  if (config.registry) {
    const { host, port, address } = config.registry;
    return {
      mode: 'custom',
      address,
      host,
      caKey: port === undefined ? host : `${host}..${port}`,
      caSource: config.registryCa ? 'file' : 'none',
    };
  }
  const host = `ztpfw-registry.${config.hubAppsDomain}`;
  return { mode: 'internal', address: host, host, caKey: host, caSource: 'ingress' };
}

/** Host name of the RHCOS HTTPD Route. */
export function httpdHost(config: FleetConfig): string {
  return `httpd.${config.hubAppsDomain}`;
}
