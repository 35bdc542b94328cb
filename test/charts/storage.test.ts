import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WIPE_NAMESPACE } from '../../charts/storage/wipe';
import { ODF_NODE_LABEL } from '../../charts/common/storage-nodes';
import { REPO_ROOT, RenderedObject, renderFleet } from '../support/render';
import { validateManifest } from '../support/schemas';
import { shellcheck } from '../support/tools';
import { SYNTHETIC_RELEASE_DIGEST } from '../../hack/fleet-generator';
import { MAX_MANIFESTWORK_BYTES } from '../../cli/verify/invariants';
import * as jsyaml from 'js-yaml';

const SCRIPTS = path.join(REPO_ROOT, 'charts', 'storage', 'scripts');
const BMH_LABEL = `bmac.agent-install.openshift.io.node-label.${ODF_NODE_LABEL}`;

type Obj = any;

/** The manifests a delivering object carries to the edge (ManifestWork workload, or the ConfigurationPolicy and its objects). */
function delivered(o: Obj): Obj[] {
  if (o.kind === 'ManifestWork') return o.spec.workload.manifests;
  if (o.kind === 'Policy') {
    return o.spec['policy-templates'].flatMap((t: Obj) => [t.objectDefinition, ...(t.objectDefinition.spec['object-templates'] ?? []).map((x: Obj) => x.objectDefinition)]);
  }
  return [];
}

/** Edge manifests only (the ConfigurationPolicy wrappers run on the hub's policy framework). */
function edgeManifests(o: Obj): Obj[] {
  return delivered(o).filter((m) => m.kind !== 'ConfigurationPolicy');
}

function bundleObjects(objects: readonly RenderedObject[], cluster: string, bundle = 'storage'): Obj[] {
  return objects.filter((o) => o.path.startsWith(`clusters/${cluster}/${bundle}/`)).map((o) => o.obj);
}

/** Stage name → edge manifests, in stage order (ManifestWork `ztpfw-storage-<stage>`, Policy `<cluster>-storage-<stage>`). */
function stages(objects: readonly RenderedObject[], cluster: string): Map<string, Obj[]> {
  const out = new Map<string, Obj[]>();
  const delivering = bundleObjects(objects, cluster).filter((x) => x.kind === 'ManifestWork' || x.kind === 'Policy');
  const byName = new Map(delivering.map((o) => [o.metadata.name, o]));
  // stage order: the ManifestWork stage label, or the length of a Policy's dependency chain inside the bundle
  const rank = (o: Obj): number => o.kind === 'ManifestWork'
    ? Number(o.metadata.labels['ztpfw.io/stage'])
    : Math.max(-1, ...(o.spec.dependencies ?? []).filter((d: Obj) => byName.has(d.name)).map((d: Obj) => rank(byName.get(d.name)))) + 1;
  for (const o of [...delivering].sort((a, b) => rank(a) - rank(b))) {
    const stage = o.kind === 'ManifestWork' ? o.metadata.name.replace(/^ztpfw-storage-/, '') : o.metadata.name.slice(`${cluster}-storage-`.length);
    out.set(stage, edgeManifests(o));
  }
  return out;
}

const find = (ms: Obj[], kind: string, name?: string) => {
  const found = ms.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
};

const NODE = (key: string, mac: string, disks: string[]) => `
      ${key}:
        nic_ext_dhcp: eno1
        mac_ext_dhcp: "${mac}"
        bmc_url: redfish-virtualmedia://10.40.0.${mac.slice(-2)}/redfish/v1/Systems/1
        root_disk: /dev/sda
${disks.length ? `        storage_disk: [${disks.join(', ')}]` : ''}`;

/** The fleet config every fleet of this file starts with. */
const FLEET_CONFIG = `config:
  OC_OCP_VERSION: "4.14.12"
  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"
  OC_ACM_VERSION: "2.9"
  OC_ODF_VERSION: "4.14"
  BASE_DOMAIN: factory.example.com
`;

