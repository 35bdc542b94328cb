import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { IMAGES, splitImage } from '../../charts/common/images';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';
import {
  ACM_RELEASES, FIXED_CHANNELS, minorNumber, OC_MIRROR, OCP_RELEASES, ocpRelease, PACKAGE_REGISTRIES, replaceVersionsSection, STORAGE_RELEASES, storageRelease, VERSIONS_BEGIN,
} from '../../model/versions';
import { find, renderHubText, SNO_CLUSTER } from '../charts/hub-support';
import { render, ROOT as FLEET_ROOT, tempFleet } from '../charts/install-support';
import { SYNTHETIC_RELEASE_DIGEST } from '../../hack/fleet-generator';

const ROOT = path.resolve(__dirname, '../..');
const hubPackages = (config: Record<string, unknown>, clusters?: string): string[] => {
  const isc = YAML.parse(find(renderHubText(config, clusters), 'ConfigMap', 'imageset-config').data!['imageset-config.yaml']);
  return isc.mirror.operators.flatMap((o: { packages: { name: string }[] }) => o.packages.map((p) => p.name));
};
const STORAGE_SNO = SNO_CLUSTER.replace('      master0:', '      config: { DAY2_BUNDLES: [storage, disconnected] }\n      master0:');

describe('the version table: shape', () => {
  test('OpenShift minors run without a gap from 4.12 to the newest, each with its sources', () => {
    const minors = OCP_RELEASES.map((r) => r.minor);
    expect(minors[0]).toBe('4.12');
    minors.forEach((m, i) => expect(minorNumber(m)).toBe(12 + i));
    for (const r of OCP_RELEASES) {
      expect(r.source.length).toBeGreaterThan(0);
      expect(r.catalogs.redhat).toBe(`registry.redhat.io/redhat/redhat-operator-index:v${r.minor}`);
      expect(r.catalogs.certified).toBe(`registry.redhat.io/redhat/certified-operator-index:v${r.minor}`);
      // The tools image is published as ose-tools-rhel8 up to 4.15 and ose-tools-rhel9 from 4.16.
      expect(r.toolsImage).toBe(`registry.redhat.io/openshift4/ose-tools-rhel${minorNumber(r.minor) >= 16 ? 9 : 8}:v${r.minor}`);
      // ImageDigestMirrorSet/ImageTagMirrorSet came with 4.13.
      expect(r.mirrorSets).toBe(minorNumber(r.minor) >= 13 ? 'idms-itms' : 'icsp');
    }
  });

  test('every ODF/LVMS minor has an OpenShift row, its channels and the odf-operator branch it was read from', () => {
    expect(STORAGE_RELEASES.map((r) => r.minor)).toStrictEqual(OCP_RELEASES.map((r) => r.minor));
    for (const r of STORAGE_RELEASES) {
      expect(r.odfChannel).toBe(`stable-${r.minor}`);
      expect(r.lvmsChannel).toBe(`stable-${r.minor}`);
      expect([...r.odfDependencies]).toStrictEqual([...new Set(r.odfDependencies)].sort());
      expect(r.source.some((s) => s.startsWith(`red-hat-storage/odf-operator@release-${r.minor}:`) && s.endsWith('dependencies.yaml'))).toBe(true);
    }
  });

  test('every ACM minor names its channel, its MCE channel and the multiclusterhub-operator branch', () => {
    const versions = ACM_RELEASES.map((r) => r.acm);
    expect(new Set(versions).size).toBe(versions.length);
    for (const r of ACM_RELEASES) {
      expect(r.acmChannel).toBe(`release-${r.acm}`);
      expect(r.mceChannel).toMatch(/^stable-2\.\d+$/);
      expect(r.source).toContain(`stolostron/multiclusterhub-operator@release-${r.acm}:`);
    }
  });

  test('every fixed channel and every extra registry carries a source; none is the old "carried over" placeholder', () => {
    for (const c of Object.values(FIXED_CHANNELS)) {
      expect(c.source.length).toBeGreaterThan(10);
      expect(c.source).not.toMatch(/carried over/i);
    }
    for (const r of Object.values(PACKAGE_REGISTRIES)) expect(r.source.length).toBeGreaterThan(0);
  });

  test('every OpenShift minor has its own Quay channel, read from a Quay QE job on that minor', () => {
    // Quay follows the OpenShift minor; it is no fixed channel.
    expect(FIXED_CHANNELS['quay-operator']).toBeUndefined();
    for (const r of OCP_RELEASES) {
      expect(r.quay.channel).toMatch(/^stable-3\.\d+$/);
      const file = { '4.21': 'ocp-4.21-quay-cr', '4.22': 'ocp-4.22-quay-lpGA-lp-ocp-compat' }[r.minor] ?? `ocp-4${minorNumber(r.minor)}-quay`;
      expect(r.quay.source).toContain(`ci-operator/config/quay/quay-tests/quay-quay-tests-master__${file}.yaml`);
      // The job named in the source (in that minor's file) tests this Quay release and subscribes this channel.
      const quayVersion = r.quay.channel.replace('stable-3.', '');
      expect(r.quay.source).toMatch(new RegExp(`job [^:]*quay3${quayVersion}\\b`));
      expect(r.quay.source).toContain(`QUAY_OPERATOR_CHANNEL ${r.quay.channel}`);
    }
    // The old single channel (Quay 3.10, late 2023) is no longer subscribed on any minor.
    expect(OCP_RELEASES.filter((r) => r.quay.channel === 'stable-3.10')).toStrictEqual([]);
  });

  test('the OpenShift updates on which the Quay channel goes back are the ones README "Known limits" names', () => {
    const quayMinor = (r: { quay: { channel: string } }) => Number(r.quay.channel.replace('stable-3.', ''));
    const back = OCP_RELEASES.slice(1).filter((r, i) => quayMinor(r) < quayMinor(OCP_RELEASES[i]))
      .map((r) => `${minorNumber(r.minor) - 1}→${minorNumber(r.minor)}`);
    expect(back).toStrictEqual(['12→13', '14→15']);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    for (const step of back) {
      const [from, to] = step.split('→').map((m) => ocpRelease(`4.${m}`)!);
      expect(readme).toContain(`${from.minor} → ${to.minor} (\`${from.quay.channel}\` → \`${to.quay.channel}\`)`);
    }
  });

  test('the README table is the one generated from the module', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(VERSIONS_BEGIN);
    expect(replaceVersionsSection(readme)).toBe(readme);
  });
});

