import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet, splitIfaces } from '../../model/loader';
import { SYNTHETIC_RELEASE_DIGEST } from '../../hack/fleet-generator';

const ROOT = path.resolve(__dirname, '../..');

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-loader-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const CONFIG = `config:
  OC_OCP_VERSION: "4.14.12"
  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"
  OC_ACM_VERSION: "2.9"
  OC_ODF_VERSION: "4.14"
  BASE_DOMAIN: factory.example.com
`;

/** One SNO cluster; its BMC is told apart by the last byte of the MAC unless `bmc` names one. */
const sno = (name: string, mac: string, bmc = `redfish-virtualmedia://10.0.0.${parseInt(mac.slice(-2), 16) || 1}/redfish/v1/Systems/1`) => `edgeclusters:
  - ${name}:
      master0:
        nic_ext_dhcp: eno1
        mac_ext_dhcp: "${mac}"
        bmc_url: ${bmc}
        root_disk: /dev/sda
        storage_disk: [/dev/sdb]
`;

/** The documented defaults of the cluster settings, as the fleet and every cluster without overrides carry them. */
const DEFAULT_SETTINGS = {
  internalNetwork: '192.168.7.0/24',
  apiVip: '192.168.7.243',
  ingressVip: '192.168.7.242',
  clusterNetwork: '10.128.0.0/14',
  clusterNetworkHostPrefix: 23,
  serviceNetwork: '172.30.0.0/16',
  fips: true,
  sshPublicKey: undefined,
  day2Delivery: 'manifestwork',
  day2Bundles: ['nmstate', 'metallb', 'storage', 'registry', 'ui', 'disconnected'],
};

