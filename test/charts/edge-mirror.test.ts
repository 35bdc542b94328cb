/**
 * The edge-mirror bundle: the edge copies its image set from the hub registry into its own Quay, and in
 * `STATE: standalone` a Job switches its mirror sets and catalogs to that Quay, never before the mirror completed.
 */
import { OC_MIRROR, requireOcp } from '../../model/versions';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { imageFor } from '../../charts/common/images';
import { EDGE_MIRROR_NAME, HUB_MIRROR_NAME } from '../../charts/common/mirror-shape';
import { clusterBundles, packagesOf } from '../../charts/common/operators';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';
import { checkDay2 } from '../support/day2';
import { hasPinnedSchema, validateManifest } from '../support/schemas';
import { apiCalls, expectRulesMatchCalls } from './hub-support';
import { render, ROOT, tempFleet } from './install-support';
import { shellcheck } from '../support/tools';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const SCRIPTS = path.join(ROOT, 'charts', 'edge-mirror', 'scripts');
const CLUSTERS = path.join(ROOT, 'clusters');
const POLICY = path.join(ROOT, 'examples', 'policy-delivery.yaml');

/** The demo fleet (a folder) as one file, with `STATE: standalone` on the named clusters. */
function fleetText(input: string, standalone: readonly string[] = []): string {
  const docs = fs.statSync(input).isDirectory()
    ? fs.readdirSync(input).filter((f) => f.endsWith('.yaml')).sort().map((f) => YAML.parse(fs.readFileSync(path.join(input, f), 'utf8')))
    : [YAML.parse(fs.readFileSync(input, 'utf8'))];
  const config = docs.find((d) => d.config)?.config;
  const clusters = docs.flatMap((d) => d.edgeclusters ?? []);
  for (const item of clusters) {
    const [name] = Object.keys(item);
    if (standalone.includes(name)) item[name].config = { ...(item[name].config ?? {}), STATE: 'standalone' };
  }
  return YAML.stringify({ config, edgeclusters: clusters });
}

function renderText(text: string) {
  return render(tempFleet(text));
}

/** Rendered objects as loose JSON (the tests read arbitrary fields). */
const objs = (r: { readonly objects: readonly unknown[] }) => r.objects as Obj[];
const mine = (o: Obj, cluster?: string) => new RegExp(`^clusters/${cluster ?? '[^/]+'}/edge-mirror/`).test(o.file);

function unwrap(carriers: readonly Obj[]): { carrier: Obj; manifest: Obj }[] {
  return carriers.flatMap((o) => {
    if (o.kind === 'ManifestWork') return o.spec.workload.manifests.map((m: Obj) => ({ carrier: o, manifest: m }));
    if (o.kind === 'Policy') return o.spec['policy-templates'].flatMap((t: Obj) => t.objectDefinition.spec['object-templates'].map((ot: Obj) => ({ carrier: o, manifest: ot.objectDefinition })));
    return [];
  });
}

const configure = renderText(fleetText(CLUSTERS));
const standalone = renderText(fleetText(CLUSTERS, ['sno-01']));
const policy = renderText(fleetText(POLICY));
const policyStandalone = renderText(fleetText(POLICY, ['gpu-compact']));
const renders = { configure, standalone, policy, policyStandalone };

const delivered = (r: typeof configure, cluster: string) => unwrap(objs(r).filter((o) => mine(o, cluster)));
const manifest = (r: typeof configure, cluster: string, kind: string, name: string) => {
  const hit = delivered(r, cluster).find((d) => d.manifest.kind === kind && d.manifest.metadata.name === name);
  if (!hit) throw new Error(`no ${kind} ${name} for ${cluster}`);
  return hit.manifest;
};
/** The objects the switch applies, parsed from its ConfigMap. */
const switchObjects = (r: typeof configure, cluster: string) => {
  const cm = manifest(r, cluster, 'ConfigMap', 'registry-switch-objects');
  return Object.keys(cm.data).filter((k) => k.endsWith('.yaml')).sort().map((k) => YAML.parse(cm.data[k]) as Obj);
};

