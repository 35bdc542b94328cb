import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { decodeDataUrl, IgnitionConfig } from '../../charts/install/ignition';
import { SYNC_WAVE_ANNOTATION, Wave } from '../../charts/common/waves';
import type { K8sObject } from '../support/references';
import { get, render, ROOT, tempFleet } from './install-support';

const example = (name: string) => render(path.join(ROOT, 'examples', name));
const ignitionOf = (text: string): IgnitionConfig => JSON.parse(text) as IgnitionConfig;
const fileText = (ign: IgnitionConfig, p: string): string => {
  const f = ign.storage?.files.find((x) => x.path === p);
  if (!f) throw new Error(`no ${p} in ignition`);
  return decodeDataUrl((f.contents ?? f.append?.[0])!.source);
};
// install objects sit directly in clusters/<cluster>/; hub/ and the day-2 sub-folders (clusters/<cluster>/<bundle>/) are other families
/** The objects of the per-cluster mirror-credentials Job (named after the Job; its Role in ztpfw-registry after the cluster too). */
const isMirrorPullSecret = (o: K8sObject) => /^(ztpfw-)?mirror-pull-secret(-|$)/.test(o.metadata.name);
const install = (objects: readonly K8sObject[]) => objects.filter((o) => /^clusters\/[^/]+\/[^/]+$/.test((o as { file?: string }).file ?? ''));