describe('loadFleet: valid inputs', () => {
  test('parses the single-NIC SNO example into the exact defaulted model', () => {
    // WHEN
    const result = loadFleet(path.join(ROOT, 'examples/sno-single-nic.yaml'));

    // THEN
    expect(result.diagnostics).toStrictEqual([]);
    expect(result.inlineCredentials).toStrictEqual([]);
    expect(result.fleet?.config).toStrictEqual({
      ocpVersion: '4.14.25',
      ocpMinor: '4.14',
      ocpTag: '4.14.25-x86_64',
      releaseDigest: 'sha256:a0ef946ef8ae75aef726af1d9bbaad278559ad8cab2c1ed1088928a0087990b6',
      releaseImage: 'quay.io/openshift-release-dev/ocp-release@sha256:a0ef946ef8ae75aef726af1d9bbaad278559ad8cab2c1ed1088928a0087990b6',
      clusterImageSet: 'openshift-v4.14.25',
      rhcosRelease: undefined,
      acmVersion: '2.9',
      odfVersion: '4.14',
      registry: undefined,
      acmEnabled: false,
      mceChannel: 'stable-2.4',
      ocMirrorWorkspaceSize: '100Gi',
      disconnected: true,
      hubLvms: true,
      hubStorageClass: 'lvms-vg1',
      hubAppsDomain: 'apps.hub.factory.example.com',
      rhcosImagesUrl: 'https://mirror.openshift.com/pub/openshift-v4/x86_64/dependencies/rhcos/4.14/4.14.0',
      registryCa: undefined,
      git: undefined,
      imageOverrides: { tools: undefined, httpd: undefined, registry: undefined, ocMirror: undefined, ui: undefined },
      baseDomain: 'factory.example.com',
      defaults: DEFAULT_SETTINGS,
    });
    expect(result.fleet?.clusters).toStrictEqual([
      {
        name: 'sno-single',
        file: path.join(ROOT, 'examples/sno-single-nic.yaml'),
        topology: 'sno',
        state: 'configure',
        removedNodes: [],
        contrib: {},
        tpm: false,
        apiFqdn: 'api.sno-single.factory.example.com',
        gateway: '192.168.7.1',
        pullSecretName: 'assisted-deployment-pull-secret',
        extraManifestsName: 'sno-single-extra-manifests',
        ...DEFAULT_SETTINGS,
        apiExternalIp: undefined,
        ingressExternalIp: undefined,
        nodes: [
          {
            key: 'master0',
            role: 'master',
            index: 0,
            hostname: 'ztpfw-sno-single-master-0',
            extNic: { name: 'eno1', mac: '3c:ec:ef:10:20:01' },
            intNic: undefined,
            internalIp: '192.168.7.10',
            internalPrefix: 24,
            bmcAddress: 'redfish-virtualmedia://10.10.0.11/redfish/v1/Systems/1',
            bmc: { secretName: 'ztpfw-sno-single-master-0-bmc', source: 'inline' },
            rootDisk: '/dev/nvme0n1',
            storageDisks: ['/dev/nvme1n1'],
            ignoreIfaces: [],
          },
        ],
      },
    ]);
  });

  test('reads the 3+1 sample: topology, node order, addresses, ignored NICs, and credentials kept apart', () => {
    const result = loadFleet(path.join(ROOT, 'examples/three-plus-one.yaml'));
    const cluster = result.fleet!.clusters[0];

    expect(cluster.topology).toBe('standard');
    expect(cluster.nodes.map((n) => [n.key, n.hostname, n.internalIp])).toStrictEqual([
      ['master0', 'ztpfw-edgecluster1-master-0', '192.168.7.10'],
      ['master1', 'ztpfw-edgecluster1-master-1', '192.168.7.11'],
      ['master2', 'ztpfw-edgecluster1-master-2', '192.168.7.12'],
      ['worker0', 'ztpfw-edgecluster1-worker-0', '192.168.7.20'],
    ]);
    expect(cluster.nodes[0].ignoreIfaces).toStrictEqual(['eno1', 'eno2']);
    expect(cluster.nodes[3].storageDisks).toStrictEqual(['/dev/sdb', '/dev/sdc', '/dev/sde', '/dev/sdd']);
    expect(result.inlineCredentials).toStrictEqual(
      ['master-0', 'master-1', 'master-2', 'worker-0'].map((n) => ({
        cluster: 'edgecluster1', secretName: `ztpfw-edgecluster1-${n}-bmc`, username: 'user-bmc', password: 'user-pass',
      })),
    );
    // the plaintext passwords are a warning each, located at the bmc_pass key
    expect(result.diagnostics.map((d) => `${d.line}:${d.col}:${d.severity}`)).toStrictEqual(['29:9:warning', '42:9:warning', '55:9:warning', '67:9:warning']);
    expect(JSON.stringify(result.fleet)).not.toContain('user-pass');
  });

  test('cluster config overrides the fleet network plan; VIPs follow a changed internal network', () => {
    const cluster = loadFleet(path.join(ROOT, 'examples/compact-tpm.yaml')).fleet!.clusters[0];
    expect(cluster).toMatchObject({
      topology: 'compact', tpm: true, internalNetwork: '172.22.0.0/24', apiVip: '172.22.0.243', ingressVip: '172.22.0.242', gateway: '172.22.0.1',
    });
    expect(cluster.nodes.map((n) => n.internalIp)).toStrictEqual(['172.22.0.10', '172.22.0.11', '172.22.0.12']);
    expect(cluster.nodes[1].intNic).toStrictEqual({ name: 'ens1f1', mac: 'b8:ce:f6:40:00:21' });
  });

  test('custom registry, release digest, fleet-wide FIPS off and SSH key', () => {
    const fleet = loadFleet(path.join(ROOT, 'examples/custom-registry.yaml')).fleet!;
    expect(fleet.config.registry).toStrictEqual({ address: 'registry.factory.example.com:5000', host: 'registry.factory.example.com', port: 5000 });
    expect(fleet.config.releaseImage).toBe('quay.io/openshift-release-dev/ocp-release@sha256:a0ef946ef8ae75aef726af1d9bbaad278559ad8cab2c1ed1088928a0087990b6');
    expect(fleet.clusters[0]).toMatchObject({ fips: false, internalNetwork: '10.77.0.0/24', apiVip: '10.77.0.243' });
    expect(fleet.clusters[0].sshPublicKey).toMatch(/^ssh-ed25519 /);
  });

  test('a pre-created BMC Secret is referenced by name and needs no credentials', () => {
    const result = loadFleet(path.join(ROOT, 'examples/sno-dual-nic.yaml'));
    const node = result.fleet!.clusters[0].nodes[0];
    expect(node.bmc).toStrictEqual({ secretName: 'sno-dual-bmc', source: 'external' });
    expect(node.ignoreIfaces).toStrictEqual(['eno3', 'eno4']);
    expect(node.rootDisk).toBe('/dev/disk/by-path/pci-0000:00:17.0-ata-1');
    expect(node.storageDisks).toStrictEqual(['/dev/disk/by-path/pci-0000:00:17.0-ata-2']);
  });

  test('unquoted versions are read as written (4.10 is not 4.1) and unquoted 4.20 stays 4.20', () => {
    const dir = tempDir({ 'f.yaml': CONFIG.replace('"4.14.12"', '"4.20.1"').replace('"4.14"', '4.20').replace('"2.9"', '2.10') + sno('a', '52:54:00:00:00:01') });
    const fleet = loadFleet(path.join(dir, 'f.yaml')).fleet!;
    expect(fleet.config.odfVersion).toBe('4.20');
    expect(fleet.config.acmVersion).toBe('2.10');
  });

  test('ignore_ifaces accepts space- or comma-separated strings and lists', () => {
    expect(splitIfaces('eno1 eno2')).toStrictEqual(['eno1', 'eno2']);
    expect(splitIfaces('eno1,eno2')).toStrictEqual(['eno1', 'eno2']);
    expect(splitIfaces(' eno1 ,  eno2 ')).toStrictEqual(['eno1', 'eno2']);
    expect(splitIfaces(['eno1', 'eno2'])).toStrictEqual(['eno1', 'eno2']);
    expect(splitIfaces(null)).toStrictEqual([]);
  });
});