describe('which clusters mirror', () => {
  test('every cluster of a disconnected fleet with the registry and disconnected bundles, in both delivery modes', () => {
    const folders = (r: typeof configure) => [...new Set(objs(r).filter((o) => mine(o)).map((o) => o.file.split('/')[1]))].sort();
    expect(folders(configure)).toStrictEqual(['compact-01', 'edge-3p1-01', 'sno-01']);
    // sno-policy in the policy example has no registry bundle.
    expect(folders(policy)).toStrictEqual(['gpu-compact']);
  });

  test('not for a connected fleet, nor without the registry bundle, nor before configure', () => {
    const connected = fleetText(CLUSTERS).replace('config:\n', 'config:\n  DISCONNECTED: false\n');
    expect(objs(renderText(connected)).filter((o) => mine(o))).toStrictEqual([]);
    const installing = YAML.parse(fleetText(CLUSTERS));
    for (const item of installing.edgeclusters) { const [n] = Object.keys(item); item[n].config = { ...(item[n].config ?? {}), STATE: 'install' }; }
    expect(objs(renderText(YAML.stringify(installing))).filter((o) => mine(o))).toStrictEqual([]);
  });

  test('STATE standalone is refused, at its key, where there is nothing to switch to', () => {
    const noRegistry = fleetText(POLICY, ['sno-policy']);
    const r = loadFleet(tempFleet(noRegistry, 'bad.yaml'));
    expect(r.fleet).toBeUndefined();
    expect(r.diagnostics.map(formatDiagnostic).join('\n')).toMatch(/bad\.yaml:\d+:\d+: error: STATE "standalone" switches the edge from the hub mirror to its own registry, but DAY2_BUNDLES lacks registry/);
    const connected = loadFleet(tempFleet(fleetText(CLUSTERS, ['sno-01']).replace('config:\n', 'config:\n  DISCONNECTED: false\n'), 'c.yaml'));
    expect(connected.fleet).toBeUndefined();
    expect(connected.diagnostics.map(formatDiagnostic).join('\n')).toMatch(/c\.yaml:\d+:\d+: error: STATE "standalone" .* the fleet is not disconnected/);
  });
});

describe('delivered manifests', () => {
  test('each one (and each object the switch applies) validates; OperatorHub has no pinned schema', () => {
    let checked = 0;
    const unpinned = new Set<string>();
    for (const r of Object.values(renders)) {
      const clusters = [...new Set(objs(r).filter((o) => mine(o)).map((o) => o.file.split('/')[1]))];
      for (const c of clusters) {
        const all = [...delivered(r, c).map((d) => d.manifest), ...(delivered(r, c).some((d) => d.manifest.metadata.name === 'registry-switch-objects') ? switchObjects(r, c) : [])];
        for (const m of all) {
          if (!hasPinnedSchema(m.apiVersion, m.kind)) { unpinned.add(m.kind); continue; }
          expect([m.kind, m.metadata.name, validateManifest(m)]).toStrictEqual([m.kind, m.metadata.name, []]);
          checked++;
        }
      }
      for (const p of objs(r).filter((o) => mine(o) && o.kind === 'Policy')) {
        for (const t of p.spec['policy-templates']) expect(validateManifest(t.objectDefinition)).toStrictEqual([]);
      }
    }
    expect([...unpinned]).toStrictEqual(['OperatorHub']);
    expect(checked).toBeGreaterThan(60);
  });

  test('day-2 checks stay green in every mode and state', () => {
    for (const r of Object.values(renders)) expect(checkDay2(r.objects as unknown as Parameters<typeof checkDay2>[0])).toStrictEqual([]);
  });

  test('no Secret is delivered and no credential is rendered', () => {
    for (const r of Object.values(renders)) {
      const ds = objs(r).filter((o) => mine(o));
      expect(unwrap(ds).filter((d) => d.manifest.kind === 'Secret')).toStrictEqual([]);
      // Scripts mention credentials by name; every other ConfigMap value must not carry one.
      const data = unwrap(ds).filter((d) => d.manifest.kind === 'ConfigMap' && !d.manifest.metadata.name.endsWith('-scripts')).map((d) => JSON.stringify(d.manifest.data));
      expect(data.length).toBeGreaterThan(0);
      for (const v of data) expect(v).not.toMatch(/auths|password|BEGIN CERTIFICATE/);
    }
  });
});

