import { nodePolicy, ownedInterfaces } from '../../charts/nmstate';
import { operatorPackage } from '../../charts/common/operators';
import type { EdgeNode } from '../../model/types';
import { renderFleet } from '../support/render';
import { validateManifest } from '../support/schemas';
import { bundleObjects, deliveredManifests, edgeObjects, FLEET, inputs, networkFiles } from './network-support';

const INPUTS = inputs();

describe('nmstate bundle', () => {
  test.each(INPUTS.map((i) => [i.label, i] as const))('%s: every delivered manifest validates against its pinned schema', (_label, input) => {
    const render = input.render();
    const problems: string[] = [];
    for (const c of input.fleet().clusters) {
      for (const o of bundleObjects(render, c.name, 'nmstate')) {
        for (const m of deliveredManifests(o.obj)) {
          for (const p of validateManifest(m)) problems.push(`${o.path}: ${m.kind} ${m.metadata?.name}: ${p}`);
        }
      }
    }
    expect(problems).toStrictEqual([]);
  });

  test.each(INPUTS.map((i) => [i.label, i] as const))('%s: operator first, then the instance and one policy per node NMState may own', (_label, input) => {
    const render = input.render();
    const fleet = input.fleet();
    for (const c of fleet.clusters) {
      const objs = bundleObjects(render, c.name, 'nmstate');
      if (!c.day2Bundles.includes('nmstate')) {
        expect(objs).toStrictEqual([]);
        continue;
      }
      expect(objs.map((o) => o.obj.kind).filter((k) => k === 'Policy' || k === 'ManifestWork')).toHaveLength(2);
      const edge = edgeObjects(render, c.name, 'nmstate');
      const pkg = operatorPackage('kubernetes-nmstate-operator');
      expect(edge.slice(0, 3).map((m) => [m.kind, m.metadata.name])).toStrictEqual([
        ['Namespace', pkg.namespace], ['OperatorGroup', `${pkg.namespace}-operatorgroup`], ['Subscription', pkg.name],
      ]);
      expect(edge[3]).toStrictEqual({ apiVersion: 'nmstate.io/v1', kind: 'NMState', metadata: { name: 'nmstate' } });

      const nncps = edge.filter((m) => m.kind === 'NodeNetworkConfigurationPolicy');
      const owning = c.nodes.filter((n) => n.intNic !== undefined || n.ignoreIfaces.length > 0);
      expect(nncps).toHaveLength(owning.length);
      const hostnames = c.nodes.map((n) => n.hostname);
      expect(nncps.map((p) => p.spec.nodeSelector)).toStrictEqual(owning.map((n) => ({ 'kubernetes.io/hostname': n.hostname })));
      for (const p of nncps) expect(hostnames).toContain(p.spec.nodeSelector['kubernetes.io/hostname']);
      expect(new Set(nncps.map((p) => p.metadata.name)).size).toBe(nncps.length);
      // the external NIC and br-ex belong to OVN-Kubernetes on an installed node
      for (const [i, p] of nncps.entries()) {
        const names = p.spec.desiredState.interfaces.map((x: any) => x.name);
        expect(names).not.toContain(owning[i].extNic.name);
        expect(names).not.toContain('br-ex');
      }
    }
  });

  test('every input enables the bundle for some cluster and the dual-NIC example gets its internal NIC policy', () => {
    for (const i of INPUTS) expect(i.fleet().clusters.some((c) => c.day2Bundles.includes('nmstate'))).toBe(true);
    const render = renderFleet('examples/sno-dual-nic.yaml');
    const nncps = edgeObjects(render, 'sno-dual', 'nmstate').filter((m) => m.kind === 'NodeNetworkConfigurationPolicy');
    expect(nncps.map((p) => p.metadata.name)).toStrictEqual(['ztpfw-sno-dual-master-0-nncp']);
  });

  test('a disabled bundle renders nothing', () => {
    const render = renderFleet({ yaml: FLEET.replace('DAY2_BUNDLES: [nmstate, metallb, disconnected]', 'DAY2_BUNDLES: [metallb, disconnected]') });
    expect(render.files.filter((f) => f.path.includes('/nmstate/'))).toStrictEqual([]);
    expect(render.objects.filter((o) => deliveredManifests(o.obj).some((m) => m.apiVersion?.startsWith('nmstate.io/')))).toStrictEqual([]);
    // metallb no longer waits for it
    const firstMetallb = render.objects.find((o) => o.obj.kind === 'Policy' && o.obj.metadata.name === 'net-metallb-operator');
    expect(firstMetallb?.obj.spec.dependencies).toBeUndefined();
  });
});

const node = (over: Partial<EdgeNode>): EdgeNode => ({
  key: 'master0', role: 'master', index: 0, hostname: 'ztpfw-c-master-0', extNic: { name: 'eno1', mac: '0c:00:00:00:00:01' },
  internalIp: '192.168.7.10', internalPrefix: 24, bmcAddress: 'redfish-virtualmedia://10.0.0.1/redfish/v1/Systems/1',
  bmc: { secretName: 's', source: 'external' }, rootDisk: '/dev/sda', storageDisks: [], ignoreIfaces: [], ...over,
});

describe('node policies', () => {
  test('dual-NIC: the internal NIC keeps its static address, DHCP and IPv6 off', () => {
    const p = nodePolicy(node({ intNic: { name: 'eno2', mac: '0c:00:00:00:00:02' }, internalIp: '10.9.0.21', internalPrefix: 23 }))!;
    expect(p).toStrictEqual({
      apiVersion: 'nmstate.io/v1',
      kind: 'NodeNetworkConfigurationPolicy',
      metadata: { name: 'ztpfw-c-master-0-nncp', labels: { 'ztpfw.io/node': 'ztpfw-c-master-0' } },
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': 'ztpfw-c-master-0' },
        desiredState: {
          interfaces: [{
            name: 'eno2', type: 'ethernet', state: 'up',
            ipv4: { enabled: true, dhcp: false, address: [{ ip: '10.9.0.21', 'prefix-length': 23 }] },
            ipv6: { enabled: false },
          }],
        },
      },
    });
    expect(validateManifest(p)).toStrictEqual([]);
  });

  test('single-NIC: ignored NICs are held without addresses; nothing else is declared', () => {
    expect(ownedInterfaces(node({ ignoreIfaces: ['eno3', 'eno4'] }))).toStrictEqual([
      { name: 'eno3', type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } },
      { name: 'eno4', type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } },
    ]);
  });

  test('single-NIC without ignored NICs: no policy (the internal address lives on br-ex, which NMState may not touch)', () => {
    expect(nodePolicy(node({}))).toBeUndefined();
  });
});

describe('golden nmstate + metallb bundles', () => {
  test.each(INPUTS.map((i) => [i.label, i] as const))('%s', (_label, input) => {
    expect(networkFiles(input.render())).toMatchSnapshot();
  });
});