describe('single-NIC SNO', () => {
  const { objects } = example('sno-single-nic.yaml');
  const aci = get(objects, 'AgentClusterInstall', 'sno-single');

  test('ACI: one control-plane agent, machine network, no VIPs, FIPS through the install-config overrides', () => {
    expect(aci.spec.provisionRequirements).toStrictEqual({ controlPlaneAgents: 1 });
    expect(aci.spec.networking).toStrictEqual({
      networkType: 'OVNKubernetes',
      machineNetwork: [{ cidr: '192.168.7.0/24' }],
      clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
      serviceNetwork: ['172.30.0.0/16'],
    });
    expect(aci.spec.apiVIPs).toBeUndefined();
    expect(aci.spec.ingressVIPs).toBeUndefined();
    expect(aci.spec.diskEncryption).toBeUndefined();
    expect(JSON.parse(aci.metadata.annotations!['agent-install.openshift.io/install-config-overrides'])).toStrictEqual({ fips: true });
    expect(aci.spec.imageSetRef).toStrictEqual({ name: 'openshift-v4.14.25' });
    expect(aci.spec.manifestsConfigMapRef).toStrictEqual({ name: 'sno-single-extra-manifests' });
  });

  test('NMState: DHCP and the static internal address together on the one NIC, no placeholder interface', () => {
    const nm = get(objects, 'NMStateConfig', 'ztpfw-sno-single-master-0');
    expect(nm.metadata.labels).toStrictEqual({ 'nmstate-label': 'sno-single' });
    expect(nm.spec.interfaces).toStrictEqual([{ name: 'eno1', macAddress: '3c:ec:ef:10:20:01' }]);
    expect(nm.spec.config.interfaces).toStrictEqual([{
      name: 'eno1', type: 'ethernet', state: 'up', 'mac-address': '3c:ec:ef:10:20:01',
      ipv4: { enabled: true, dhcp: true, 'auto-dns': true, 'auto-gateway': true, 'auto-routes': true, address: [{ ip: '192.168.7.10', 'prefix-length': 24 }] },
    }]);
  });

  test('discovery ISO: MAC-keyed dispatcher table and the API name on the node itself (SNO has no API VIP)', () => {
    const ign = ignitionOf(get(objects, 'InfraEnv', 'sno-single').spec.ignitionConfigOverride);
    expect(ign.ignition.version).toBe('3.1.0');
    const script = fileText(ign, '/etc/NetworkManager/dispatcher.d/pre-up.d/99-ztpfw-internal-address');
    expect(script).toContain("<<'ZTPFW_TABLE'\n3c:ec:ef:10:20:01 192.168.7.10/24\nZTPFW_TABLE");
    expect(fileText(ign, '/etc/hosts')).toBe('192.168.7.10 api.sno-single.factory.example.com\n');
    const hosts = ign.storage!.files.find((f) => f.path === '/etc/hosts')!;
    expect(hosts.overwrite).toBeUndefined();
  });

  test('BMH: boot MAC, BMC, credentials by name, root disk, BMAC annotations and the relocation override', () => {
    const bmh = get(objects, 'BareMetalHost', 'ztpfw-sno-single-master-0');
    expect(bmh.metadata.labels).toStrictEqual({ 'infraenvs.agent-install.openshift.io': 'sno-single' });
    expect(bmh.spec).toStrictEqual({
      online: true,
      bootMACAddress: '3c:ec:ef:10:20:01',
      automatedCleaningMode: 'disabled',
      rootDeviceHints: { deviceName: '/dev/nvme0n1' },
      bmc: { address: 'redfish-virtualmedia://10.10.0.11/redfish/v1/Systems/1', credentialsName: 'ztpfw-sno-single-master-0-bmc', disableCertificateVerification: true },
    });
    const a = bmh.metadata.annotations!;
    expect(a['bmac.agent-install.openshift.io/hostname']).toBe('ztpfw-sno-single-master-0');
    expect(a['bmac.agent-install.openshift.io/role']).toBe('master');
    expect(a['inspect.metal3.io']).toBe('disabled');
    const ign = ignitionOf(a['bmac.agent-install.openshift.io/ignition-config-overrides']);
    expect(ign.ignition.version).toBe('3.2.0');
    // crio-wipe is not masked: the reference drop-in in the extra manifests keeps the image store instead.
    expect(ign.systemd).toBeUndefined();
    expect(fileText(ign, '/etc/systemd/system/kubelet.service.d/30-ztpfw-nodenet.conf')).toBe('[Service]\nEnvironment="KUBELET_NODE_IP=192.168.7.10" "KUBELET_NODE_IPS=192.168.7.10"\n');
    expect(fileText(ign, '/etc/systemd/system/crio.service.d/30-ztpfw-nodenet.conf')).toBe('[Service]\nEnvironment="CONTAINER_STREAM_ADDRESS=192.168.7.10"\n');
    expect(fileText(ign, '/etc/NetworkManager/dispatcher.d/pre-up.d/99-ztpfw-internal-address')).toContain('\nbr-ex 192.168.7.10/24\n');
  });

  test('ClusterDeployment, InfraEnv and ManagedCluster', () => {
    const cd = get(objects, 'ClusterDeployment', 'sno-single');
    expect(cd.spec).toStrictEqual({
      baseDomain: 'factory.example.com',
      clusterName: 'sno-single',
      clusterInstallRef: { group: 'extensions.hive.openshift.io', version: 'v1beta1', kind: 'AgentClusterInstall', name: 'sno-single' },
      controlPlaneConfig: { servingCertificates: {} },
      platform: { agentBareMetal: { agentSelector: { matchLabels: { 'cluster-name': 'sno-single' } } } },
      pullSecretRef: { name: 'assisted-deployment-pull-secret' },
    });
    const ie = get(objects, 'InfraEnv', 'sno-single');
    expect(ie.spec.clusterRef).toStrictEqual({ name: 'sno-single', namespace: 'sno-single' });
    expect(ie.spec.agentLabels).toStrictEqual({ 'cluster-name': 'sno-single' });
    expect(ie.spec.nmStateConfigLabelSelector).toStrictEqual({ matchLabels: { 'nmstate-label': 'sno-single' } });
    expect(ie.spec.sshAuthorizedKey).toBeUndefined();
    const mc = get(objects, 'ManagedCluster', 'sno-single');
    expect(mc.metadata.namespace).toBeUndefined();
    expect(mc.metadata.labels).toStrictEqual({ name: 'sno-single', ztpfw: 'true', 'ztpfw.io/topology': 'sno' });
    expect(mc.spec).toStrictEqual({ hubAcceptsClient: true, leaseDurationSeconds: 60 });
    expect(objects.some((o) => o.kind === 'KlusterletAddonConfig')).toBe(false);
  });

  test('extra manifests: OVN local gateway mode as a Network operator manifest', () => {
    const cm = get(objects, 'ConfigMap', 'sno-single-extra-manifests');
    expect(Object.keys(cm.data!)).toStrictEqual(['99-crio-disable-wipe-master.yaml', '99-crio-disable-wipe-worker.yaml', 'cluster-network-03-config.yml']);
    expect(cm.data!['cluster-network-03-config.yml']).toContain('routingViaHost: true');
  });

  test('extra manifests: the telco reference 99-crio-disable-wipe MachineConfigs, byte for byte in their content', () => {
    const cm = get(objects, 'ConfigMap', 'sno-single-extra-manifests');
    for (const role of ['master', 'worker']) {
      const mc = YAML.parse(cm.data![`99-crio-disable-wipe-${role}.yaml`]);
      // openshift-kni/cnf-features-deploy ztp/source-crs/extra-manifest/99-crio-disable-wipe-<role>.yaml
      expect(mc).toStrictEqual({
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        metadata: { labels: { 'machineconfiguration.openshift.io/role': role }, name: `99-crio-disable-wipe-${role}` },
        spec: { config: { ignition: { version: '3.2.0' }, storage: { files: [{
          contents: { source: 'data:text/plain;charset=utf-8;base64,W2NyaW9dCmNsZWFuX3NodXRkb3duX2ZpbGUgPSAiIgo=' },
          mode: 420,
          path: '/etc/crio/crio.conf.d/99-crio-disable-wipe.toml',
        }] } } },
      });
    }
    expect(decodeDataUrl('data:text/plain;charset=utf-8;base64,W2NyaW9dCmNsZWFuX3NodXRkb3duX2ZpbGUgPSAiIgo=')).toBe('[crio]\nclean_shutdown_file = ""\n');
  });
});