describe('the image set', () => {
  const isc = (r: typeof configure, c: string) => YAML.parse(manifest(r, c, 'ConfigMap', 'edge-mirror-config').data['imageset-config.yaml']);
  const hubIsc = (r: typeof configure) => YAML.parse(objs(r).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'imageset-config')!.data['imageset-config.yaml']);

  test('the release pinned by image, the packages of the cluster\'s own bundles, the images the edge runs', () => {
    for (const [r, c] of [[configure, 'sno-01'], [configure, 'edge-3p1-01'], [policy, 'gpu-compact']] as const) {
      const cluster = r.fleet.clusters.find((x) => x.name === c)!;
      const s = isc(r, c);
      expect(s.apiVersion).toBe('mirror.openshift.io/v2alpha1');
      expect(s.mirror.platform).toStrictEqual({ architectures: ['amd64'], release: r.fleet.config.releaseImage, graph: false });
      const names = s.mirror.operators.flatMap((o: Obj) => o.packages.map((p: Obj) => p.name)).sort();
      const own = packagesOf(clusterBundles(cluster)).flatMap((p) => [p.name, ...(p.dependencies?.(r.fleet.config) ?? [])]);
      expect(names).toStrictEqual([...new Set(own)].sort());
      // Hub-only operators never reach an edge.
      expect(names).not.toContain('multicluster-engine');
      expect(names).not.toContain('openshift-gitops-operator');
      const images = s.mirror.additionalImages.map((i: Obj) => i.name);
      expect(images).toContain(r.fleet.config.imageOverrides.tools ?? requireOcp(r.fleet.config.ocpMinor).toolsImage);
      expect(images.includes(imageFor(r.fleet.config, 'ui'))).toBe(cluster.day2Bundles.includes('ui'));
      expect(images.some((i: string) => i.includes('library/registry'))).toBe(false);
    }
    const gpu = isc(policy, 'gpu-compact').mirror.operators.find((o: Obj) => o.catalog.includes('certified'));
    expect(gpu.packages).toStrictEqual([{ name: 'gpu-operator-certified', channels: [{ name: 'v23.9', minVersion: '23.9.1', maxVersion: '23.9.1' }] }]);
  });

  test('a subset of what the hub mirrored: same catalogs, same channels', () => {
    for (const [r, c] of [[configure, 'compact-01'], [policy, 'gpu-compact']] as const) {
      const hub = new Map<string, Obj>();
      for (const o of hubIsc(r).mirror.operators) for (const p of o.packages) hub.set(`${o.catalog} ${p.name}`, p);
      for (const o of isc(r, c).mirror.operators) for (const p of o.packages) {
        expect(hub.get(`${o.catalog} ${p.name}`)?.channels.map((x: Obj) => x.name)).toEqual(expect.arrayContaining(p.channels.map((x: Obj) => x.name)));
      }
    }
  });

  test('registries.conf reads every source from the hub layout, a registry port kept whole (F2, F22)', () => {
    const conf = manifest(configure, 'sno-01', 'ConfigMap', 'edge-mirror-config').data['registries.conf'];
    expect(conf).toContain('location = "quay.io/openshift-release-dev/ocp-release"\nmirror-by-digest-only = false\n\n[[registry.mirror]]\nlocation = "ztpfw-registry.apps.hub.factory.example.com/openshift/release-images"');
    const custom = renderText(fleetText(path.join(ROOT, 'examples', 'custom-registry.yaml')));
    const cluster = custom.fleet.clusters.find((c) => c.day2Bundles.includes('registry'))!;
    const address = custom.fleet.config.registry!.address;
    expect(address).toMatch(/:\d+$/);
    const customConf = manifest(custom, cluster.name, 'ConfigMap', 'edge-mirror-config').data['registries.conf'];
    expect(customConf).toContain(`location = "${address}/redhat/redhat-operator-index"`.replace('/redhat/redhat-operator-index', ''));
    for (const line of customConf.split('\n').filter((l: string) => l.startsWith('location = "') && l.includes(custom.fleet.config.registry!.host))) {
      expect(line).toContain(address);
    }
  });
});

