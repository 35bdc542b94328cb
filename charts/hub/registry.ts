import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import * as route from '../../imports/route';
import type { FleetConfig } from '../../model/types';
import { imageFor } from '../common/images';
import { HubWave, setWave } from '../common/waves';
import { HubJob } from './job';
import { controllerGrant, keepOnAppDeletion } from '../common/argocd';
import { MIRROR_CREDENTIALS_READ_RULES } from '../common/registry';
import { HubNamespace, HubRegistry, REGISTRY_CREDENTIALS_SECRET } from './names';
import { RESTRICTED_SECURITY_CONTEXT } from '../common/job-container';

export interface HubRegistryProps {
  readonly config: FleetConfig;
  readonly registry: HubRegistry;
  /** @default '400Gi' (the original's size: a release plus the fleet's operators) */
  readonly size?: string;
}

const PORT = 5000;
const TLS_SECRET = 'ztpfw-registry-tls';
const AUTH_SECRET = 'registry-auth';

/**
 * The registry the hub mirrors into. `internal`: a registry in the hub (TLS from the service CA behind a reencrypt
 * Route, htpasswd credentials generated in the cluster by a Job). `custom` (REGISTRY): only a front — the namespace,
 * an ExternalName Service and the `ztpfw-config` ConfigMap naming it; the factory provides the credentials Secret.
 */
export class HubRegistryStack extends Construct {
  constructor(scope: Construct, id: string, props: HubRegistryProps) {
    super(scope, id);
    const { config, registry } = props;
    const ns = HubNamespace.REGISTRY;
    setWave(new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: ns } }), HubWave.NAMESPACE);
    // Argo CD syncs each cluster's Role that reads the mirror credentials here: it holds what that Role grants.
    if (config.git) controllerGrant(this, 'argocd', { namespace: ns, rules: MIRROR_CREDENTIALS_READ_RULES, wave: HubWave.NAMESPACE });
    // Day-2 bundles and people find the registry here.
    setWave(new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: 'ztpfw-config', namespace: ns },
      data: { uri: registry.address, mode: registry.mode },
    }), HubWave.CONFIG);

    if (registry.mode === 'custom') {
      setWave(new k8s.KubeService(this, 'External', {
        metadata: { name: 'external-registry', namespace: ns },
        spec: { type: 'ExternalName', externalName: registry.host },
      }), HubWave.SERVICES);
      return;
    }

    const labels = { app: 'ztpfw-registry' };
    new HubJob(this, 'Credentials', {
      config,
      name: 'registry-credentials',
      namespace: ns,
      wave: HubWave.CREDENTIALS,
      init: [{ name: 'generate', image: 'httpd', script: 'registry-htpasswd.sh' }],
      main: { name: 'store', image: 'tools', script: 'registry-credentials.sh' },
      env: { REGISTRY_USER: 'ztpfw' },
      volumes: [{ name: 'credentials', mountPath: '/credentials', memory: true }],
      deadlineSeconds: 600,
      rules: [
        { namespace: ns, apiGroup: '', resources: ['secrets'], verbs: ['get', 'patch'], resourceNames: [AUTH_SECRET, REGISTRY_CREDENTIALS_SECRET] },
        { namespace: ns, apiGroup: '', resources: ['secrets'], verbs: ['create'] },
      ],
    });

    // The mirror (hours of oc-mirror) outlives the Application that created its claim.
    const data = new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { name: 'registry-data', namespace: ns },
      spec: {
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        ...(config.hubStorageClass ? { storageClassName: config.hubStorageClass } : {}),
        resources: { requests: { storage: k8s.Quantity.fromString(props.size ?? '400Gi') } },
      },
    });
    setWave(data, HubWave.SERVICES);
    keepOnAppDeletion(data);

    const env = (name: string, value: string) => ({ name, value });
    setWave(new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: 'ztpfw-registry', namespace: ns, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            // Serves images only and never calls the API: no token in the pod.
            automountServiceAccountToken: false,
            containers: [{
              name: 'registry',
              image: imageFor(config, 'registry'),
              ports: [{ name: 'registry', containerPort: PORT, protocol: 'TCP' }],
              env: [
                env('REGISTRY_HTTP_ADDR', `:${PORT}`),
                env('REGISTRY_HTTP_TLS_CERTIFICATE', '/certs/tls.crt'),
                env('REGISTRY_HTTP_TLS_KEY', '/certs/tls.key'),
                env('REGISTRY_AUTH', 'htpasswd'),
                env('REGISTRY_AUTH_HTPASSWD_REALM', 'ztpfw-registry'),
                env('REGISTRY_AUTH_HTPASSWD_PATH', '/auth/htpasswd'),
                env('REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', '/var/lib/registry'),
                env('REGISTRY_STORAGE_DELETE_ENABLED', 'true'),
                { name: 'REGISTRY_HTTP_SECRET', valueFrom: { secretKeyRef: { name: AUTH_SECRET, key: 'http-secret' } } },
              ],
              volumeMounts: [
                { name: 'data', mountPath: '/var/lib/registry' },
                { name: 'certs', mountPath: '/certs', readOnly: true },
                { name: 'auth', mountPath: '/auth', readOnly: true },
              ],
              readinessProbe: {
                httpGet: { path: '/', port: k8s.IntOrString.fromNumber(PORT), scheme: 'HTTPS' },
                periodSeconds: 10,
              },
              resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') } },
              securityContext: RESTRICTED_SECURITY_CONTEXT,
            }],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: 'registry-data' } },
              { name: 'certs', secret: { secretName: TLS_SECRET } },
              { name: 'auth', secret: { secretName: AUTH_SECRET, items: [{ key: 'htpasswd', path: 'htpasswd' }] } },
            ],
          },
        },
      },
    }), HubWave.SERVICES);

    setWave(new k8s.KubeService(this, 'Service', {
      metadata: {
        name: 'ztpfw-registry',
        namespace: ns,
        labels,
        // The service CA signs the registry's serving certificate; the reencrypt Route trusts it.
        annotations: { 'service.beta.openshift.io/serving-cert-secret-name': TLS_SECRET },
      },
      spec: { selector: labels, ports: [{ name: 'registry', port: 443, targetPort: k8s.IntOrString.fromString('registry'), protocol: 'TCP' }] },
    }), HubWave.SERVICES);

    setWave(new route.Route(this, 'Route', {
      metadata: { name: 'ztpfw-registry', namespace: ns, labels },
      spec: {
        host: registry.host,
        to: { kind: route.RouteSpecToKind.SERVICE, name: 'ztpfw-registry', weight: 100 },
        port: { targetPort: 'registry' },
        tls: { termination: route.RouteSpecTlsTermination.REENCRYPT, insecureEdgeTerminationPolicy: route.RouteSpecTlsInsecureEdgeTerminationPolicy.REDIRECT },
        wildcardPolicy: route.RouteSpecWildcardPolicy.NONE,
      },
    }), HubWave.SERVICES);
  }
}