describe('dual-NIC SNO with ignored NICs and a pre-created BMC Secret', () => {
  const { objects } = example('sno-dual-nic.yaml');

  test('static address alone on the internal NIC; ignored NICs held without addresses', () => {
    const nm = get(objects, 'NMStateConfig', 'ztpfw-sno-dual-master-0');
    expect(nm.spec.interfaces).toStrictEqual([{ name: 'eno1', macAddress: '3c:ec:ef:10:30:01' }, { name: 'eno2', macAddress: '3c:ec:ef:10:30:02' }]);
    const [ext, int, ...ignored] = nm.spec.config.interfaces;
    expect(ext.ipv4).toStrictEqual({ enabled: true, dhcp: true, 'auto-dns': true, 'auto-gateway': true, 'auto-routes': true });
    expect(int).toStrictEqual({
      name: 'eno2', type: 'ethernet', state: 'up', 'mac-address': '3c:ec:ef:10:30:02',
      ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.168.7.10', 'prefix-length': 24 }] }, ipv6: { enabled: false },
    });
    expect(ignored).toStrictEqual(['eno3', 'eno4'].map((name) => ({ name, type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } })));
  });

  test('no dispatcher where no node is single-NIC; BMH names the pre-created Secret', () => {
    const disc = ignitionOf(get(objects, 'InfraEnv', 'sno-dual').spec.ignitionConfigOverride);
    expect(disc.storage!.files.map((f) => f.path)).toStrictEqual(['/etc/hosts']);
    const bmh = get(objects, 'BareMetalHost', 'ztpfw-sno-dual-master-0');
    expect(bmh.spec.bmc.credentialsName).toBe('sno-dual-bmc');
    expect(bmh.spec.rootDeviceHints).toStrictEqual({ deviceName: '/dev/disk/by-path/pci-0000:00:17.0-ata-1' });
    const host = ignitionOf(bmh.metadata.annotations!['bmac.agent-install.openshift.io/ignition-config-overrides']);
    expect(host.storage!.files.map((f) => f.path)).toStrictEqual([
      '/etc/systemd/system/kubelet.service.d/30-ztpfw-nodenet.conf', '/etc/systemd/system/crio.service.d/30-ztpfw-nodenet.conf',
    ]);
  });
});

