/**
 * The edge-cluster-setup UI bundle (§3.5 of the original): namespace, Deployment of our own UI (ui/, image from the
 * image table), Service with a serving certificate, reencrypt Route, OAuthClient and the one permission the UI's
 * ServiceAccount has: creating TokenReviews (everything else the UI does runs with the logged-in user's token). The OAuth client secret is generated in
 * the cluster by a Job; the rendered OAuthClient carries none, and neither delivery mode takes the field back:
 * policies use `musthave` (only the rendered fields are compared) and ManifestWorks apply the OAuthClient
 * server-side (the work agent owns only the fields it renders; the Job's patch owns `secret`).
 */
import { App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as path from 'node:path';
import * as route from '../../imports/route';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { Day2Bundle, Day2Stage, Manifest } from '../common/day2';
import { edgeJobManifests } from '../common/edge-job';
import { imageFor } from '../common/images';
import { edgeAppsDomain } from '../common/registry';
import { RESTRICTED_SECURITY_CONTEXT } from '../common/job-container';

export const BUNDLE = 'ui';
export const UI_NAMESPACE = 'ztpfw-ui';
export const UI_NAME = 'ztpfw-ui';
/** The OAuthClient name the UI image expects (`OAUTH2_CLIENT_ID`). */
export const OAUTH_CLIENT = 'ztpfwoauth';
/** Secret the Job generates and the Deployment reads. */
export const OAUTH_SECRET = 'ztpfw-ui-oauth';
export const OAUTH_SECRET_KEY = 'client-secret';
/** Serving certificate the service CA writes for the Service. */
export const TLS_SECRET = 'ztpfw-ui-tls';
/**
 * CA certificates of a new domain's ingress certificate: written by the UI itself when the site changes the domain
 * (ui/src/server/names.ts TRUST_CONFIGMAP), mounted optional so the UI trusts the OAuth server under its new name.
 * Not rendered: the delivery would take the UI's content back.
 */
export const TRUST_CONFIGMAP = 'ztpfw-ui-trust';
export const TOKENREVIEW_ROLE = 'ztpfw-ui-tokenreview';
const SCRIPTS_DIR = path.join('charts', 'ui', 'scripts');
const PORT = 3000;

/** `edge-cluster-setup.apps.<cluster>.<baseDomain>`. */
export function uiHost(config: FleetConfig, cluster: Pick<EdgeCluster, 'name'>): string {
  return `edge-cluster-setup.${edgeAppsDomain(config, cluster)}`;
}

export function uiStages(config: FleetConfig, cluster: EdgeCluster): Day2Stage[] {
  const ns = UI_NAMESPACE;
  const labels = { app: UI_NAME };
  const frontend = `https://${uiHost(config, cluster)}`;
  const namespace = k8s.KubeNamespace.manifest({ metadata: { name: ns, labels } }) as Manifest;
  // Cluster-scoped; no static secret: the Job patches one in (public OAuth clients may omit it).
  const client: Manifest = {
    apiVersion: 'oauth.openshift.io/v1',
    kind: 'OAuthClient',
    metadata: { name: OAUTH_CLIENT, labels },
    grantMethod: 'auto',
    redirectURIs: [`${frontend}/login/callback`],
  };
  const job = edgeJobManifests({
    config,
    name: 'ui-oauth-secret',
    namespace: ns,
    scriptsDir: SCRIPTS_DIR,
    script: 'ui-oauth-secret.sh',
    partOf: 'ztpfw-ui',
    env: { NAMESPACE: ns, SECRET_NAME: OAUTH_SECRET, SECRET_KEY: OAUTH_SECRET_KEY, CLIENT_NAME: OAUTH_CLIENT },
    deadlineSeconds: 600,
    backoffLimit: 4,
    rules: [
      { namespace: ns, apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: [OAUTH_SECRET] },
      { namespace: ns, apiGroup: '', resources: ['secrets'], verbs: ['create'] },
      { apiGroup: 'oauth.openshift.io', resources: ['oauthclients'], verbs: ['patch'], resourceNames: [OAUTH_CLIENT] },
    ],
  });

  // The token is mounted because the UI needs it for exactly one call: the TokenReview of a user's login.
  const sa = k8s.KubeServiceAccount.manifest({ metadata: { name: UI_NAME, namespace: ns, labels }, automountServiceAccountToken: true }) as Manifest;
  const tokenReviewRole = k8s.KubeClusterRole.manifest({
    metadata: { name: TOKENREVIEW_ROLE, labels },
    rules: [{ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] }],
  }) as Manifest;
  const tokenReviewBinding = k8s.KubeClusterRoleBinding.manifest({
    metadata: { name: TOKENREVIEW_ROLE, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: TOKENREVIEW_ROLE },
    subjects: [{ kind: 'ServiceAccount', name: UI_NAME, namespace: ns }],
  }) as Manifest;
  const probe = (p: string) => ({
    httpGet: { path: p, port: k8s.IntOrString.fromString('ui'), scheme: 'HTTPS' },
    periodSeconds: 10,
    timeoutSeconds: 1,
    failureThreshold: 3,
  });
  const deployment = k8s.KubeDeployment.manifest({
    metadata: { name: UI_NAME, namespace: ns, labels },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: UI_NAME,
          terminationGracePeriodSeconds: 15,
          containers: [{
            name: 'ui',
            image: imageFor(config, 'ui'),
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'ui', containerPort: PORT, protocol: 'TCP' }],
            // The settings ui/src/server/config.ts reads.
            env: [
              { name: 'PORT', value: String(PORT) },
              { name: 'FRONTEND_URL', value: frontend },
              { name: 'OAUTH2_CLIENT_ID', value: OAUTH_CLIENT },
              { name: 'OAUTH2_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: OAUTH_SECRET, key: OAUTH_SECRET_KEY } } },
              { name: 'INTERNAL_NETWORK', value: cluster.internalNetwork },
              { name: 'TLS_CERT_DIR', value: '/app/certs' },
              { name: 'TRUST_BUNDLE_FILE', value: '/etc/ztpfw-ui/trust/ca-bundle.crt' },
            ],
            volumeMounts: [
              { name: 'certs', mountPath: '/app/certs', readOnly: true },
              { name: 'trust', mountPath: '/etc/ztpfw-ui/trust', readOnly: true },
            ],
            livenessProbe: { ...probe('/healthz'), initialDelaySeconds: 10 },
            readinessProbe: probe('/readyz'),
            resources: {
              requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('96Mi') },
              limits: { memory: k8s.Quantity.fromString('384Mi') },
            },
            // The server writes nothing to disk (certificates are generated in memory).
            securityContext: { ...RESTRICTED_SECURITY_CONTEXT, readOnlyRootFilesystem: true },
          }],
          volumes: [
            { name: 'certs', secret: { secretName: TLS_SECRET } },
            { name: 'trust', configMap: { name: TRUST_CONFIGMAP, optional: true } },
          ],
        },
      },
    },
  }) as Manifest;
  const service = k8s.KubeService.manifest({
    metadata: { name: UI_NAME, namespace: ns, labels, annotations: { 'service.beta.openshift.io/serving-cert-secret-name': TLS_SECRET } },
    spec: {
      type: 'ClusterIP',
      selector: labels,
      ports: [{ name: 'https', port: 443, targetPort: k8s.IntOrString.fromString('ui'), protocol: 'TCP' }],
    },
  }) as Manifest;
  const rt = route.Route.manifest({
    metadata: { name: UI_NAME, namespace: ns, labels },
    spec: {
      host: uiHost(config, cluster),
      to: { kind: route.RouteSpecToKind.SERVICE, name: UI_NAME, weight: 100 },
      port: { targetPort: 'https' },
      tls: {
        termination: route.RouteSpecTlsTermination.REENCRYPT,
        insecureEdgeTerminationPolicy: route.RouteSpecTlsInsecureEdgeTerminationPolicy.REDIRECT,
      },
      wildcardPolicy: route.RouteSpecWildcardPolicy.NONE,
    },
  }) as Manifest;

  return [
    { name: 'oauth', manifests: [namespace, client, ...job], feedbackKinds: ['Job'], serverSideApplyKinds: ['OAuthClient'] },
    { name: 'app', manifests: [sa, tokenReviewRole, tokenReviewBinding, service, deployment, rt], feedbackKinds: ['Deployment'] },
  ];
}

export class UiChart extends ZtpChart {
  constructor(scope: App, fleet: Fleet, cluster: EdgeCluster) {
    super(scope, `ui-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${BUNDLE}` });
    new Day2Bundle(this, 'bundle', { cluster: cluster.name, bundle: BUNDLE, mode: cluster.day2Delivery, stages: uiStages(fleet.config, cluster) });
  }
}

export function uiFamily(app: App, fleet: Fleet): void {
  for (const c of fleet.clusters) if (c.day2Bundles.includes('ui')) new UiChart(app, fleet, c);
}