describe('the switch', () => {
  test('rendered only in STATE standalone, which also stops the hub-shaped disconnected bundle', () => {
    const stagesOf = (r: typeof configure, c: string) => objs(r).filter((o) => mine(o, c) && (o.kind === 'ManifestWork' || o.kind === 'Policy')).map((o) => o.metadata.name).sort();
    expect(stagesOf(configure, 'sno-01')).toStrictEqual(['ztpfw-edge-mirror-mirror']);
    expect(stagesOf(standalone, 'sno-01')).toStrictEqual(['ztpfw-edge-mirror-mirror', 'ztpfw-edge-mirror-switch']);
    expect(stagesOf(standalone, 'compact-01')).toStrictEqual(['ztpfw-edge-mirror-mirror']);
    expect(stagesOf(policyStandalone, 'gpu-compact')).toStrictEqual(['gpu-compact-edge-mirror-mirror', 'gpu-compact-edge-mirror-switch']);
    const disconnected = (r: typeof configure, c: string) => objs(r).filter((o) => o.file.startsWith(`clusters/${c}/disconnected/`)).length;
    expect(disconnected(configure, 'sno-01')).toBeGreaterThan(0);
    expect(disconnected(standalone, 'sno-01')).toBe(0);
    expect(disconnected(standalone, 'compact-01')).toBeGreaterThan(0);
    // Nothing but the edge-mirror Job applies the switch objects: no delivered object names them.
    for (const d of delivered(standalone, 'sno-01')) expect(['ImageDigestMirrorSet', 'ImageTagMirrorSet', 'CatalogSource', 'OperatorHub']).not.toContain(d.manifest.kind);
  });

  test('policy mode: mirror after the registry, switch after the mirror; in standalone nothing waits for the dropped disconnected bundle', () => {
    const deps = (r: typeof configure, name: string) => objs(r).find((o) => o.kind === 'Policy' && o.metadata.name === name)!.spec.dependencies?.map((d: Obj) => d.name) ?? [];
    expect(deps(policyStandalone, 'gpu-compact-edge-mirror-mirror')).toStrictEqual(['gpu-compact-registry-quay']);
    expect(deps(policyStandalone, 'gpu-compact-edge-mirror-switch')).toStrictEqual(['gpu-compact-edge-mirror-mirror']);
    expect(deps(policy, 'gpu-compact-registry-operator')).toContain('gpu-compact-disconnected-olm');
    expect(deps(policyStandalone, 'gpu-compact-registry-operator')).not.toContain('gpu-compact-disconnected-olm');
  });

  test('the switch objects point at the edge Quay, replace the hub shape under the same catalog names, and every image they name is verified first', () => {
    const r = standalone;
    const host = 'ztpfw-registry-quay-ztpfw-registry.apps.sno-01.factory.example.com';
    const objects = switchObjects(r, 'sno-01');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toStrictEqual(['CatalogSource/redhat-operators', `ImageDigestMirrorSet/${EDGE_MIRROR_NAME}`, `ImageTagMirrorSet/${EDGE_MIRROR_NAME}`, 'OperatorHub/cluster']);
    const idms = objects.find((o) => o.kind === 'ImageDigestMirrorSet')!;
    for (const m of idms.spec.imageDigestMirrors) expect(m.mirrors).toStrictEqual([expect.stringMatching(new RegExp(`^${host}/ztpfw(/|$)`))]);
    const verify = manifest(r, 'sno-01', 'ConfigMap', 'registry-switch-objects').data['verify-images.txt'].trim().split('\n');
    for (const cs of objects.filter((o) => o.kind === 'CatalogSource')) expect(verify).toContain(cs.spec.image);
    // The release by its digest (the fleet is disconnected, so the loader required OC_OCP_RELEASE_DIGEST).
    expect(verify).toContain(`${host}/ztpfw/openshift/release-images@${r.fleet.config.releaseDigest}`);
    expect(verify).toContain(`${host}/ztpfw/openshift4/ose-tools-rhel8:v4.14`);
    const env = Object.fromEntries(manifest(r, 'sno-01', 'Job', 'registry-switch').spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
    expect(env.HUB_MIRROR_NAME).toBe(HUB_MIRROR_NAME);
    expect(env.HUB_MIRROR_RESOURCES).toBe('imagedigestmirrorsets.config.openshift.io imagetagmirrorsets.config.openshift.io');
  });
});

describe('Jobs', () => {
  const jobsOf = (r: typeof configure, c: string) => delivered(r, c).filter((d) => d.manifest.kind === 'Job');

  test('own ServiceAccount, backoffLimit, deadline, images from the table, RBAC covering exactly the API calls of their scripts', () => {
    const d = delivered(standalone, 'sno-01');
    const jobs = jobsOf(standalone, 'sno-01');
    expect(jobs.map((j) => j.manifest.metadata.name).sort()).toStrictEqual(['edge-mirror', 'registry-switch']);
    for (const j of jobs) {
      const job = j.manifest;
      const ns = job.metadata.namespace;
      const spec = job.spec.template.spec;
      expect(spec.serviceAccountName).toBe(job.metadata.name);
      expect(d.some((x) => x.manifest.kind === 'ServiceAccount' && x.manifest.metadata.name === job.metadata.name)).toBe(true);
      expect(job.spec.backoffLimit).toBeGreaterThan(0);
      expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      const same = d.filter((x) => x.carrier === j.carrier).map((x) => x.manifest);
      const bound = (kind: string, b: Obj) => same.find((m) => m.kind === kind && m.metadata.name === b.roleRef.name && (kind === 'ClusterRole' || m.metadata.namespace === b.metadata.namespace))!;
      const subjectIsJob = (b: Obj) => b.subjects.some((s: Obj) => s.name === job.metadata.name && s.namespace === ns);
      const rules = [
        ...same.filter((m) => m.kind === 'ClusterRoleBinding' && subjectIsJob(m)).flatMap((b) => bound('ClusterRole', b).rules.map((rule: Obj) => ({ namespace: undefined as string | undefined, rule }))),
        ...same.filter((m) => m.kind === 'RoleBinding' && subjectIsJob(m)).flatMap((b) => bound('Role', b).rules.map((rule: Obj) => ({ namespace: b.metadata.namespace as string | undefined, rule }))),
      ];
      const cm = same.find((m) => m.kind === 'ConfigMap' && m.metadata.name === `${job.metadata.name}-scripts`)!;
      const containers = [...(spec.initContainers ?? []), ...spec.containers];
      const calls = containers.flatMap((c: Obj) => {
        const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
        let script: string = cm.data[c.command[1].replace('/scripts/', '')];
        const extra: { verb: string; resource: string; namespace?: string; name?: string; line: string }[] = [];
        // `oc image info` talks to a registry, not the API. `oc apply -f <file>` applies the switch ConfigMap's objects;
        // `oc delete "$resource" …` runs once per hub mirror-set resource.
        script = script.split('\n').filter((l) => !/oc image info/.test(l)).join('\n');
        if (/oc apply --server-side/.test(script)) {
          for (const o of switchObjects(standalone, 'sno-01')) {
            const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
            const plural = `${o.kind.toLowerCase()}s`;
            for (const verb of ['get', 'create', 'patch']) extra.push({ verb, resource: `${group}/${plural}`, namespace: o.metadata.namespace, name: verb === 'create' ? undefined : o.metadata.name, line: 'oc apply' });
          }
          script = script.split('\n').filter((l) => !/oc apply --server-side/.test(l)).join('\n');
        }
        if (/oc delete "\$resource"/.test(script)) {
          for (const res of env.HUB_MIRROR_RESOURCES.split(' ')) {
            const [plural, ...g] = res.split('.');
            extra.push({ verb: 'delete', resource: `${g.join('.')}/${plural}`, name: env.HUB_MIRROR_NAME, line: 'oc delete' });
          }
          script = script.split('\n').filter((l) => !/oc delete "\$resource"/.test(l)).join('\n');
        }
        script = script.replace(/oc get job /g, 'oc get jobs.batch ');
        return [...apiCallsWithJobs(script, env), ...extra];
      });
      expect(calls.length).toBeGreaterThan(2);
      expectRulesMatchCalls(job.metadata.name, rules, calls);
    }
    const mirror = manifest(standalone, 'sno-01', 'Job', 'edge-mirror').spec.template.spec;
    // The newest oc-mirror (it has --v2) whatever minor the fleet runs (version table).
    expect(mirror.containers[0].image).toBe(OC_MIRROR.image);
    expect(mirror.initContainers[0].image).toBe('registry.redhat.io/openshift4/ose-tools-rhel8:v4.14');
    // Credentials stay in memory; only the blob cache is on disk.
    expect(mirror.volumes.find((v: Obj) => v.name === 'tmp').emptyDir).toStrictEqual({ medium: 'Memory' });
    expect(mirror.volumes.find((v: Obj) => v.name === 'workspace').emptyDir).toStrictEqual({});
  });

  test.each(fs.readdirSync(SCRIPTS).filter((f) => f.endsWith('.sh')))('%s is valid bash, passes shellcheck and prints no secret', (file) => {
    const p = path.join(SCRIPTS, file);
    execFileSync('bash', ['-n', p]);
    expect(shellcheck(p)).toBe('');
    expect(fs.readFileSync(p, 'utf8')).not.toMatch(/set -[a-z]*x|curl -k|--insecure|echo[^\n]*\$(pass|password|token|secret)\b/);
  });
});

/** apiCalls knows the hub's resources; the edge scripts also read Jobs. */
function apiCallsWithJobs(script: string, env: Readonly<Record<string, string>>) {
  const jobs: { verb: string; resource: string; namespace?: string; name?: string; line: string }[] = [];
  const rest = script.split('\n').filter((l) => {
    const m = /oc get jobs\.batch "?\$MIRROR_JOB"? -n "?\$NAMESPACE"?/.exec(l);
    if (m) jobs.push({ verb: 'get', resource: 'batch/jobs', namespace: env.NAMESPACE, name: env.MIRROR_JOB, line: l.trim() });
    return !m;
  });
  return [...apiCalls(rest.join('\n'), env), ...jobs];
}

describe('edge-mirror.sh against a stub oc-mirror', () => {
  function run(behaviour: 'ok' | 'fail' | 'skipped-images') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-mirror-'));
    const bin = path.join(dir, 'bin'); const config = path.join(dir, 'config'); const auth = path.join(dir, 'auth'); const ws = path.join(dir, 'ws');
    for (const d of [bin, config, auth, ws, path.join(dir, 'home')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(config, 'registries.conf'), 'conf');
    fs.writeFileSync(path.join(config, 'imageset-config.yaml'), 'isc');
    fs.writeFileSync(path.join(auth, 'ca.pem'), 'CA\n');
    fs.writeFileSync(path.join(dir, 'system.pem'), 'SYSTEM\n');
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(path.join(bin, 'oc-mirror'), `#!/bin/bash
echo "oc-mirror $* conf=$CONTAINERS_REGISTRIES_CONF auth=$REGISTRY_AUTH_FILE ca=$(cat "$SSL_CERT_FILE" | tr '\\n' ' ')" >> ${log}
case ${behaviour} in
  fail) exit 1 ;;
  skipped-images) mkdir -p ${ws}/work/working-dir/logs; echo "registry.redhat.io/x@sha256:1 unauthorized" > ${ws}/work/working-dir/logs/mirroring_errors_1.txt ;;
esac
exit 0
`, { mode: 0o755 });
    const r = spawnSync('bash', [path.join(SCRIPTS, 'edge-mirror.sh')], {
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: path.join(dir, 'home'), EDGE_MIRROR: 'quay.edge/ztpfw', MAX_ATTEMPTS: '2', RETRY_SECONDS: '0', CONFIG_DIR: config, AUTH_DIR: auth, WORKSPACE: ws, SYSTEM_CA_BUNDLE: path.join(dir, 'system.pem') },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, calls, output: r.stdout + r.stderr, dir };
  }

  test('mirror to mirror into the edge Quay, sources through the hub registries.conf, CAs appended to the system roots', () => {
    const r = run('ok');
    expect(r.status).toBe(0);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]).toBe(`oc-mirror --v2 --config ${r.dir}/config/imageset-config.yaml --workspace file://${r.dir}/ws/work --cache-dir ${r.dir}/ws/cache docker://quay.edge/ztpfw conf=${r.dir}/config/registries.conf auth=${r.dir}/auth/containers/auth.json ca=SYSTEM CA`);
    expect(r.output).toMatch(/mirror complete: quay.edge\/ztpfw/);
  });

  test.each(['fail', 'skipped-images'] as const)('%s: retried, then the Job fails (so the switch never runs)', (behaviour) => {
    const r = run(behaviour);
    expect(r.status).not.toBe(0);
    expect(r.calls).toHaveLength(2);
    expect(r.output).toMatch(/the edge mirror is incomplete after 2 attempts/);
    expect(r.output).not.toMatch(/mirror complete/);
  });
});

