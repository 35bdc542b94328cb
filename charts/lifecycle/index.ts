/**
 * Lifecycle family: what a cluster's `STATE` adds beyond the install manifests (which the install family renders
 * per state itself). `detach` → `clusters/<cluster>/detach/`: the hooks that verify the day-2 configuration and save
 * the cluster's credentials before Argo CD prunes the ManagedCluster. The hub side, in `hub/lifecycle/`: the
 * namespace that keeps those credentials.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import type { EdgeCluster, Fleet, FleetConfig } from '../../model/types';
import { controllerGrant, preSyncHook } from '../common/argocd';
import { ZtpChart } from '../common/chart';
import { deliveredBundles, POLICY_NAMESPACE } from '../common/day2';
import { imageFor } from '../common/images';
import { CREDENTIALS_NAMESPACE, CREDENTIALS_RULES, credentialsSecretName, DETACH_FOLDER, DETACH_HOOK, EDGE_SSH_KEYPAIR, isDetached, POLICY_READ_RULES } from '../common/lifecycle';
import { setWave, Wave } from '../common/waves';
import { RESTRICTED_SECURITY_CONTEXT } from '../common/job-container';

/** Hive's names for the Secrets of an installed cluster (ClusterDeployment `spec.clusterMetadata`). */
export function adminKubeconfigSecret(cluster: string): string {
  return `${cluster}-admin-kubeconfig`;
}
export function adminPasswordSecret(cluster: string): string {
  return `${cluster}-admin-password`;
}
/** The factory's SSH key pair of the cluster (key `id_rsa.key`), when it keeps one on the hub (the original's name). */
export function sshKeySecret(cluster: string): string {
  return `${cluster}-keypair`;
}

/** ServiceAccount, Job and Role name of the detach hook in the cluster namespace. */
export const DETACH_JOB = DETACH_HOOK;

function readScript(file: string): string {
  // From the source tree, also when running from build/ (the .sh files are not compiled).
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return fs.readFileSync(path.join(dir, 'charts', 'lifecycle', 'scripts', file), 'utf8');
}

/** The hub namespace of the detached clusters' credentials, in `hub/lifecycle/`. */
export class CredentialsNamespaceChart extends ZtpChart {
  constructor(scope: App, config: FleetConfig) {
    super(scope, 'lifecycle-hub', { outputDir: 'hub/lifecycle' });
    setWave(new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: CREDENTIALS_NAMESPACE, labels: { 'ztpfw.io/role': 'detached-credentials' } },
    }), Wave.NAMESPACE);
    // Argo CD syncs each detached cluster's Roles here (its hook's, and the reader): it holds what they grant.
    if (config.git) controllerGrant(this, 'argocd', { namespace: CREDENTIALS_NAMESPACE, rules: CREDENTIALS_RULES, wave: Wave.NAMESPACE });
  }
}

export interface DetachProps {
  readonly cluster: EdgeCluster;
  readonly config: FleetConfig;
}

/**
 * The detach hooks of one cluster. Everything is a PreSync hook: the Job must run before the sync prunes the
 * ManagedCluster, and a hook can only use objects that exist before the Sync phase.
 */
export class DetachChart extends ZtpChart {
  constructor(scope: App, props: DetachProps) {
    const { cluster, config } = props;
    super(scope, `detach-${cluster.name}`, { outputDir: `clusters/${cluster.name}/${DETACH_FOLDER}` });
    new DetachHook(this, 'hook', { cluster, config });
  }
}

class DetachHook extends Construct {
  constructor(scope: Construct, id: string, props: DetachProps) {
    super(scope, id);
    const { cluster, config } = props;
    const ns = cluster.name;
    const secret = credentialsSecretName(ns);
    const hook = <T extends ApiObject>(obj: T, wave: number): T => {
      preSyncHook(obj);
      setWave(obj, wave);
      return obj;
    };
    const subjects = [{ kind: 'ServiceAccount', name: DETACH_JOB, namespace: ns }];
    const roleRef = (kind: 'Role' | 'ClusterRole', name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

    hook(new k8s.KubeServiceAccount(this, 'sa', { metadata: { name: DETACH_JOB, namespace: ns } }), -1);

    // In the cluster namespace: read exactly the three source Secrets and the cluster's ManifestWorks.
    hook(new k8s.KubeRole(this, 'role', {
      metadata: { name: DETACH_JOB, namespace: ns },
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [adminKubeconfigSecret(ns), adminPasswordSecret(ns), sshKeySecret(ns)] },
        { apiGroups: ['work.open-cluster-management.io'], resources: ['manifestworks'], verbs: ['get', 'list'] },
      ],
    }), -1);
    hook(new k8s.KubeRoleBinding(this, 'binding', { metadata: { name: DETACH_JOB, namespace: ns }, roleRef: roleRef('Role', DETACH_JOB), subjects }), -1);

