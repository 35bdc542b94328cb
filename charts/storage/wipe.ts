/**
 * Disk wipe on the edge, before LVMS or LSO/ODF claim the disks: one privileged Job per storage node, pinned to the
 * node, that wipes exactly the disks the fleet lists for that node and records it in a marker ConfigMap, so a
 * re-sync (or a re-created Job) never wipes again. Replaces the original's `wipefs` over SSH.
 */
import * as k8s from '../../imports/k8s';
import type { EdgeCluster, EdgeNode, FleetConfig } from '../../model/types';
import type { Manifest } from '../common/day2';
import { imageFor } from '../common/images';
import { readRepoFile } from '../common/repo-files';
import { storageNodes } from '../common/storage-nodes';

/** Namespace of the wipe Jobs and their marker ConfigMaps (kept apart from the operators' namespaces). */
export const WIPE_NAMESPACE = 'ztpfw-storage-wipe';
/** ServiceAccount, Role and RoleBinding of the wipe Jobs. */
export const WIPE_NAME = 'wipe-disks';
export const WIPE_SCRIPT = 'wipe-disks.sh';
/** Folder of the storage bundle's scripts, relative to the repository root. */
export const STORAGE_SCRIPTS_DIR = 'charts/storage/scripts';
/** Where the Job sees the host's root file system. */
const HOST_ROOT = '/host';

/** Pod-security labels of a namespace whose pods need host access (wipe Jobs, LSO diskmaker, LVMS, Ceph). */
export const PRIVILEGED_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  'pod-security.kubernetes.io/enforce': 'privileged',
  'pod-security.kubernetes.io/audit': 'privileged',
  'pod-security.kubernetes.io/warn': 'privileged',
};

export function wipeJobName(node: EdgeNode): string {
  return `${WIPE_NAME}-${node.key}`;
}

/** The ConfigMap that records a finished wipe of one node. */
export function wipeMarkerName(node: EdgeNode): string {
  return `disks-wiped-${node.key}`;
}

export function readStorageScript(file: string): string {
  return readRepoFile(`${STORAGE_SCRIPTS_DIR}/${file}`);
}

/**
 * What the wipe stage applies: namespace, RBAC and script (`shared`, once per cluster, for every storage node) and
 * one Job per node of `jobNodes` (default: every node that lists storage disks).
 */
export function wipeManifests(cluster: EdgeCluster, config: FleetConfig, jobNodes: readonly EdgeNode[] = storageNodes(cluster), shared = true): Manifest[] {
  const nodes = storageNodes(cluster);
  const ns = WIPE_NAMESPACE;
  const scripts = `${WIPE_NAME}-script`;
  const out: Manifest[] = shared ? wipeSharedManifests(nodes, ns, scripts) : [];
  for (const node of jobNodes) out.push(wipeJob(config, node, ns, scripts));
  return out;
}

function wipeSharedManifests(nodes: readonly EdgeNode[], ns: string, scripts: string): Manifest[] {
  const out: Manifest[] = [];
  out.push(k8s.KubeNamespace.manifest({
    metadata: {
      name: ns,
      labels: {
        ...PRIVILEGED_NAMESPACE_LABELS,
        // the label syncer would lower the levels again: this namespace runs privileged pods on purpose
        'security.openshift.io/scc.podSecurityLabelSync': 'false',
      },
    },
  }) as Manifest);
  out.push(k8s.KubeServiceAccount.manifest({ metadata: { name: WIPE_NAME, namespace: ns } }) as Manifest);
  out.push(k8s.KubeRole.manifest({
    metadata: { name: WIPE_NAME, namespace: ns },
    rules: [
      // the once-only marker: read it by name, create it after the wipe (create cannot be limited to names)
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: nodes.map(wipeMarkerName) },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
      // host root file system and block devices
      { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], verbs: ['use'], resourceNames: ['privileged'] },
    ],
  }) as Manifest);
  out.push(k8s.KubeRoleBinding.manifest({
    metadata: { name: WIPE_NAME, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: WIPE_NAME },
    subjects: [{ kind: 'ServiceAccount', name: WIPE_NAME, namespace: ns }],
  }) as Manifest);
  out.push(k8s.KubeConfigMap.manifest({
    metadata: { name: scripts, namespace: ns },
    data: { [WIPE_SCRIPT]: readStorageScript(WIPE_SCRIPT) },
  }) as Manifest);
  return out;
}

function wipeJob(config: FleetConfig, node: EdgeNode, ns: string, scripts: string): Manifest {
  return k8s.KubeJob.manifest({
    metadata: { name: wipeJobName(node), namespace: ns, labels: { 'app.kubernetes.io/name': WIPE_NAME, 'ztpfw.io/node': node.key } },
    spec: {
      // a refused disk fails every try the same way: retry little, then leave the Job failed for a human
      backoffLimit: 2,
      activeDeadlineSeconds: 1800,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': WIPE_NAME, 'ztpfw.io/node': node.key } },
        spec: {
          serviceAccountName: WIPE_NAME,
          restartPolicy: 'Never',
          nodeSelector: { 'kubernetes.io/hostname': node.hostname },
          // control-plane nodes carry storage disks too and may be tainted on larger clusters
          tolerations: [
            { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
          ],
          containers: [{
            name: 'wipe',
            image: imageFor(config, 'tools'),
            command: ['/bin/bash', `/scripts/${WIPE_SCRIPT}`],
            env: [
              { name: 'HOME', value: '/tmp' },
              { name: 'HOST_ROOT', value: HOST_ROOT },
              { name: 'MARKER', value: wipeMarkerName(node) },
              { name: 'NAMESPACE', value: ns },
              { name: 'NODE_NAME', value: node.hostname },
              // device paths never contain white space (the model checks it), so a space separates them
              { name: 'STORAGE_DISKS', value: node.storageDisks.join(' ') },
            ],
            securityContext: { privileged: true, runAsUser: 0 },
            resources: { requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') } },
            volumeMounts: [
              { name: 'host', mountPath: HOST_ROOT },
              { name: 'scripts', mountPath: '/scripts', readOnly: true },
            ],
          }],
          volumes: [
            { name: 'host', hostPath: { path: '/', type: 'Directory' } },
            { name: 'scripts', configMap: { name: scripts, defaultMode: 0o555 } },
          ],
        },
      },
    },
  }) as Manifest;
}
