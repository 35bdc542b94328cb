/**
 * The hub mirror's credentials in a cluster's pull secret. A disconnected fleet's edge pulls everything from the hub
 * mirror, whose htpasswd password is generated in the hub (`ztpfw-registry/registry-credentials`) and so cannot be
 * in the user's pull secret file. Before the InfraEnv and ClusterDeployment of the cluster exist (a lower sync wave),
 * a Job merges an `auths` entry for the mirror into `<cluster>/assisted-deployment-pull-secret`. The Assisted Service
 * puts that Secret into the discovery ISO and into the installed cluster's global pull secret, so the discovery
 * agent, the installation, every day-2 pull and the edge mirror Job authenticate to the mirror. No secret is in git.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import type { EdgeCluster, FleetConfig } from '../../model/types';
import { syncHook } from '../common/argocd';
import { jobContainer } from '../common/job-container';
import { HUB_REGISTRY_NAMESPACE, hubRegistry, MIRROR_CREDENTIALS_READ_RULES } from '../common/registry';
import { COMMON_SCRIPTS_DIR, MERGE_PULL_SECRET_SCRIPT, readScriptFile } from '../common/scripts';
import { setWave, Wave } from '../common/waves';

export const MIRROR_PULL_SECRET_JOB = 'mirror-pull-secret';

export interface MirrorPullSecretProps {
  readonly cluster: EdgeCluster;
  readonly config: FleetConfig;
}

/** ServiceAccount and RBAC (wave 0), the script, and the Job as a Sync hook in the wave before the install CRs. */
export class MirrorPullSecret extends Construct {
  constructor(scope: Construct, id: string, props: MirrorPullSecretProps) {
    super(scope, id);
    const { cluster, config } = props;
    const name = MIRROR_PULL_SECRET_JOB;
    const ns = cluster.name;
    const rbacWave = Wave.NAMESPACE;
    const subjects = [{ kind: 'ServiceAccount', name, namespace: ns }];

    setWave(new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace: ns } }), rbacWave);
    // Its own cluster's pull secret only, and the registry credentials by name: nothing else of the hub.
    const grants: [string, string, k8s.PolicyRule[]][] = [
      [ns, name, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch'], resourceNames: [cluster.pullSecretName] }]],
      [HUB_REGISTRY_NAMESPACE, `ztpfw-${name}-${ns}`, [...MIRROR_CREDENTIALS_READ_RULES]],
    ];
    for (const [roleNs, roleName, rules] of grants) {
      setWave(new k8s.KubeRole(this, `Role-${roleNs}`, { metadata: { name: roleName, namespace: roleNs }, rules }), rbacWave);
      setWave(new k8s.KubeRoleBinding(this, `RoleBinding-${roleNs}`, {
        metadata: { name: roleName, namespace: roleNs },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects,
      }), rbacWave);
    }
    const scripts = `${name}-scripts`;
    setWave(new k8s.KubeConfigMap(this, 'Scripts', {
      metadata: { name: scripts, namespace: ns },
      data: { [MERGE_PULL_SECRET_SCRIPT]: readScriptFile(COMMON_SCRIPTS_DIR, MERGE_PULL_SECRET_SCRIPT) },
    }), rbacWave);

    const env = [
      { name: 'SECRET_NAMESPACE', value: ns },
      { name: 'SECRET_NAME', value: cluster.pullSecretName },
      { name: 'REGISTRY_AUTH_KEY', value: hubRegistry(config).address },
      // The pull secret is created out of band (`ztpfw secrets`): wait up to 10 minutes for it.
      { name: 'WAIT_ATTEMPTS', value: '60' },
      { name: 'WAIT_SECONDS', value: '10' },
      { name: 'MISSING_HINT', value: `create it with: ztpfw secrets --cluster ${ns} --pull-secret FILE --apply` },
    ];
    const mounts = [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }];
    const job: ApiObject = new k8s.KubeJob(this, 'Job', {
      metadata: { name, namespace: ns },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 1800,
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'ztpfw-install' } },
          spec: {
            serviceAccountName: name,
            restartPolicy: 'Never',
            containers: [jobContainer(config, { name: 'merge', image: 'tools', script: MERGE_PULL_SECRET_SCRIPT, env, mounts })],
            volumes: [
              { name: 'scripts', configMap: { name: scripts, defaultMode: 0o555 } },
              // The credentials pass through /tmp: memory only, never the node's disk.
              { name: 'tmp', emptyDir: { medium: 'Memory' } },
            ],
          },
        },
      },
    });
    setWave(job, Wave.CONFIG);
    syncHook(job);
  }
}