/** A 3+3 cluster whose nodes all differ: by-id paths with dashes, a worker sharing master0's disks, one without disks. */
const MIXED = `
${FLEET_CONFIG}  ACM_ENABLED: true
  DAY2_DELIVERY: policy
  TOOLS_IMAGE: registry.example.com/tools/ose-tools:1.2
edgeclusters:
  - mixed:
      config:
        DAY2_BUNDLES: [storage, disconnected]
${NODE('master0', '0c:42:a1:40:00:10', ['/dev/disk/by-id/wwn-0x5000-c500-a1b2', '/dev/sdc'])}
${NODE('master1', '0c:42:a1:40:00:11', ['/dev/sdc', '/dev/disk/by-id/wwn-0x5000-c500-a1b2'])}
${NODE('master2', '0c:42:a1:40:00:12', ['/dev/disk/by-path/pci-0000:3b:00.0-nvme-1'])}
${NODE('worker0', '0c:42:a1:40:00:20', ['/dev/nvme1n1', '/dev/nvme2n1', '/dev/nvme3n1'])}
${NODE('worker1', '0c:42:a1:40:00:21', [])}
${NODE('worker2', '0c:42:a1:40:00:22', ['/dev/disk/by-id/wwn-0x5000-c500-a1b2', '/dev/sdc'])}
`;

const inputs = ['clusters', ...fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)];

describe('every rendered storage bundle', () => {
  test.each([...inputs, 'mixed'])('%s: every delivered manifest validates against its pinned schema', (input) => {
    const { objects } = input === 'mixed' ? renderFleet({ yaml: MIXED }) : renderFleet(input);
    const storage = objects.filter((o) => /^clusters\/[^/]+\/storage\//.test(o.path));
    const findings: string[] = [];
    let count = 0;
    for (const o of storage) {
      for (const m of delivered(o.obj)) {
        count++;
        // ACM puts the ConfigurationPolicy into the cluster namespace itself; validate it as it will exist there
        const subject = m.kind === 'ConfigurationPolicy' ? { ...m, metadata: { ...m.metadata, namespace: 'cluster-ns' } } : m;
        for (const f of validateManifest(subject)) findings.push(`${o.path}: ${m.kind} ${m.metadata.name}: ${f}`);
      }
    }
    expect(findings).toStrictEqual([]);
    expect(count).toBeGreaterThan(0);
  });

  test.each([...inputs, 'mixed'])('%s: one Namespace object and one OperatorGroup per namespace across each cluster\'s day-2 output', (input) => {
    const { objects } = input === 'mixed' ? renderFleet({ yaml: MIXED }) : renderFleet(input);
    const clusters = new Set(objects.map((o) => /^clusters\/([^/]+)\/[^/]+\//.exec(o.path)?.[1]).filter((c): c is string => c !== undefined));
    expect(clusters.size).toBeGreaterThan(0);
    for (const c of clusters) {
      const manifests = objects.filter((o) => new RegExp(`^clusters/${c}/[^/]+/`).test(o.path)).flatMap((o) => edgeManifests(o.obj));
      const namespaces = manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);
      expect(namespaces.filter((n, i) => namespaces.indexOf(n) !== i)).toStrictEqual([]);
      const groups = manifests.filter((m) => m.kind === 'OperatorGroup').map((m) => m.metadata.namespace);
      expect(groups.filter((n, i) => groups.indexOf(n) !== i)).toStrictEqual([]);
      // every namespaced storage object lands in a namespace the bundle creates
      const own = new Set(namespaces);
      for (const m of bundleObjects(objects, c).flatMap(edgeManifests)) if (m.metadata.namespace) expect(own).toContain(m.metadata.namespace);
    }
  });
});

describe('SNO (sno-01, manifestwork)', () => {
  const { objects } = renderFleet('clusters');
  const s = stages(objects, 'sno-01');

  test('stages in order: wipe, operators, volumes, odf', () => {
    expect([...s.keys()]).toStrictEqual(['wipe', 'operators', 'volumes', 'odf']);
    expect(bundleObjects(objects, 'sno-01').map((o) => [o.kind, o.metadata.namespace])).toStrictEqual(Array(4).fill(['ManifestWork', 'sno-01']));
  });

  test('LVMS and ODF share one openshift-storage Namespace (with the PSA labels LVMS needs) and one OperatorGroup', () => {
    const ops = s.get('operators')!;
    const ns = find(ops, 'Namespace');
    expect(ns.metadata.name).toBe('openshift-storage');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/warn': 'privileged', 'openshift.io/cluster-monitoring': 'true',
    });
    expect(find(ops, 'OperatorGroup').spec).toStrictEqual({ targetNamespaces: ['openshift-storage'] });
    expect(ops.filter((m) => m.kind === 'Subscription').map((m) => [m.spec.name, m.spec.channel, m.metadata.namespace])).toStrictEqual([
      ['lvms-operator', 'stable-4.14', 'openshift-storage'], ['odf-operator', 'stable-4.14', 'openshift-storage'],
    ]);
  });

  test('LVMCluster takes exactly the node\'s listed disks, thin pool, default StorageClass', () => {
    const lvm = find(s.get('volumes')!, 'LVMCluster');
    expect(lvm.spec.storage.deviceClasses).toStrictEqual([{
      name: 'vg1', default: true, fstype: 'xfs',
      deviceSelector: { paths: ['/dev/nvme1n1'] },
      thinPoolConfig: { name: 'ztpfw-thin-pool', sizePercent: 90, overprovisionRatio: 10 },
    }]);
  });

  test('ODF is the Multicloud Object Gateway alone, its database on LVMS', () => {
    const sc = find(s.get('odf')!, 'StorageCluster');
    expect(sc.metadata.name).toBe('mcg-storagecluster');
    expect(sc.spec).toStrictEqual({ multiCloudGateway: { reconcileStrategy: 'standalone', dbStorageClassName: 'lvms-vg1' } });
  });

  test('no ODF node labels on SNO BareMetalHosts', () => {
    const bmh = objects.find((o) => o.obj.kind === 'BareMetalHost' && o.path.startsWith('clusters/sno-01/'))!;
    expect(bmh.obj.metadata.annotations[BMH_LABEL]).toBeUndefined();
  });
});

