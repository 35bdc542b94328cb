import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { jobContainer } from '../common/job-container';
import type { FleetConfig } from '../../model/types';
import type { ImageKey } from '../common/images';
import { setWave } from '../common/waves';
import { syncHook } from '../common/argocd';
import { readScriptFile } from '../common/scripts';
import { readScript } from './scripts';

import type { EdgeJobRule } from '../common/edge-job';

/** One RBAC rule of a Job; without `namespace` it is cluster-wide (ClusterRole). Shared with the edge Jobs. */
export type JobRule = EdgeJobRule;

export interface JobStep {
  /** Container name. */
  readonly name: string;
  readonly image: ImageKey;
  /** File under `scriptsDir`. */
  readonly script: string;
  /** @default charts/hub/scripts (COMMON_SCRIPTS_DIR for a script another family runs too) */
  readonly scriptsDir?: string;
  /** @default - the small requests of a script that calls `oc` */
  readonly requests?: { readonly cpu: string; readonly memory: string };
}

export interface JobVolume {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly configMap?: string;
  readonly claim?: string;
  /** An in-memory emptyDir (for credentials that must never touch a disk). */
  readonly memory?: boolean;
}

export interface HubJobProps {
  readonly config: FleetConfig;
  /** Job, ServiceAccount and RBAC name. */
  readonly name: string;
  readonly namespace: string;
  readonly wave: number;
  /** The main container. */
  readonly main: JobStep;
  /** @default - none */
  readonly init?: readonly JobStep[];
  /** @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Exactly what the scripts call (a test checks both directions). @default - no API access */
  readonly rules?: readonly JobRule[];
  /** @default - only the scripts and a scratch folder */
  readonly volumes?: readonly JobVolume[];
  /** @default 1800 */
  readonly deadlineSeconds?: number;
  /** @default 3 */
  readonly backoffLimit?: number;
  /** @default - none */
  readonly affinity?: k8s.Affinity;
}

/**
 * An idempotent Job with its own ServiceAccount and least-privilege RBAC, its scripts in a ConfigMap next to it,
 * and images from the image table. Runs as a Sync hook in its wave, so a fresh hub waits for it and a re-sync re-runs it.
 */
export class HubJob extends Construct {
  public readonly name: string;
  public readonly job: k8s.KubeJob;
  public readonly scriptsConfigMap: string;

  constructor(scope: Construct, id: string, props: HubJobProps) {
    super(scope, id);
    const { name, namespace } = props;
    this.name = name;
    this.scriptsConfigMap = `${name}-scripts`;
    const rules = props.rules ?? [];
    const steps = [...(props.init ?? []), props.main];

    const sa = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace },
      automountServiceAccountToken: rules.length > 0,
    });
    setWave(sa, props.wave - 1);

    const byNamespace = new Map<string, JobRule[]>();
    for (const r of rules) {
      const key = r.namespace ?? '';
      byNamespace.set(key, [...(byNamespace.get(key) ?? []), r]);
    }
    for (const [ns, nsRules] of [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const policy = nsRules.map((r) => ({
        apiGroups: [r.apiGroup],
        resources: [...r.resources],
        verbs: [...r.verbs],
        ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      }));
      const subjects = [{ kind: 'ServiceAccount', name, namespace }];
      if (ns === '') {
        const roleName = `ztpfw-${name}`;
        setWave(new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: roleName }, rules: policy }), props.wave - 1);
        setWave(new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
          metadata: { name: roleName },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
          subjects,
        }), props.wave - 1);
      } else {
        const roleName = ns === namespace ? name : `${name}-${ns}`;
        setWave(new k8s.KubeRole(this, `Role-${ns}`, { metadata: { name: roleName, namespace: ns }, rules: policy }), props.wave - 1);
        setWave(new k8s.KubeRoleBinding(this, `RoleBinding-${ns}`, {
          metadata: { name: roleName, namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
          subjects,
        }), props.wave - 1);
      }
    }

    const scripts: Record<string, string> = {};
    for (const s of steps) scripts[s.script] = s.scriptsDir ? readScriptFile(s.scriptsDir, s.script) : readScript(s.script);
    setWave(new k8s.KubeConfigMap(this, 'Scripts', { metadata: { name: this.scriptsConfigMap, namespace }, data: scripts }), props.wave - 1);

    const volumes: k8s.Volume[] = [
      { name: 'scripts', configMap: { name: this.scriptsConfigMap, defaultMode: 0o555 } },
      { name: 'tmp', emptyDir: {} },
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'scripts', mountPath: '/scripts', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ];
    for (const v of props.volumes ?? []) {
      if (v.configMap) volumes.push({ name: v.name, configMap: { name: v.configMap } });
      else if (v.claim) volumes.push({ name: v.name, persistentVolumeClaim: { claimName: v.claim } });
      else volumes.push({ name: v.name, emptyDir: v.memory ? { medium: 'Memory' } : {} });
      mounts.push({ name: v.name, mountPath: v.mountPath, ...(v.readOnly ? { readOnly: true } : {}) });
    }
    const env = Object.entries(props.env ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, value]) => ({ name: k, value }));
    const container = (s: JobStep): k8s.Container => jobContainer(props.config, { name: s.name, image: s.image, script: s.script, env, mounts, requests: s.requests });

    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name, namespace },
      spec: {
        backoffLimit: props.backoffLimit ?? 3,
        activeDeadlineSeconds: props.deadlineSeconds ?? 1800,
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'ztpfw-hub' } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: rules.length > 0,
            restartPolicy: 'Never',
            ...(props.affinity ? { affinity: props.affinity } : {}),
            ...(props.init ? { initContainers: props.init.map(container) } : {}),
            containers: [container(props.main)],
            volumes,
          },
        },
      },
    });
    setWave(this.job, props.wave);
    syncHook(this.job);
  }
}
