/**
 * A Job that a day-2 bundle runs on an edge cluster, as plain manifests (Policies and ManifestWorks carry manifests,
 * not constructs): its own ServiceAccount, least-privilege RBAC, its script in a ConfigMap next to it, the image
 * from the image table. Jobs generate what must never be in git (passwords, OAuth secrets) inside the cluster.
 */
import * as k8s from '../../imports/k8s';
import { jobContainer } from './job-container';
import type { FleetConfig } from '../../model/types';
import type { Manifest } from './day2';
import type { ImageKey } from './images';
import { readScriptFile } from './scripts';

/** One RBAC rule of a Job; without `namespace` it is cluster-wide (ClusterRole). */
export interface EdgeJobRule {
  /** @default - cluster-wide */
  readonly namespace?: string;
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** @default - any name */
  readonly resourceNames?: readonly string[];
}

export interface EdgeJobVolume {
  readonly name: string;
  readonly mountPath: string;
  /**
   * ConfigMap in the Job's namespace, mounted read-only.
   * @default - an empty scratch directory on the node's disk (for content too big for the in-memory /tmp)
   */
  readonly configMap?: string;
}

/** A container that runs to completion before the main one, sharing its volumes (e.g. to prepare an auth file). */
export interface EdgeJobInit {
  readonly name: string;
  /** In the Job's scripts folder, shipped in the same ConfigMap. */
  readonly script: string;
  /** @default 'tools' */
  readonly image?: ImageKey;
}

export interface EdgeJobProps {
  readonly config: FleetConfig;
  /** Job, ServiceAccount, RBAC and scripts ConfigMap (`<name>-scripts`) name. */
  readonly name: string;
  readonly namespace: string;
  /** Folder of the script, relative to the repository root (`charts/registry/scripts`). */
  readonly scriptsDir: string;
  readonly script: string;
  /** @default 'tools' */
  readonly image?: ImageKey;
  /** @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Exactly what the script calls (a test checks both directions). @default - no API access */
  readonly rules?: readonly EdgeJobRule[];
  /** @default - none */
  readonly volumes?: readonly EdgeJobVolume[];
  /** @default - none */
  readonly init?: EdgeJobInit;
  /** @default 1800 */
  readonly deadlineSeconds?: number;
  /** @default 3 */
  readonly backoffLimit?: number;
  /** Label `app.kubernetes.io/part-of` of the pod. */
  readonly partOf: string;
}

/** ServiceAccount, Roles/ClusterRole with bindings, scripts ConfigMap and Job. */
export function edgeJobManifests(props: EdgeJobProps): Manifest[] {
  const { name, namespace } = props;
  const rules = props.rules ?? [];
  const out: Manifest[] = [];
  out.push(k8s.KubeServiceAccount.manifest({ metadata: { name, namespace }, automountServiceAccountToken: rules.length > 0 }) as Manifest);

  const byNamespace = new Map<string, EdgeJobRule[]>();
  for (const r of rules) byNamespace.set(r.namespace ?? '', [...(byNamespace.get(r.namespace ?? '') ?? []), r]);
  const subjects = [{ kind: 'ServiceAccount', name, namespace }];
  for (const [ns, nsRules] of [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const policy = nsRules.map((r) => ({
      apiGroups: [r.apiGroup],
      resources: [...r.resources],
      verbs: [...r.verbs],
      ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
    }));
    if (ns === '') {
      const roleName = `ztpfw-${name}`;
      out.push(k8s.KubeClusterRole.manifest({ metadata: { name: roleName }, rules: policy }) as Manifest);
      out.push(k8s.KubeClusterRoleBinding.manifest({
        metadata: { name: roleName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects,
      }) as Manifest);
    } else {
      const roleName = ns === namespace ? name : `ztpfw-${name}`;
      out.push(k8s.KubeRole.manifest({ metadata: { name: roleName, namespace: ns }, rules: policy }) as Manifest);
      out.push(k8s.KubeRoleBinding.manifest({
        metadata: { name: roleName, namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects,
      }) as Manifest);
    }
  }

  const scriptsConfigMap = `${name}-scripts`;
  out.push(k8s.KubeConfigMap.manifest({
    metadata: { name: scriptsConfigMap, namespace },
    data: Object.fromEntries([props.script, ...(props.init ? [props.init.script] : [])].sort().map((f) => [f, readScriptFile(props.scriptsDir, f)])),
  }) as Manifest);

  const volumes: k8s.Volume[] = [
    { name: 'scripts', configMap: { name: scriptsConfigMap, defaultMode: 0o555 } },
    { name: 'tmp', emptyDir: { medium: 'Memory' } },
  ];
  const mounts: k8s.VolumeMount[] = [
    { name: 'scripts', mountPath: '/scripts', readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  for (const v of props.volumes ?? []) {
    volumes.push(v.configMap !== undefined ? { name: v.name, configMap: { name: v.configMap } } : { name: v.name, emptyDir: {} });
    mounts.push({ name: v.name, mountPath: v.mountPath, ...(v.configMap !== undefined ? { readOnly: true } : {}) });
  }
  const env = Object.entries(props.env ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, value]) => ({ name: k, value }));
  const container = (name: string, image: ImageKey, script: string): k8s.Container => jobContainer(props.config, { name, image, script, env, mounts });
  out.push(k8s.KubeJob.manifest({
    metadata: { name, namespace },
    spec: {
      backoffLimit: props.backoffLimit ?? 3,
      activeDeadlineSeconds: props.deadlineSeconds ?? 1800,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': props.partOf } },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: rules.length > 0,
          restartPolicy: 'Never',
          ...(props.init ? { initContainers: [container(props.init.name, props.init.image ?? 'tools', props.init.script)] } : {}),
          containers: [container('main', props.image ?? 'tools', props.script)],
          volumes,
        },
      },
    },
  }) as Manifest);
  return out;
}