describe('loadFleet: folder layout', () => {
  test('one config file plus one file per cluster, in file-name order', () => {
    const dir = tempDir({ '00-config.yaml': CONFIG, 'b.yaml': sno('bravo', '52:54:00:00:00:02'), 'a.yml': sno('alpha', '52:54:00:00:00:01'), 'notes.txt': 'ignored' });
    const result = loadFleet(dir);
    expect(result.diagnostics).toStrictEqual([]);
    expect(result.fleet!.clusters.map((c) => [c.name, path.basename(c.file)])).toStrictEqual([['alpha', 'a.yml'], ['bravo', 'b.yaml']]);
  });

  test('the demonstration fleet in clusters/ is valid', () => {
    const result = loadFleet(path.join(ROOT, 'clusters'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toStrictEqual([]);
    expect(result.fleet!.clusters.map((c) => c.topology).sort()).toStrictEqual(['compact', 'sno', 'standard']);
  });

  test('fails if a cluster name is used in two files, pointing at the first definition', () => {
    const dir = tempDir({ 'config.yaml': CONFIG, 'a.yaml': sno('same', '52:54:00:00:00:01'), 'b.yaml': sno('same', '52:54:00:00:00:02') });
    const lines = loadFleet(dir).diagnostics.map(formatDiagnostic);
    expect(lines).toStrictEqual([
      `${path.join(dir, 'b.yaml')}:2:5: error: duplicate cluster name "same" (first defined at ${path.join(dir, 'a.yaml')}:2:5); cluster names must be unique in the fleet`,
    ]);
  });

  test('fails if a MAC address is used in two files', () => {
    const dir = tempDir({ 'config.yaml': CONFIG, 'a.yaml': sno('a', '52:54:00:00:00:01'), 'b.yaml': sno('b', '52:54:00:00:00:01', 'redfish-virtualmedia://10.0.0.2/redfish/v1/Systems/1') });
    const lines = loadFleet(dir).diagnostics.map(formatDiagnostic);
    expect(lines).toStrictEqual([
      `${path.join(dir, 'b.yaml')}:5:23: error: MAC address 52:54:00:00:00:01 is already used by a/master0.mac_ext_dhcp (${path.join(dir, 'a.yaml')}:5:23); MAC addresses must be unique in the fleet`,
    ]);
  });

  test('fails if one BMC drives nodes in two files, however the scheme, case and trailing slash differ, pointing at the first', () => {
    // GIVEN: the same machine through another protocol; another system of the same BMC host is another machine
    const dir = tempDir({
      'config.yaml': CONFIG,
      'a.yaml': sno('a', '52:54:00:00:00:01', 'redfish-virtualmedia://10.0.0.9/redfish/v1/Systems/1'),
      'b.yaml': sno('b', '52:54:00:00:00:02', 'idrac-virtualmedia://10.0.0.9/redfish/v1/systems/1/'),
      'c.yaml': sno('c', '52:54:00:00:00:03', 'redfish-virtualmedia://10.0.0.9/redfish/v1/Systems/2'),
    });

    // WHEN
    const lines = loadFleet(dir).diagnostics.map(formatDiagnostic);

    // THEN
    expect(lines).toStrictEqual([
      `${path.join(dir, 'b.yaml')}:6:18: error: "bmc_url" drives the same BMC as a/master0.bmc_url (${path.join(dir, 'a.yaml')}:6:18); BMC addresses must be unique in the fleet (compared without the scheme, which only picks the protocol): two hosts on one BMC would install one machine twice`,
    ]);
  });

  test('fails if two files hold a config section', () => {
    const dir = tempDir({ 'a.yaml': CONFIG, 'b.yaml': CONFIG });
    expect(loadFleet(dir).diagnostics.map(formatDiagnostic)).toStrictEqual([
      `${path.join(dir, 'b.yaml')}:1:1: error: a second "config:" section; the fleet config is already in ${path.join(dir, 'a.yaml')} (keep exactly one)`,
    ]);
  });

  test('fails if no file holds the config section', () => {
    const dir = tempDir({ 'a.yaml': sno('a', '52:54:00:00:00:01') });
    const [d] = loadFleet(dir).diagnostics;
    expect(formatDiagnostic(d)).toBe(`${path.join(dir, 'a.yaml')}:1:1: error: no file in the folder has a "config:" section; add one hub-level file (e.g. config.yaml) with config: OC_OCP_VERSION, OC_ACM_VERSION, OC_ODF_VERSION, BASE_DOMAIN`);
  });

  test('fails on a missing input and on an empty folder, at line 1', () => {
    expect(loadFleet('does/not/exist').diagnostics.map(formatDiagnostic)).toStrictEqual([
      'does/not/exist:1:1: error: cannot read input "does/not/exist": no such file or folder (pass --input with a fleet file or folder)',
    ]);
    const empty = tempDir({});
    expect(loadFleet(empty).diagnostics.map(formatDiagnostic)).toStrictEqual([
      `${empty}:1:1: error: folder holds no .yaml file; add a config file and one file per edge cluster`,
    ]);
  });

  test('reports problems of all files at once', () => {
    const dir = tempDir({
      'config.yaml': CONFIG.replace('BASE_DOMAIN', 'BASE_DOMAINS'),
      'a.yaml': sno('a', 'zz:54:00:00:00:01'),
      'b.yaml': sno('B', '52:54:00:00:00:02'),
    });
    const lines = loadFleet(dir).diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.col}`);
    expect(lines).toStrictEqual(['a.yaml:5:23', 'b.yaml:2:5', 'config.yaml:2:3', 'config.yaml:6:3']);
  });
});

describe('loadFleet: a disconnected fleet pins its release by digest', () => {
  /** The fleet config of CONFIG without the digest, with `extra` keys appended. */
  const byTag = (extra = '') => `${CONFIG.replace(/^ {2}OC_OCP_RELEASE_DIGEST: .*\n/m, '')}${extra}`;
  const HINT = (tag: string) => `set OC_OCP_RELEASE_DIGEST to the output of: oc adm release info -o 'jsonpath={.digest}' quay.io/openshift-release-dev/ocp-release:${tag}`;

  test('without OC_OCP_RELEASE_DIGEST it is an error at OC_OCP_VERSION that says why and how to get the digest, reported with the cluster errors', () => {
    // GIVEN the default (disconnected) fleet by tag, and a cluster with an error of its own
    const dir = tempDir({ 'config.yaml': byTag(), 'a.yaml': sno('a', 'zz:54:00:00:00:01') });

    // WHEN
    const result = loadFleet(dir);

    // THEN both are reported, the release at the value of OC_OCP_VERSION (line 2, after "OC_OCP_VERSION: ")
    expect(result.fleet).toBeUndefined();
    const lines = result.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.col}: ${d.severity}`);
    expect(lines).toStrictEqual(['a.yaml:5:23: error', 'config.yaml:2:19: error']);
    const message = result.diagnostics.find((d) => d.file.endsWith('config.yaml'))!.message;
    expect(message).toBe('OC_OCP_RELEASE_DIGEST is required: the fleet is disconnected (DISCONNECTED defaults to true), and the mirror redirects '
      + 'only pulls by digest, so quay.io/openshift-release-dev/ocp-release:4.14.12-x86_64 by tag would be pulled from the internet and the '
      + `install would fail; ${HINT('4.14.12-x86_64')} (or set DISCONNECTED: false for a fleet whose clusters reach quay.io)`);
  });

  test('the hint names the tag the fleet gave (OC_OCP_TAG); DISCONNECTED: true and a factory REGISTRY need the digest too', () => {
    const explicit = loadFleet(tempDir({ 'config.yaml': byTag('  DISCONNECTED: true\n  OC_OCP_TAG: "4.14.12-x86_64-hotfix"\n'), 'a.yaml': sno('a', '52:54:00:00:00:01') }));
    expect(explicit.diagnostics.map((d) => d.message)).toStrictEqual([
      expect.stringMatching(/^OC_OCP_RELEASE_DIGEST is required: the fleet is disconnected \(DISCONNECTED: true\), .*/),
    ]);
    expect(explicit.diagnostics[0].message).toContain(HINT('4.14.12-x86_64-hotfix'));
    const registry = loadFleet(tempDir({ 'config.yaml': byTag('  REGISTRY: registry.factory.example.com:5000\n'), 'a.yaml': sno('a', '52:54:00:00:00:01') }));
    expect(registry.fleet).toBeUndefined();
    expect(registry.diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}`)).toStrictEqual(['2:19: error']);
  });

  test('a connected fleet (DISCONNECTED: false) keeps working by tag; with a digest it installs by digest', () => {
    const connected = loadFleet(tempDir({ 'config.yaml': byTag('  DISCONNECTED: false\n'), 'a.yaml': sno('a', '52:54:00:00:00:01') }));
    expect(connected.diagnostics).toStrictEqual([]);
    expect(connected.fleet!.config.releaseImage).toBe('quay.io/openshift-release-dev/ocp-release:4.14.12-x86_64');
    const pinned = loadFleet(tempDir({ 'config.yaml': `${CONFIG}  DISCONNECTED: false\n`, 'a.yaml': sno('a', '52:54:00:00:00:01') }));
    expect(pinned.fleet!.config.releaseImage).toBe(`quay.io/openshift-release-dev/ocp-release@${SYNTHETIC_RELEASE_DIGEST}`);
  });
});