describe('compact and 3+N', () => {
  test('compact-01: one LocalVolume for identical disks, Ceph on all three masters, labels at install', () => {
    const { objects } = renderFleet('clusters');
    const s = stages(objects, 'compact-01');
    const lvs = s.get('volumes')!;
    expect(lvs.map((m) => [m.kind, m.metadata.name, m.metadata.namespace])).toStrictEqual([['LocalVolume', 'local-disks-master0', 'openshift-local-storage']]);
    expect(lvs[0].spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].values).toStrictEqual(['ztpfw-compact-01-master-0', 'ztpfw-compact-01-master-1', 'ztpfw-compact-01-master-2']);
    const sc = find(s.get('odf')!, 'StorageCluster', 'ocs-storagecluster');
    expect(sc.spec.flexibleScaling).toBe(true);
    expect(sc.spec.storageDeviceSets).toMatchObject([{ count: 3, replica: 1, portable: false, dataPVCTemplate: { spec: { storageClassName: 'localstorage-sc-block', volumeMode: 'Block' } } }]);
    const ops = s.get('operators')!;
    expect(ops.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).toStrictEqual(['openshift-local-storage', 'openshift-storage']);
    expect(ops.filter((m) => m.kind === 'Subscription').map((m) => m.spec.name)).toStrictEqual(['local-storage-operator', 'odf-operator']);
    for (const i of [0, 1, 2]) {
      const bmh = objects.find((o) => o.obj.kind === 'BareMetalHost' && o.obj.metadata.name === `ztpfw-compact-01-master-${i}`)!;
      expect(bmh.obj.metadata.annotations[BMH_LABEL]).toBe('');
    }
  });

  describe('mixed 3+3 (policy): each node\'s own disks', () => {
    const { objects } = renderFleet({ yaml: MIXED });
    const s = stages(objects, 'mixed');
    const host = (k: string) => `ztpfw-mixed-${k.replace(/(\d+)$/, '-$1')}`;

    test('one LocalVolume per distinct disk set, selecting exactly the nodes that have it, paths intact', () => {
      const lvs = s.get('volumes')!.map((m) => ({
        name: m.metadata.name,
        nodes: m.spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].values,
        paths: m.spec.storageClassDevices[0].devicePaths,
      }));
      expect(lvs).toStrictEqual([
        { name: 'local-disks-master0', nodes: [host('master0'), host('master1'), host('worker2')], paths: ['/dev/disk/by-id/wwn-0x5000-c500-a1b2', '/dev/sdc'] },
        { name: 'local-disks-master2', nodes: [host('master2')], paths: ['/dev/disk/by-path/pci-0000:3b:00.0-nvme-1'] },
        { name: 'local-disks-worker0', nodes: [host('worker0')], paths: ['/dev/nvme1n1', '/dev/nvme2n1', '/dev/nvme3n1'] },
      ]);
      expect(new Set(s.get('volumes')!.map((m) => m.spec.storageClassDevices[0].storageClassName))).toStrictEqual(new Set(['localstorage-sc-block']));
    });

    test('one OSD per listed disk; workers with disks join ODF, the one without does not', () => {
      expect(find(s.get('odf')!, 'StorageCluster').spec.storageDeviceSets[0]).toMatchObject({ count: 2 + 2 + 1 + 3 + 2, replica: 1 });
      const labelled = objects.filter((o) => o.obj.kind === 'BareMetalHost' && o.obj.metadata.annotations[BMH_LABEL] === '').map((o) => o.obj.metadata.name);
      expect(labelled.sort()).toStrictEqual(['master0', 'master1', 'master2', 'worker0', 'worker2'].map(host).sort());
    });

    test('one wipe Job per node with disks, pinned to it, wiping exactly its disks', () => {
      const wipe = s.get('wipe')!;
      const jobs = wipe.filter((m) => m.kind === 'Job');
      expect(jobs.map((j) => [j.metadata.name, j.spec.template.spec.nodeSelector['kubernetes.io/hostname']])).toStrictEqual(
        ['master0', 'master1', 'master2', 'worker0', 'worker2'].map((k) => [`wipe-disks-${k}`, host(k)]),
      );
      const env = (j: Obj) => Object.fromEntries(j.spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
      expect(env(jobs[0])).toMatchObject({ STORAGE_DISKS: '/dev/disk/by-id/wwn-0x5000-c500-a1b2 /dev/sdc', MARKER: 'disks-wiped-master0', NAMESPACE: WIPE_NAMESPACE, NODE_NAME: host('master0') });
      expect(env(jobs[2]).STORAGE_DISKS).toBe('/dev/disk/by-path/pci-0000:3b:00.0-nvme-1');
      for (const j of jobs) {
        expect(j.metadata.namespace).toBe(WIPE_NAMESPACE);
        expect(j.spec.backoffLimit).toBeGreaterThan(0);
        expect(j.spec.activeDeadlineSeconds).toBeGreaterThan(0);
        const pod = j.spec.template.spec;
        expect(pod.serviceAccountName).toBe('wipe-disks');
        expect(pod.containers[0].image).toBe('registry.example.com/tools/ose-tools:1.2');
        expect(pod.containers[0].securityContext.privileged).toBe(true);
        expect(pod.volumes.find((v: Obj) => v.name === 'scripts').configMap.name).toBe('wipe-disks-script');
      }
      expect(find(wipe, 'ConfigMap', 'wipe-disks-script').data['wipe-disks.sh']).toBe(fs.readFileSync(path.join(SCRIPTS, 'wipe-disks.sh'), 'utf8'));
    });

    test('least RBAC: read its own markers, create a marker, use the privileged SCC; bound to its ServiceAccount only', () => {
      const wipe = s.get('wipe')!;
      expect(find(wipe, 'Role', 'wipe-disks').rules).toStrictEqual([
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['master0', 'master1', 'master2', 'worker0', 'worker2'].map((k) => `disks-wiped-${k}`) },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], verbs: ['use'], resourceNames: ['privileged'] },
      ]);
      expect(find(wipe, 'RoleBinding', 'wipe-disks').subjects).toStrictEqual([{ kind: 'ServiceAccount', name: 'wipe-disks', namespace: WIPE_NAMESPACE }]);
      expect(wipe.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toStrictEqual([]);
    });

    test('policies chain wipe → operators → volumes → odf', () => {
      const policies = bundleObjects(objects, 'mixed').filter((o) => o.kind === 'Policy');
      const deps = Object.fromEntries(policies.map((p) => [p.metadata.name, (p.spec.dependencies ?? []).map((d: Obj) => d.name)]));
      expect(deps).toStrictEqual({
        'mixed-storage-wipe': [],
        'mixed-storage-operators': ['mixed-storage-wipe'],
        'mixed-storage-volumes': ['mixed-storage-operators'],
        'mixed-storage-odf': ['mixed-storage-volumes'],
      });
    });
  });
});