describe('compact cluster with TPM and a cluster-level network plan', () => {
  const { objects } = example('compact-tpm.yaml');
  const aci = get(objects, 'AgentClusterInstall', 'compact-tpm');

  test('three control-plane agents, VIPs from the cluster network, TPM encryption, schedulable masters', () => {
    expect(aci.spec.provisionRequirements).toStrictEqual({ controlPlaneAgents: 3 });
    expect(aci.spec.apiVIPs).toStrictEqual(['172.22.0.243']);
    expect(aci.spec.ingressVIPs).toStrictEqual(['172.22.0.242']);
    expect(aci.spec.networking.machineNetwork).toStrictEqual([{ cidr: '172.22.0.0/24' }]);
    expect(aci.spec.diskEncryption).toStrictEqual({ mode: 'tpmv2', enableOn: 'all' });
    expect(aci.spec.mastersSchedulable).toBe(true);
  });

  test('discovery ISO maps the API name to the API VIP; each node has its own address', () => {
    const ign = ignitionOf(get(objects, 'InfraEnv', 'compact-tpm').spec.ignitionConfigOverride);
    expect(fileText(ign, '/etc/hosts')).toBe('172.22.0.243 api.compact-tpm.factory.example.com\n');
    for (const n of [0, 1, 2]) {
      const nm = get(objects, 'NMStateConfig', `ztpfw-compact-tpm-master-${n}`);
      expect(nm.spec.config.interfaces[1].ipv4.address).toStrictEqual([{ ip: `172.22.0.1${n}`, 'prefix-length': 24 }]);
    }
  });
});

describe('3+1', () => {
  const { objects } = example('three-plus-one.yaml');

  test('the worker joins day-1: ACI counts it, its BMH carries the worker role', () => {
    expect(get(objects, 'AgentClusterInstall', 'edgecluster1').spec.provisionRequirements).toStrictEqual({ controlPlaneAgents: 3, workerAgents: 1 });
    const bmh = get(objects, 'BareMetalHost', 'ztpfw-edgecluster1-worker-0');
    expect(bmh.metadata.annotations!['bmac.agent-install.openshift.io/role']).toBe('worker');
    expect(get(objects, 'ManagedCluster', 'edgecluster1').metadata.labels!['ztpfw.io/topology']).toBe('standard');
  });

  test('discovery table lists every single-NIC node once', () => {
    const script = fileText(ignitionOf(get(objects, 'InfraEnv', 'edgecluster1').spec.ignitionConfigOverride), '/etc/NetworkManager/dispatcher.d/pre-up.d/99-ztpfw-internal-address');
    const table = script.split("<<'ZTPFW_TABLE'\n")[1].split('\nZTPFW_TABLE')[0];
    expect(table.split('\n')).toStrictEqual([
      'aa:bb:cc:dd:b0:10 192.168.7.10/24', 'aa:bb:cc:dd:b0:11 192.168.7.11/24', 'aa:bb:cc:dd:b0:12 192.168.7.12/24', 'aa:bb:cc:dd:b0:19 192.168.7.20/24',
    ]);
  });
});