describe('the version table: the rows the known failures name', () => {
  test('ODF dependencies per release (failure 3): 4.14 base set, 4.16, 4.17 and 4.18 additions', () => {
    const deps = (m: string) => [...storageRelease(m)!.odfDependencies];
    expect(deps('4.14')).toStrictEqual(['mcg-operator', 'ocs-operator', 'odf-csi-addons-operator']);
    expect(deps('4.15')).toStrictEqual(deps('4.14'));
    expect(deps('4.16')).toStrictEqual(['mcg-operator', 'ocs-client-operator', 'ocs-operator', 'odf-csi-addons-operator', 'odf-prometheus-operator', 'recipe']);
    expect(deps('4.17')).toStrictEqual([...deps('4.16'), 'cephcsi-operator', 'rook-ceph-operator'].sort());
    expect(deps('4.18')).toStrictEqual([...deps('4.17'), 'odf-dependencies'].sort());
  });

  test('the hub mirror of a storage fleet holds exactly the dependency packages of its ODF release', () => {
    const base = { OC_OCP_VERSION: '4.18.1', OC_ODF_VERSION: '4.18' };
    const packages = hubPackages(base, STORAGE_SNO);
    for (const d of storageRelease('4.18')!.odfDependencies) expect(packages).toContain(d);
    expect(hubPackages({ OC_OCP_VERSION: '4.14.12', OC_ODF_VERSION: '4.14' }, STORAGE_SNO)).not.toContain('odf-dependencies');
  });

  test('the oc-mirror tool is the newest whatever the fleet mirrors, and takes the flag it needs (failure 6)', () => {
    const newest = OCP_RELEASES[OCP_RELEASES.length - 1].minor;
    expect(OC_MIRROR.minor).toBe(newest);
    expect(OC_MIRROR.image).toBe(`registry.redhat.io/openshift4/oc-mirror-plugin-rhel9:v${newest}`);
    // --v2 is GA from 4.18; the tool needs --v1/--v2 from 4.21.
    expect(minorNumber(OC_MIRROR.minor)).toBeGreaterThanOrEqual(minorNumber(OC_MIRROR.explicitFlagSince));
    expect(minorNumber(OC_MIRROR.v2Since)).toBe(18);
    const entry = IMAGES.find((e) => e.key === 'ocMirror')!;
    for (const r of OCP_RELEASES) expect(entry.defaultFor({ ocpMinor: r.minor } as never)).toBe(OC_MIRROR.image);
    const job = find(renderHubText({ OC_OCP_VERSION: '4.13.30', OC_ODF_VERSION: '4.13' }), 'Job', 'oc-mirror');
    // The oc-mirror container is the Job's `mirror` step (between `prepare` and `record`, charts/hub/mirror.ts).
    const spec = job.spec.template.spec;
    const main = [...(spec.initContainers ?? []), ...spec.containers].find((c: { name: string }) => c.name === 'mirror');
    expect(main.image).toBe(OC_MIRROR.image);
    expect(main.env).toContainEqual({ name: 'OC_MIRROR_FLAG', value: '--v1' });
  });

  test('GPU: the certified bundles and the NVIDIA operands come from nvcr.io and registry.connect.redhat.com (failure 4)', () => {
    expect([...PACKAGE_REGISTRIES['gpu-operator-certified'].registries].sort()).toStrictEqual(['nvcr.io', 'registry.connect.redhat.com']);
  });

  test('mirror coverage from one place: every package registry and every image of the image table is redirected on the hub', () => {
    const objs = renderHubText({});
    const idms = find(objs, 'ImageDigestMirrorSet', 'ztpfw-hub-mirror').spec.imageDigestMirrors.map((e: { source: string }) => e.source);
    const itms = find(objs, 'ImageTagMirrorSet', 'ztpfw-hub-mirror').spec.imageTagMirrors.map((e: { source: string }) => e.source);
    const covered = (sources: string[], repo: string) => sources.some((s) => repo === s || repo.startsWith(`${s}/`));
    for (const r of Object.values(PACKAGE_REGISTRIES).flatMap((p) => p.registries)) {
      expect(idms).toContain(r);
      expect(itms).toContain(r);
    }
    const isc = YAML.parse(find(objs, 'ConfigMap', 'imageset-config').data!['imageset-config.yaml']);
    for (const { name } of isc.mirror.additionalImages as { name: string }[]) {
      const { host, path: repo } = splitImage(name);
      expect(covered(itms, `${host}/${repo}`)).toBe(true);
    }
  });

  test('a fleet on a newer minor subscribes and mirrors that minor\'s Quay channel (Subscription, hub and edge ImageSetConfiguration)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-quay-'));
    for (const f of fs.readdirSync(path.join(FLEET_ROOT, 'clusters'))) fs.copyFileSync(path.join(FLEET_ROOT, 'clusters', f), path.join(dir, f));
    const configFile = path.join(dir, 'config.yaml');
    fs.writeFileSync(configFile, fs.readFileSync(configFile, 'utf8')
      .replace('OC_OCP_VERSION: "4.14.25"', 'OC_OCP_VERSION: "4.20.1"')
      .replace(/OC_OCP_RELEASE_DIGEST: "[^"]+"/, `OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"`)
      .replace('OC_ODF_VERSION: "4.14"', 'OC_ODF_VERSION: "4.20"'));
    const { objects } = render(dir);
    const channel = ocpRelease('4.20')!.quay.channel;
    expect(channel).toBe('stable-3.16');
    // The edge registry bundle's Subscription (delivered in a ManifestWork).
    const subs = objects.filter((o) => o.kind === 'ManifestWork')
      .flatMap((o) => (o as { spec: { workload: { manifests: { kind: string; metadata: { name: string }; spec: { channel: string } }[] } } }).spec.workload.manifests)
      .filter((m) => m.kind === 'Subscription' && m.metadata.name === 'quay-operator');
    expect(subs.length).toBeGreaterThan(0);
    for (const s of subs) expect(s.spec.channel).toBe(channel);
    // Every ImageSetConfiguration that mirrors quay-operator (hub and edge) mirrors that channel from the 4.20 index.
    const quayChannels: string[][] = [];
    const iscs = [
      ...objects.filter((o) => o.kind === 'ConfigMap').map((o) => (o as { data?: Record<string, string> }).data?.['imageset-config.yaml']),
      ...objects.filter((o) => o.kind === 'ManifestWork')
        .flatMap((o) => (o as { spec: { workload: { manifests: { kind: string; data?: Record<string, string> }[] } } }).spec.workload.manifests)
        .filter((m) => m.kind === 'ConfigMap').map((m) => m.data?.['imageset-config.yaml']),
    ].filter((t): t is string => t !== undefined);
    for (const text of iscs) {
      for (const op of YAML.parse(text).mirror.operators as { catalog: string; packages: { name: string; channels: { name: string }[] }[] }[]) {
        const q = op.packages.find((p) => p.name === 'quay-operator');
        if (!q) continue;
        expect(op.catalog).toBe('registry.redhat.io/redhat/redhat-operator-index:v4.20');
        quayChannels.push(q.channels.map((c) => c.name));
      }
    }
    // The hub mirror and at least one edge mirror hold Quay.
    expect(quayChannels.length).toBeGreaterThanOrEqual(2);
    for (const c of quayChannels) expect(c).toStrictEqual([channel]);
  });

  test('MCE channel per ACM from the table, including a pair no formula gives (2.17 → stable-2.17)', () => {
    expect(find(renderHubText({ OC_ACM_VERSION: '2.17' }), 'Subscription', 'multicluster-engine').spec.channel).toBe('stable-2.17');
    expect(find(renderHubText({ OC_ACM_VERSION: '2.14', ACM_ENABLED: true }), 'Subscription', 'advanced-cluster-management').spec.channel).toBe('release-2.14');
  });
});

describe('the version table: versions outside it are located errors that name it', () => {
  const errorsOf = (config: string): string[] => {
    const text = `config:\n${config}  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"\n  BASE_DOMAIN: factory.example.com\nedgeclusters: []\n`;
    const result = loadFleet(tempFleet(text));
    return result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d).replace(/^.*?:(\d+:\d+: )/, '$1'));
  };

  test.each([
    ['OpenShift newer than the table', '  OC_OCP_VERSION: "4.99.1"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.14"\n', '2:19: error: OpenShift 4.99.1 is not in the version table (model/versions.ts); supported: 4.12–4.22'],
    ['ODF newer than the table', '  OC_OCP_VERSION: "4.14.12"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.99"\n', '4:19: error: ODF/LVMS 4.99 is not in the version table (model/versions.ts); supported: 4.12–4.22'],
    ['ACM without an MCE', '  OC_OCP_VERSION: "4.14.12"\n  OC_ACM_VERSION: "2.4"\n  OC_ODF_VERSION: "4.14"\n', '3:19: error: ACM 2.4 is not in the version table (model/versions.ts); supported: 2.5–2.17, or set MCE_CHANNEL for an MCE-only hub'],
    ['an MCE channel no ACM subscribes', '  OC_OCP_VERSION: "4.14.12"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.14"\n  MCE_CHANNEL: stable-2.12\n', expect.stringMatching(/^5:16: error: MCE channel stable-2\.12 is not in the version table \(model\/versions\.ts\); supported: stable-2\.0, .*stable-2\.17$/)],
  ])('%s', (_name, config, expected) => {
    expect(errorsOf(config)).toStrictEqual([expected]);
  });

  test('ODF/LVMS newer than OpenShift is an error at OC_ODF_VERSION; older is a warning there; the same minor is neither', () => {
    expect(errorsOf('  OC_OCP_VERSION: "4.14.12"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.16"\n')).toStrictEqual([
      '4:19: error: ODF/LVMS 4.16 is newer than OpenShift 4.14.12: ODF and LVMS run on the OpenShift minor they were released with; set OC_ODF_VERSION to "4.14"',
    ]);
    const older = loadFleet(tempFleet(`config:\n  OC_OCP_VERSION: "4.15.3"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.14"\n  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"\n  BASE_DOMAIN: factory.example.com\nedgeclusters: []\n`));
    expect(older.diagnostics.map((d) => formatDiagnostic(d).replace(/^.*?:(\d+:\d+: )/, '$1'))).toStrictEqual([
      '4:19: warning: ODF/LVMS 4.14 is older than OpenShift 4.15.3: ODF and LVMS support the OpenShift minor they were released with (an older one only while an update is under way); a new install should use "4.15"',
    ]);
    expect(older.fleet).toBeDefined();
    expect(errorsOf('  OC_OCP_VERSION: "4.22.0"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.22"\n')).toStrictEqual([]);
  });

  test('a disconnected fleet on OpenShift 4.12 (ImageContentSourcePolicy only) is an error at OC_OCP_VERSION; a connected one is not', () => {
    const config = '  OC_OCP_VERSION: "4.12.30"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.12"\n';
    expect(errorsOf(config)).toStrictEqual([expect.stringMatching(/^2:19: error: OpenShift 4\.12\.30 cannot run a disconnected fleet: .* use OpenShift 4\.13 or newer \(ImageTagMirrorSet\), or set DISCONNECTED: false/)]);
    expect(errorsOf(`${config}  DISCONNECTED: true\n`)).toStrictEqual([expect.stringContaining('the fleet is disconnected (DISCONNECTED: true)')]);
    expect(errorsOf(`${config}  DISCONNECTED: false\n`)).toStrictEqual([]);
    expect(errorsOf('  OC_OCP_VERSION: "4.13.1"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.13"\n')).toStrictEqual([]);
  });

  test('an MCE-only hub with MCE_CHANNEL may name an ACM version outside the table', () => {
    expect(errorsOf('  OC_OCP_VERSION: "4.14.12"\n  OC_ACM_VERSION: "2.4"\n  OC_ODF_VERSION: "4.14"\n  MCE_CHANNEL: stable-2.4\n')).toStrictEqual([]);
  });
});