describe('registry-switch.sh against a stub oc', () => {
  const objects = switchObjects(standalone, 'sno-01');
  function run(scenario: { job: 'Complete' | 'Failed' | 'running'; missing?: string }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switch-'));
    const bin = path.join(dir, 'bin'); const sw = path.join(dir, 'switch');
    fs.mkdirSync(bin); fs.mkdirSync(sw);
    const cm = manifest(standalone, 'sno-01', 'ConfigMap', 'registry-switch-objects');
    for (const [k, v] of Object.entries(cm.data)) fs.writeFileSync(path.join(sw, k), v as string);
    fs.writeFileSync(path.join(dir, 'system.pem'), 'SYSTEM\n');
    const log = path.join(dir, 'calls.log');
    const job = scenario.job === 'running' ? { status: { active: 1 } } : { status: { conditions: [{ type: scenario.job, status: 'True' }] } };
    const admin = { data: { username: Buffer.from('ztpfwadmin').toString('base64'), password: Buffer.from('s3cr3t-pass').toString('base64') } };
    const cas = { data: { 'ztpfw-registry-quay-ztpfw-registry.apps.sno-01.factory.example.com': '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n' } };
    fs.writeFileSync(path.join(bin, 'oc'), `#!/bin/bash
echo "oc $*" >> ${log}
case "$1 $2" in
  "get job") echo '${JSON.stringify(job)}' ;;
  "get secret") echo '${JSON.stringify(admin)}' ;;
  "get configmap") echo '${JSON.stringify(cas).replace(/\n/g, '\\n')}' ;;
  "image info")
    for a in "$@"; do [ "$a" = "${scenario.missing ?? 'none'}" ] && exit 1; done
    # The registry credentials reach oc through the auth file, and the CA through SSL_CERT_FILE.
    jq -r '.auths[].auth' "\${3#--registry-config=}" | base64 -d | grep -q '^ztpfwadmin:s3cr3t-pass$' || exit 3
    grep -q 'BEGIN CERTIFICATE' "$SSL_CERT_FILE" || exit 4 ;;
esac
exit 0
`, { mode: 0o755 });
    const env = Object.fromEntries(manifest(standalone, 'sno-01', 'Job', 'registry-switch').spec.template.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
    const r = spawnSync('bash', [path.join(SCRIPTS, 'registry-switch.sh')], {
      encoding: 'utf8',
      env: { ...env, PATH: `${bin}:${process.env.PATH}`, HOME: dir, TMPDIR: dir, WAIT_SECONDS: '0', SWITCH_DIR: sw, SYSTEM_CA_BUNDLE: path.join(dir, 'system.pem') },
    });
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, calls, output: r.stdout + r.stderr };
  }
  const changes = (calls: string[]) => calls.filter((c) => /^oc (apply|delete|patch|create|replace)/.test(c));

  test('after a complete mirror and a full check: applies every switch object, then removes the hub mirror sets', () => {
    const r = run({ job: 'Complete' });
    expect(r.status).toBe(0);
    const verify = manifest(standalone, 'sno-01', 'ConfigMap', 'registry-switch-objects').data['verify-images.txt'].trim().split('\n');
    expect(r.calls.filter((c) => c.startsWith('oc image info')).length).toBe(verify.length);
    const applied = changes(r.calls);
    expect(applied.slice(0, objects.length).every((c) => c.startsWith('oc apply --server-side --force-conflicts --field-manager=ztpfw-edge-mirror -f '))).toBe(true);
    expect(applied.slice(objects.length)).toStrictEqual([
      `oc delete imagedigestmirrorsets.config.openshift.io ${HUB_MIRROR_NAME} --ignore-not-found`,
      `oc delete imagetagmirrorsets.config.openshift.io ${HUB_MIRROR_NAME} --ignore-not-found`,
    ]);
    expect(r.output).not.toMatch(/s3cr3t|ztpfwadmin:/);
  });

  test.each([
    ['the mirror Job failed', { job: 'Failed' as const }, /mirror Job ztpfw-edge-mirror\/edge-mirror failed/],
    ['the mirror Job is still running at the deadline', { job: 'running' as const }, /is not complete after 0s/],
    ['an image is missing from the edge Quay', { job: 'Complete' as const, missing: 'ztpfw-registry-quay-ztpfw-registry.apps.sno-01.factory.example.com/ztpfw/redhat/redhat-operator-index:v4.14' }, /1 image\(s\) missing from the edge registry; nothing switched/],
  ])('%s: applies nothing, deletes nothing, fails', (_what, scenario, message) => {
    const r = run(scenario);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(message);
    expect(changes(r.calls)).toStrictEqual([]);
  });
});

describe('golden edge-mirror bundle', () => {
  test.each(Object.entries(renders))('%s', (_name, r) => {
    const byPath: Record<string, string> = {};
    for (const f of r.files) if (/^clusters\/[^/]+\/edge-mirror\//.test(f.path)) byPath[f.path] = f.content;
    expect(Object.keys(byPath).length).toBeGreaterThan(0);
    expect(byPath).toMatchSnapshot();
  });
});