describe('fleet-wide settings', () => {
  test('FIPS off drops the override annotation; the SSH key reaches ACI and InfraEnv', () => {
    const { objects } = example('custom-registry.yaml');
    const aci = get(objects, 'AgentClusterInstall', 'sno-regmirror');
    expect(aci.metadata.annotations?.['agent-install.openshift.io/install-config-overrides']).toBeUndefined();
    expect(aci.spec.sshPublicKey).toMatch(/^ssh-ed25519 /);
    expect(get(objects, 'InfraEnv', 'sno-regmirror').spec.sshAuthorizedKey).toBe(aci.spec.sshPublicKey);
  });

  test('ACM_ENABLED adds a KlusterletAddonConfig with only the policy add-on', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/sno-single-nic.yaml'), 'utf8').replace('BASE_DOMAIN: factory.example.com', 'BASE_DOMAIN: factory.example.com\n  ACM_ENABLED: true');
    const { objects, fleet } = render(tempFleet(text));
    expect(fleet.config.acmEnabled).toBe(true);
    const kac = get(objects, 'KlusterletAddonConfig', 'sno-single');
    expect(kac.metadata.namespace).toBe('sno-single');
    expect(kac.spec).toStrictEqual({
      clusterName: 'sno-single', clusterNamespace: 'sno-single',
      policyController: { enabled: true }, applicationManager: { enabled: false }, certPolicyController: { enabled: false }, searchCollector: { enabled: false },
    });
    expect(kac.metadata.annotations![SYNC_WAVE_ANNOTATION]).toBe(String(Wave.REGISTRATION));
  });
});

describe('every example', () => {
  const all = ['sno-single-nic.yaml', 'sno-dual-nic.yaml', 'compact-tpm.yaml', 'three-plus-one.yaml', 'custom-registry.yaml'];

  test.each(all)('%s: waves order Namespace < config/NMState < install CRs < registration < hosts', (name) => {
    const { objects } = example(name);
    const expected: Record<string, number> = {
      Namespace: Wave.NAMESPACE, ConfigMap: Wave.CONFIG, NMStateConfig: Wave.CONFIG, ClusterDeployment: Wave.INSTALL,
      AgentClusterInstall: Wave.INSTALL, InfraEnv: Wave.INSTALL, ManagedCluster: Wave.REGISTRATION, BareMetalHost: Wave.HOSTS,
    };
    // The mirror-credentials Job (test/charts/mirror-pull-secret.test.ts): RBAC and script with the Namespace, the Job with the config.
    for (const o of install(objects)) {
      const want = isMirrorPullSecret(o) ? (o.kind === 'Job' ? Wave.CONFIG : Wave.NAMESPACE) : expected[o.kind];
      expect([o.kind, o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]).toStrictEqual([o.kind, String(want)]);
    }
    expect(Wave.NAMESPACE < Wave.CONFIG && Wave.CONFIG < Wave.INSTALL && Wave.INSTALL < Wave.REGISTRATION && Wave.REGISTRATION < Wave.HOSTS).toBe(true);
  });

  test.each(all)('%s: explicit names, one cluster per folder, ignition as JSON with overwrite and base64 data URLs', (name) => {
    const { objects, fleet } = example(name);
    for (const o of (install(objects) as (K8sObject & { file: string })[]).filter((x) => !isMirrorPullSecret(x))) {
      const cluster = o.file.split('/')[1];
      expect(fleet.clusters.map((c) => c.name)).toContain(cluster);
      if (o.metadata.namespace !== undefined) expect(o.metadata.namespace).toBe(cluster);
      expect([cluster, `ztpfw-${cluster}-master-0`, `${cluster}-extra-manifests`].some((n) => o.metadata.name === n) || /^ztpfw-.+-(master|worker)-\d+$/.test(o.metadata.name)).toBe(true);
    }
    const overrides = install(objects).flatMap((o) => [o.spec?.ignitionConfigOverride, o.metadata.annotations?.['bmac.agent-install.openshift.io/ignition-config-overrides']]).filter((x): x is string => x !== undefined);
    expect(overrides.length).toBeGreaterThan(0);
    for (const text of overrides) {
      expect(text).not.toContain('"override"');
      const ign = ignitionOf(text);
      for (const f of ign.storage?.files ?? []) {
        for (const s of [f.contents, ...(f.append ?? [])].filter((x) => x !== undefined)) expect(s!.source).toMatch(/^data:text\/plain;charset=utf-8;base64,[A-Za-z0-9+/]+=*$/);
        if (f.contents) expect(f.overwrite).toBe(true);
      }
    }
  });
});
