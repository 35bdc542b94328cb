/**
 * Names the UI reads and writes on the edge cluster. The first group is rendered by this repository's `ui` and
 * `metallb` bundles (charts/ui, charts/metallb: keep them equal); the second is OpenShift's own, with the upstream
 * document each comes from.
 */

// --- rendered by this repository (charts/ui/index.ts, charts/metallb/index.ts)
export const UI_NAMESPACE = 'ztpfw-ui';
export const UI_ROUTE = 'ztpfw-ui';
export const UI_SERVICE = 'ztpfw-ui';
export const OAUTH_CLIENT = 'ztpfwoauth';
/** Host prefix of the UI under the cluster's apps domain (product doc: `https://edge-cluster-setup.apps.<cluster>.<domain>`). */
export const UI_HOST_PREFIX = 'edge-cluster-setup';
export const METALLB_NAMESPACE = 'metallb';
export const POOL_ANNOTATION = 'metallb.universe.tf/address-pool';
export const ANNOUNCE_INTERFACE = 'br-ex';

export interface Endpoint {
  readonly key: 'api' | 'ingress';
  readonly label: string;
  readonly pool: string;
  readonly service: string;
  readonly serviceNamespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name: string; readonly port: number }[];
}

export const API_ENDPOINT: Endpoint = {
  key: 'api',
  label: 'API address',
  pool: 'api-public-ip',
  service: 'metallb-api',
  serviceNamespace: 'openshift-kube-apiserver',
  selector: { app: 'openshift-kube-apiserver' },
  ports: [{ name: 'https', port: 6443 }],
};
export const INGRESS_ENDPOINT: Endpoint = {
  key: 'ingress',
  label: 'Ingress address',
  pool: 'ingress-public-ip',
  service: 'metallb-ingress',
  serviceNamespace: 'openshift-ingress',
  selector: { 'ingresscontroller.operator.openshift.io/deployment-ingresscontroller': 'default' },
  ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }],
};
export const ENDPOINTS = [API_ENDPOINT, INGRESS_ENDPOINT] as const;

// --- written by this UI
/** Identity provider name of the product doc and the original UI (`IDENTITY_PROVIDER_NAME`). */
export const IDP_NAME = 'ztpfw-htpasswd-idp';
/** One htpasswd Secret (the original made a new `ztpfw-htpasswd-secret-*` per run, which is not idempotent). */
export const HTPASSWD_SECRET = 'ztpfw-htpasswd-secret';
export const CLUSTER_ADMIN_BINDING_PREFIX = 'ztpfw-cluster-admin-';
/** Certificates of a new domain, in openshift-config (where APIServer namedCertificates and componentRoutes read them). */
export const API_CERT_SECRET = 'ztpfw-api-cert';
export const INGRESS_CERT_SECRET = 'ztpfw-ingress-cert';
/** A second Route for the UI under the new domain; the rendered Route keeps the old host working meanwhile. */
export const UI_DOMAIN_ROUTE = 'ztpfw-ui-domain';
/** CA certificates of a new domain's ingress certificate, mounted into the UI so it trusts the new OAuth host. */
export const TRUST_CONFIGMAP = 'ztpfw-ui-trust';
/** Records the finished setup (the wizard is shown until it exists). */
export const SETUP_CONFIGMAP = 'ztpfw-ui-setup';
export const FIELD_MANAGER = 'ztpfw-ui';

// --- OpenShift's own
/** Secrets of identity providers and of custom certificates live here (OpenShift docs, "Configuring an htpasswd identity provider", "Adding API server certificates"). */
export const OPENSHIFT_CONFIG = 'openshift-config';
/** `oc delete secrets kubeadmin -n kube-system` (OpenShift docs, "Removing the kubeadmin user"). */
export const KUBEADMIN = { namespace: 'kube-system', name: 'kubeadmin' } as const;
/** The private key the factory leaves for the customer (original finish-deployment/deploy.sh: keys id_rsa.key, id_rsa.pub). */
export const SSH_KEYPAIR = { namespace: 'default', name: 'cluster-ssh-keypair', privateKey: 'id_rsa.key', publicKey: 'id_rsa.pub' } as const;
/**
 * Routes of the ingress config's `componentRoutes` a cluster admin may re-host (OpenShift docs, "Customizing the
 * console route" and "Customizing the OAuth server URL"; the original UI re-hosted console and oauth-openshift).
 */
export const COMPONENT_ROUTES = [
  { name: 'console', namespace: 'openshift-console', prefix: 'console-openshift-console' },
  { name: 'downloads', namespace: 'openshift-console', prefix: 'downloads-openshift-console' },
  { name: 'oauth-openshift', namespace: 'openshift-authentication', prefix: 'oauth-openshift' },
] as const;
/**
 * ClusterOperators a change here makes roll out, and the page waits for: a new identity provider restarts the OAuth
 * server (authentication); a named certificate and component routes roll out the API servers, the OAuth server and
 * the console. (A new API or ingress address only changes MetalLB's announcement: the page waits for the Services'
 * assigned addresses instead of operators.)
 */
export const OPERATORS_AFTER = {
  identity: ['authentication'],
  domain: ['kube-apiserver', 'authentication', 'console'],
} as const;