describe('golden storage bundles (topology × delivery mode)', () => {
  test.each([
    ['clusters', 'sno-01'], ['clusters', 'compact-01'], ['clusters', 'edge-3p1-01'],
    ['examples/policy-delivery.yaml', 'sno-policy'], ['examples/policy-delivery.yaml', 'gpu-compact'], ['mixed', 'mixed'],
  ])('%s %s', (input, cluster) => {
    const { files } = input === 'mixed' ? renderFleet({ yaml: MIXED }) : renderFleet(input);
    const byPath = Object.fromEntries(files.filter((f) => f.path.startsWith(`clusters/${cluster}/storage/`)).map((f) => [f.path, f.content]));
    expect(Object.keys(byPath).length).toBeGreaterThan(1);
    expect(byPath).toMatchSnapshot();
  });
});

describe('wipe-disks.sh', () => {
  const script = path.join(SCRIPTS, 'wipe-disks.sh');

  test('parses (bash -n) and passes shellcheck', () => {
    execFileSync('bash', ['-n', script]);
    expect(shellcheck(script)).toBe('');
  });

  /**
   * Runs the script against stub `oc` and `chroot` commands: chroot runs the host commands as stubs that log
   * their arguments, and answer lsblk/readlink/test from the scenario.
   */
  function run(scenario: { marker?: boolean; mounted?: string; locked?: string; dm?: { disk: string; open: number } }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wipe-'));
    const log = path.join(dir, 'calls.log');
    const stub = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    stub('oc', `echo "oc $*" >> ${log}
if [ "$1" = get ]; then ${scenario.marker ? 'echo configmap/marker' : 'true'}; fi`);
    stub('chroot', `shift; echo "host $*" >> ${log}
case "$1" in
  readlink) echo "\${@: -1}" ;;
  test) exit 0 ;;
  lsblk)
    dev="\${@: -1}"
    case "$2" in
      -ndo) echo disk ;;
      -nro)
        if [ "$3" = MOUNTPOINT ]; then [ "$dev" = "${scenario.mounted ?? ''}" ] && echo /var/mnt; echo; exit 0; fi
        echo "$(basename "$dev") disk"; echo "$(basename "$dev")1 part"
        [ "$dev" = "${scenario.dm?.disk ?? ''}" ] && echo "dm-7 lvm"; exit 0 ;;
    esac ;;
  dmsetup) [ "$2" = info ] && echo " ${scenario.dm?.open ?? 0}"; exit 0 ;;
  flock) [ "\${@: -2:1}" = "${scenario.locked ?? ''}" ] && exit 1; exit 0 ;;
  *) exit 0 ;;
esac`);
    const r = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { PATH: `${dir}:${process.env.PATH}`, NODE_NAME: 'n1', STORAGE_DISKS: '/dev/sdb /dev/disk/by-id/wwn-0x5-a', MARKER: 'disks-wiped-master0', NAMESPACE: 'ns', HOST_ROOT: '/host' },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, calls, output: r.stdout + r.stderr };
  }

  const destructive = (calls: string[]) => calls.filter((c) => /^host (wipefs|dd|dmsetup remove)/.test(c));

  test('wipes every listed disk (partitions first), then writes the marker', () => {
    const r = run({});
    expect(r.status).toBe(0);
    expect(destructive(r.calls)).toStrictEqual([
      'host wipefs --all --force /dev/sdb1', 'host wipefs --all --force /dev/sdb', 'host dd if=/dev/zero of=/dev/sdb bs=1M count=100 oflag=direct status=none',
      'host wipefs --all --force /dev/wwn-0x5-a1', 'host wipefs --all --force /dev/disk/by-id/wwn-0x5-a', 'host dd if=/dev/zero of=/dev/disk/by-id/wwn-0x5-a bs=1M count=100 oflag=direct status=none',
    ]);
    expect(r.calls[r.calls.length - 1]).toMatch(/^oc create configmap disks-wiped-master0 -n ns --from-literal=node=n1 --from-literal=disks=\/dev\/sdb \/dev\/disk\/by-id\/wwn-0x5-a /);
  });

  test('does nothing once the marker exists', () => {
    const r = run({ marker: true });
    expect(r.status).toBe(0);
    expect(r.calls).toStrictEqual(['oc get configmap disks-wiped-master0 -n ns -o name --ignore-not-found']);
  });

  test.each([
    ['a mounted disk', { mounted: '/dev/disk/by-id/wwn-0x5-a' }, /is mounted/],
    ['a disk a process holds locked', { locked: '/dev/sdb' }, /locked by a running process/],
    ['a disk under an open device-mapper device', { dm: { disk: '/dev/sdb', open: 1 } }, /in use by \/dev\/dm-7/],
  ])('refuses %s and wipes none of the disks', (_what, scenario, message) => {
    const r = run(scenario);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(message);
    expect(destructive(r.calls)).toStrictEqual([]);
    expect(r.calls.some((c) => c.startsWith('oc create'))).toBe(false);
  });

  test('removes an unused device-mapper device before wiping', () => {
    const r = run({ dm: { disk: '/dev/sdb', open: 0 } });
    expect(r.status).toBe(0);
    expect(destructive(r.calls)[0]).toBe('host dmsetup remove --retry /dev/dm-7');
  });
});

