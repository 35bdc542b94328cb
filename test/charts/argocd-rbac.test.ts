/**
 * The Argo CD application controller's RBAC: `bind` and `escalate` only by name, on the fixed-name roles of the output;
 * per-cluster roles in shared namespaces grant no more than it holds there; adding clusters leaves its role unchanged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocatedObject } from '../../cli/verify/invariants';
import { checkRbacInvariants } from '../../cli/verify/rbac';
import { REPO_ROOT, Render, renderFleet } from '../support/render';

const RBAC = 'rbac.authorization.k8s.io';
const GIT = 'config:\n  GIT_REPO_URL: https://git.example.com/factory/fleet.git\n';

const withGit = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/^config:\n/m, GIT);

/** A copy of the only cluster of examples/sno-single-nic.yaml under another name and addresses, in `state`. */
function extraCluster(name: string, n: number, state: string): string {
  return [
    `  - ${name}:`,
    '      config:',
    `        STATE: ${state}`,
    '      master0:',
    '        nic_ext_dhcp: eno1',
    `        mac_ext_dhcp: "3c:ec:ef:10:2${n}:01"`,
    `        bmc_url: redfish-virtualmedia://10.10.${n}.11/redfish/v1/Systems/1`,
    '        root_disk: /dev/nvme0n1',
    '        storage_disk:',
    '          - /dev/nvme1n1',
    '',
  ].join('\n');
}

/** The policy-delivery example with a Git source and its compact cluster detached (detach hooks, policy reads). */
const POLICY_DETACHED = withGit('examples/policy-delivery.yaml').replace(/^( {2}- gpu-compact:\n {6}config:\n)/m, '$1        STATE: detach\n');

const controllerRole = (r: Render) => r.objects.find((o) => o.obj.kind === 'ClusterRole' && o.obj.metadata.name === 'ztpfw-argocd-application-controller')!.obj;
const located = (r: Render): LocatedObject[] => r.objects.map((o) => ({ obj: o.obj, file: o.path, target: 'hub', bytes: 0 }));

describe('Argo CD controller RBAC', () => {
  test.each<[string, string | { yaml: string }]>([
    ['clusters', 'clusters'],
    ['policy delivery, one cluster detached', { yaml: POLICY_DETACHED }],
  ])('bind and escalate only by name, on the fixed-name roles of the output (%s)', (_name, input) => {
    const r = renderFleet(input);
    const role = controllerRole(r);
    const applied = r.objects.filter((o) => !o.path.startsWith('argocd/operator/'));
    // Fixed names: the hub's and the bootstrap's roles, and those in each cluster's own namespace.
    const fixed = applied.filter((o) => {
      const cluster = /^clusters\/([^/]+)\//.exec(o.path)?.[1];
      return o.obj.apiVersion === `${RBAC}/v1` && (cluster === undefined || o.obj.metadata.namespace === cluster);
    });
    const roles = fixed.filter((o) => o.obj.kind === 'Role' || o.obj.kind === 'ClusterRole').map((o) => o.obj.metadata.name as string);
    const bound = fixed.filter((o) => o.obj.kind === 'RoleBinding' || o.obj.kind === 'ClusterRoleBinding').map((o) => o.obj.roleRef.name as string);
    // … and the detach hook's, so a detach never changes the controller's role.
    for (const list of [roles, bound]) list.push('ztpfw-detach');
    for (const [verb, expected] of [['escalate', roles], ['bind', bound]] as const) {
      expect(role.rules.filter((ru: { verbs: string[] }) => ru.verbs.includes(verb))).toStrictEqual([
        { apiGroups: [RBAC], resources: ['clusterroles', 'roles'], verbs: [verb], resourceNames: [...new Set(expected)].sort() },
      ]);
    }
    expect(roles.length).toBeGreaterThan(5);
    expect(role.rules.flatMap((ru: { verbs: string[] }) => ru.verbs)).not.toContain('impersonate');
    // No name that carries a cluster's name: those roles are in shared namespaces and must be held, not escalated.
    const clusters = r.objects.filter((o) => o.obj.kind === 'ClusterDeployment').map((o) => o.obj.metadata.name as string);
    expect(clusters.length).toBeGreaterThan(1);
    for (const ru of role.rules) for (const n of ru.resourceNames ?? []) for (const c of clusters) expect(n).not.toContain(c);
  });

  test('the controller can apply every role and binding it syncs, detach hooks and policy reads included', () => {
    const r = renderFleet({ yaml: POLICY_DETACHED });
    expect(r.objects.some((o) => o.path.includes('/detach/role-ztpfw-detach-gpu-compact-policies.yaml'))).toBe(true);
    expect(checkRbacInvariants(located(r))).toStrictEqual([]);
  });

  test('without its grant in the credentials namespace, the detach hooks\' roles there could not be applied', () => {
    const r = renderFleet({ yaml: POLICY_DETACHED });
    const broken = located(r).filter((o) => o.file !== 'hub/lifecycle/role-ztpfw-argocd-controller.yaml');
    expect(checkRbacInvariants(broken).map((f) => f.file).sort()).toStrictEqual([
      'clusters/gpu-compact/detach/role-gpu-compact-credentials-reader.yaml',
      'clusters/gpu-compact/detach/role-ztpfw-detach-gpu-compact.yaml',
      'clusters/gpu-compact/detach/rolebinding-ztpfw-detach-gpu-compact.yaml',
    ]);
  });

  test('adding clusters (one detached) leaves the controller role unchanged: cluster pull requests never touch it', () => {
    const one = withGit('examples/sno-single-nic.yaml');
    const three = `${one.replace(/\n*$/, '\n')}${extraCluster('sno-second', 1, 'detach')}${extraCluster('sno-third', 2, 'configure')}`;
    const before = renderFleet({ yaml: one });
    const after = renderFleet({ yaml: three });
    expect(after.objects.filter((o) => o.obj.kind === 'ClusterDeployment')).toHaveLength(3);
    expect(after.objects.some((o) => o.path === 'clusters/sno-second/detach/role-ztpfw-detach-sno-second.yaml')).toBe(true);
    expect(controllerRole(after)).toStrictEqual(controllerRole(before));
  });
});