    // In the credentials namespace: create (RBAC cannot scope create by name) and update only this cluster's Secret.
    const credRole = `${DETACH_JOB}-${ns}`;
    hook(new k8s.KubeRole(this, 'credentials-role', {
      metadata: { name: credRole, namespace: CREDENTIALS_NAMESPACE },
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch'], resourceNames: [secret] },
      ],
    }), -1);
    hook(new k8s.KubeRoleBinding(this, 'credentials-binding', {
      metadata: { name: credRole, namespace: CREDENTIALS_NAMESPACE }, roleRef: roleRef('Role', credRole), subjects,
    }), -1);
    // For people: read this one Secret (bind it to the factory's operators: see "Lifecycle of an edge cluster" in the README).
    hook(new k8s.KubeRole(this, 'reader-role', {
      metadata: { name: `${secret}-reader`, namespace: CREDENTIALS_NAMESPACE },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [secret] }],
    }), -1);

    // The ManagedCluster is cluster-scoped: only this one, read-only.
    hook(new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: credRole },
      rules: [{ apiGroups: ['cluster.open-cluster-management.io'], resources: ['managedclusters'], verbs: ['get'], resourceNames: [ns] }],
    }), -1);
    hook(new k8s.KubeClusterRoleBinding(this, 'cluster-binding', { metadata: { name: credRole }, roleRef: roleRef('ClusterRole', credRole), subjects }), -1);

    if (cluster.day2Delivery === 'policy') {
      hook(new k8s.KubeRole(this, 'policy-role', {
        metadata: { name: `${credRole}-policies`, namespace: POLICY_NAMESPACE },
        rules: [...POLICY_READ_RULES],
      }), -1);
      hook(new k8s.KubeRoleBinding(this, 'policy-binding', {
        metadata: { name: `${credRole}-policies`, namespace: POLICY_NAMESPACE }, roleRef: roleRef('Role', `${credRole}-policies`), subjects,
      }), -1);
    }

    const scripts = `${DETACH_JOB}-scripts`;
    hook(new k8s.KubeConfigMap(this, 'scripts', { metadata: { name: scripts, namespace: ns }, data: { 'detach.sh': readScript('detach.sh') } }), -1);

    const env: Record<string, string> = {
      CLUSTER: ns,
      DELIVERY: cluster.day2Delivery,
      POLICY_NAMESPACE,
      EXPECTED_BUNDLES: expectedBundles(cluster).join(' '),
      CREDENTIALS_NAMESPACE,
      CREDENTIALS_SECRET: secret,
      KUBECONFIG_SECRET: adminKubeconfigSecret(ns),
      PASSWORD_SECRET: adminPasswordSecret(ns),
      SSH_SECRET: sshKeySecret(ns),
      EDGE_SSH_NAMESPACE: EDGE_SSH_KEYPAIR.namespace,
      EDGE_SSH_SECRET: EDGE_SSH_KEYPAIR.name,
      HOME: '/tmp',
    };
    hook(new k8s.KubeJob(this, 'job', {
      metadata: { name: DETACH_JOB, namespace: ns, labels: { 'ztpfw.io/cluster': ns } },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': DETACH_JOB, 'ztpfw.io/cluster': ns } },
          spec: {
            serviceAccountName: DETACH_JOB,
            restartPolicy: 'Never',
            containers: [{
              name: 'detach',
              image: imageFor(config, 'tools'),
              command: ['/bin/bash', '/scripts/detach.sh'],
              env: Object.entries(env).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
              volumeMounts: [
                { name: 'scripts', mountPath: '/scripts', readOnly: true },
                { name: 'secrets', mountPath: '/secrets' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
              resources: { requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') } },
              securityContext: RESTRICTED_SECURITY_CONTEXT,
            }],
            volumes: [
              { name: 'scripts', configMap: { name: scripts, defaultMode: 0o555 } },
              // Credentials pass through memory only.
              { name: 'secrets', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('16Mi') } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    }), 0);
  }
}

/** The day-2 bundles whose delivery the detach hook verifies: the cluster's DAY2_BUNDLES (and GPU from contrib). */
export const expectedBundles: (cluster: EdgeCluster) => string[] = deliveredBundles;

export function lifecycleFamily(app: App, fleet: Fleet): void {
  new CredentialsNamespaceChart(app, fleet.config);
  for (const cluster of fleet.clusters) {
    if (isDetached(cluster.state)) new DetachChart(app, { cluster, config: fleet.config });
  }
}