describe('per-node stages at high node counts', () => {
  /** 3 masters and `workers` dual-NIC workers, every node with disks of its own (one LocalVolume each); `removed` workers are marked `state: remove`. */
  const hex = (byte: number) => byte.toString(16).padStart(2, '0');
  const big = (workers: number, removed: readonly number[] = []) => {
    const node = (key: string, i: number) => `
      ${key}:
        nic_ext_dhcp: eno1
        mac_ext_dhcp: "0c:42:a1:${hex(i >> 8)}:${hex(i & 255)}:01"
        nic_int_static: eno2
        mac_int_static: "0c:42:a1:${hex(i >> 8)}:${hex(i & 255)}:02"
        bmc_url: redfish-virtualmedia://10.41.${i >> 8}.${i & 255}/redfish/v1/Systems/1
        root_disk: /dev/sda
        storage_disk: [/dev/disk/by-path/pci-0000:3b:00.0-scsi-0:2:${i}:0, /dev/sdc]${removed.includes(i - 3) && key.startsWith('worker') ? '\n        state: remove' : ''}`;
    return `
${FLEET_CONFIG}  INTERNAL_NETWORK: 10.100.0.0/22
  API_VIP: 10.100.3.250
  INGRESS_VIP: 10.100.3.251
edgeclusters:
  - big:
      config:
        DAY2_BUNDLES: [nmstate, storage, disconnected]
${[0, 1, 2].map((m) => node(`master${m}`, m)).join('')}
${Array.from({ length: workers }, (_, w) => node(`worker${w}`, w + 3)).join('')}
`;
  };
  /** ManifestWork name → the names of the objects it delivers. */
  const works = (yaml: string) => new Map(renderFleet({ yaml }).files.filter((f) => /\/manifestwork-[^/]*\.yaml$/.test(f.path))
    .map((f) => [f.path, f.content] as const)
    .map(([p, content]) => [p.replace(/^clusters\/big\//, ''), { bytes: Buffer.byteLength(content), names: (jsyaml.load(content) as Obj).spec.workload.manifests.map((m: Obj) => `${m.kind}/${m.metadata.name}`) }]));

  test('3+250: the wipe Jobs, LocalVolumes and node policies are split in parts of 100 workers, each ManifestWork under the limit', () => {
    // WHEN
    const rendered = works(big(250));

    // THEN
    for (const [file, w] of rendered) expect({ file, over: w.bytes > MAX_MANIFESTWORK_BYTES }).toStrictEqual({ file, over: false });
    const parts = (prefix: string) => [...rendered.keys()].filter((k) => k.startsWith(prefix)).sort();
    expect(parts('storage/manifestwork-ztpfw-storage-wipe')).toStrictEqual(['-1', '-2', ''].map((s) => `storage/manifestwork-ztpfw-storage-wipe${s}.yaml`));
    expect(parts('storage/manifestwork-ztpfw-storage-volumes')).toStrictEqual(['-1', '-2', ''].map((s) => `storage/manifestwork-ztpfw-storage-volumes${s}.yaml`));
    expect(parts('nmstate/manifestwork-ztpfw-nmstate-config')).toStrictEqual(['-1', '-2', ''].map((s) => `nmstate/manifestwork-ztpfw-nmstate-config${s}.yaml`));
    const jobs = (file: string) => rendered.get(file)!.names.filter((n: string) => n.startsWith('Job/'));
    expect(jobs('storage/manifestwork-ztpfw-storage-wipe.yaml')).toHaveLength(103);
    expect(jobs('storage/manifestwork-ztpfw-storage-wipe-1.yaml')[0]).toBe('Job/wipe-disks-worker100');
    expect(jobs('storage/manifestwork-ztpfw-storage-wipe-2.yaml')).toHaveLength(50);
    // the shared objects only once, in the first part
    expect(rendered.get('storage/manifestwork-ztpfw-storage-wipe-1.yaml')!.names.filter((n: string) => !n.startsWith('Job/'))).toStrictEqual([]);
    expect(rendered.get('nmstate/manifestwork-ztpfw-nmstate-config-1.yaml')!.names.filter((n: string) => n.startsWith('NMState/'))).toStrictEqual([]);
  });

  test('removing a worker moves no other node\'s objects to another ManifestWork', () => {
    // GIVEN
    const before = works(big(250));

    // WHEN
    const after = works(big(250, [5, 150]));

    // THEN: the same works, each holding what it held minus the removed workers' objects
    expect([...after.keys()]).toStrictEqual([...before.keys()]);
    for (const [file, w] of after) {
      const expected = before.get(file)!.names.filter((n: string) => !/-worker(5|150)(-|$)/.test(n) && !/-worker-(5|150)-nncp$/.test(n));
      expect({ file, names: w.names }).toStrictEqual({ file, names: expected });
    }
  });
});
