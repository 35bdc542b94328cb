import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { imageFor } from '../../charts/common/images';
import { operatorPackage } from '../../charts/common/operators';
import { LOOKUP_NAME, LOOKUP_SCRIPT } from '../../charts/metallb/lookup';
import { REPO_ROOT, renderFleet } from '../support/render';
import { validateManifest } from '../support/schemas';
import { bundleObjects, deliveredManifests, edgeObjects, FLEET, inputs } from './network-support';
import { shellcheck } from '../support/tools';

const INPUTS = inputs();
const SCRIPT = path.join(REPO_ROOT, 'charts', 'metallb', 'scripts', LOOKUP_SCRIPT);

describe('metallb bundle', () => {
  test.each(INPUTS.map((i) => [i.label, i] as const))('%s: every delivered manifest validates against its pinned schema', (_label, input) => {
    const render = input.render();
    const problems: string[] = [];
    for (const c of input.fleet().clusters) {
      for (const o of bundleObjects(render, c.name, 'metallb')) {
        for (const m of deliveredManifests(o.obj)) {
          for (const p of validateManifest(m)) problems.push(`${o.path}: ${m.kind} ${m.metadata?.name}: ${p}`);
        }
      }
    }
    expect(problems).toStrictEqual([]);
  });

  test.each(INPUTS.map((i) => [i.label, i] as const))('%s: pools, advertisements and the Services the setup UI expects', (_label, input) => {
    const render = input.render();
    const fleet = input.fleet();
    for (const c of fleet.clusters) {
      if (!c.day2Bundles.includes('metallb')) {
        expect(bundleObjects(render, c.name, 'metallb')).toStrictEqual([]);
        continue;
      }
      const edge = edgeObjects(render, c.name, 'metallb');
      const pkg = operatorPackage('metallb-operator');
      expect(pkg.namespace).toBe('metallb');
      expect(edge.slice(0, 3).map((m) => [m.kind, m.metadata.name])).toStrictEqual([
        ['Namespace', 'metallb'], ['OperatorGroup', 'metallb-operatorgroup'], ['Subscription', 'metallb-operator'],
      ]);
      expect(edge[3]).toStrictEqual({ apiVersion: 'metallb.io/v1beta1', kind: 'MetalLB', metadata: { name: 'metallb', namespace: 'metallb' } });

      const pools = edge.filter((m) => m.kind === 'IPAddressPool');
      const job = edge.find((m) => m.kind === 'Job');
      if (c.apiExternalIp && c.ingressExternalIp) {
        expect(pools.map((p) => [p.metadata.name, p.metadata.namespace, p.spec])).toStrictEqual([
          ['api-public-ip', 'metallb', { addresses: [`${c.apiExternalIp}/32`], autoAssign: false }],
          ['ingress-public-ip', 'metallb', { addresses: [`${c.ingressExternalIp}/32`], autoAssign: false }],
        ]);
        expect(job).toBeUndefined();
      } else {
        expect(pools).toStrictEqual([]);
        expect(job.metadata).toStrictEqual({ name: LOOKUP_NAME, namespace: 'metallb' });
      }

      const l2 = edge.filter((m) => m.kind === 'L2Advertisement');
      expect(l2.map((a) => [a.metadata.name, a.metadata.namespace, a.spec])).toStrictEqual([
        ['api-public-ip', 'metallb', { ipAddressPools: ['api-public-ip'], interfaces: ['br-ex'] }],
        ['ingress-public-ip', 'metallb', { ipAddressPools: ['ingress-public-ip'], interfaces: ['br-ex'] }],
      ]);
      const services = edge.filter((m) => m.kind === 'Service');
      expect(services.map((s) => [s.metadata.namespace, s.metadata.name, s.metadata.annotations, s.spec.type, s.spec.ports.map((p: any) => p.port)])).toStrictEqual([
        ['openshift-kube-apiserver', 'metallb-api', { 'metallb.universe.tf/address-pool': 'api-public-ip' }, 'LoadBalancer', [6443]],
        ['openshift-ingress', 'metallb-ingress', { 'metallb.universe.tf/address-pool': 'ingress-public-ip' }, 'LoadBalancer', [80, 443]],
      ]);
      expect(services[0].spec.selector).toStrictEqual({ app: 'openshift-kube-apiserver' });
      expect(services[1].spec.selector).toStrictEqual({ 'ingresscontroller.operator.openshift.io/deployment-ingresscontroller': 'default' });
      // the install family already sets OVN local gateway mode; the bundle must not patch the Network operator again
      expect(edge.filter((m) => m.kind === 'Network')).toStrictEqual([]);
    }
  });

  test('every input has a cluster with the bundle, and both address sources are exercised', () => {
    const clusters = INPUTS.flatMap((i) => i.fleet().clusters.filter((c) => c.day2Bundles.includes('metallb')));
    expect(clusters.some((c) => c.apiExternalIp !== undefined)).toBe(true);
    expect(clusters.some((c) => c.apiExternalIp === undefined)).toBe(true);
  });

  test('in policy mode it waits for the nmstate config policy when that bundle is enabled', () => {
    const render = renderFleet({ yaml: FLEET });
    const first = render.objects.find((o) => o.obj.kind === 'Policy' && o.obj.metadata.name === 'net-metallb-operator')!;
    expect(first.obj.spec.dependencies).toStrictEqual([{ apiVersion: 'policy.open-cluster-management.io/v1', kind: 'Policy', name: 'net-nmstate-config', namespace: 'ztpfw-day2', compliance: 'Compliant' }]);
    expect(render.objects.some((o) => o.obj.kind === 'Policy' && o.obj.metadata.name === 'net-nmstate-config')).toBe(true);
    const second = render.objects.find((o) => o.obj.kind === 'Policy' && o.obj.metadata.name === 'net-metallb-config')!;
    expect(second.obj.spec.dependencies.map((d: any) => d.name)).toStrictEqual(['net-metallb-operator']);
  });

  test('a disabled bundle renders nothing', () => {
    const render = renderFleet({ yaml: FLEET.replace('DAY2_BUNDLES: [nmstate, metallb, disconnected]', 'DAY2_BUNDLES: [nmstate, disconnected]') });
    expect(render.files.filter((f) => f.path.includes('/metallb/'))).toStrictEqual([]);
    expect(render.objects.filter((o) => deliveredManifests(o.obj).some((m) => m.apiVersion?.startsWith('metallb.io/')))).toStrictEqual([]);
  });
});

describe('external address lookup Job (no API_EXTERNAL_IP/INGRESS_EXTERNAL_IP)', () => {
  const render = renderFleet('examples/three-plus-one.yaml');
  const edge = edgeObjects(render, 'edgecluster1', 'metallb');
  const of = (kind: string) => edge.filter((m) => m.kind === kind);
  const job = of('Job')[0];

  test('runs the script file from its ConfigMap, with the tools image, bounded retries and a deadline', () => {
    const cm = of('ConfigMap').find((m) => m.metadata.name === `${LOOKUP_NAME}-scripts`);
    expect(cm.data[LOOKUP_SCRIPT]).toBe(fs.readFileSync(SCRIPT, 'utf8'));
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'scripts', configMap: { name: cm.metadata.name, defaultMode: 0o555 } });
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toStrictEqual(['/bin/bash', `/scripts/${LOOKUP_SCRIPT}`]);
    const fleet = INPUTS.find((i) => i.label === 'examples/three-plus-one.yaml')!.fleet();
    expect(container.image).toBe(imageFor(fleet.config, 'tools'));
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      API_NAME: 'api.edgecluster1.factory.example.com',
      INGRESS_NAME: 'console-openshift-console.apps.edgecluster1.factory.example.com',
      INTERNAL_NETWORK: fleet.clusters[0].internalNetwork,
      NAMESPACE: 'metallb', API_POOL: 'api-public-ip', INGRESS_POOL: 'ingress-public-ip',
    });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    // status comes back to the hub in manifestwork mode
    const mw = bundleObjects(render, 'edgecluster1', 'metallb').find((o) => o.obj.metadata.name === 'ztpfw-metallb-config')!;
    expect(mw.obj.spec.manifestConfigs.map((c: any) => c.resourceIdentifier)).toStrictEqual([{ group: 'batch', resource: 'jobs', name: LOOKUP_NAME, namespace: 'metallb' }]);
  });

  test('its own ServiceAccount may read NodeNetworkStates and write the two pools, nothing more', () => {
    expect(job.spec.template.spec.serviceAccountName).toBe(LOOKUP_NAME);
    expect(of('ServiceAccount').map((m) => [m.metadata.name, m.metadata.namespace])).toStrictEqual([[LOOKUP_NAME, 'metallb']]);
    const sa = { kind: 'ServiceAccount', name: LOOKUP_NAME, namespace: 'metallb' };
    const crb = of('ClusterRoleBinding')[0];
    expect(crb.subjects).toStrictEqual([sa]);
    expect(of('ClusterRole').find((r) => r.metadata.name === crb.roleRef.name).rules).toStrictEqual([
      { apiGroups: ['nmstate.io'], resources: ['nodenetworkstates'], verbs: ['get', 'list'] },
    ]);
    const rb = of('RoleBinding')[0];
    expect(rb.subjects).toStrictEqual([sa]);
    const role = of('Role').find((r) => r.metadata.name === rb.roleRef.name && r.metadata.namespace === rb.metadata.namespace);
    expect(role.rules).toStrictEqual([
      { apiGroups: ['metallb.io'], resources: ['ipaddresspools'], resourceNames: ['api-public-ip', 'ingress-public-ip'], verbs: ['get', 'patch'] },
      { apiGroups: ['metallb.io'], resources: ['ipaddresspools'], verbs: ['create'] },
    ]);
    // and the script calls exactly those APIs
    const calls = [...fs.readFileSync(SCRIPT, 'utf8').matchAll(/\boc (\w+)(?: (\S+))?/g)].map((m) => `${m[1]} ${m[2] ?? ''}`.trim());
    expect(calls).toStrictEqual(['get nodenetworkstates', 'apply -f']);
  });

  test('passes shellcheck', () => {
    expect(shellcheck(SCRIPT)).toBe('');
  });
});

/**
 * The script run for real with stand-ins for `oc` and `dig` on PATH: `dig` answers from a table
 * `<server|-> <name> <address>`, `oc get nodenetworkstates` prints a fixture (or fails), `oc apply` records its input.
 */
describe('external-address-lookup.sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-lookup-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'dig'), `#!/bin/bash
server=-; name=
for a in "$@"; do case "$a" in @*) server="\${a#@}";; +*|A) ;; *) name="$a";; esac; done
awk -v s="$server" -v n="$name" '$1 == s && $2 == n { print $3 }' "${dir}/dns"
`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'bin', 'oc'), `#!/bin/bash
case "$1" in
  get) [ -f "${dir}/nns.json" ] && cat "${dir}/nns.json" || { echo 'the server does not have that resource' >&2; exit 1; } ;;
  apply) cat > "${dir}/applied.json" ;;
  *) exit 2 ;;
esac
`, { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const nns = (servers: string[]) => fs.writeFileSync(path.join(dir, 'nns.json'), JSON.stringify({
    items: [{ status: { currentState: { 'dns-resolver': { running: { server: servers } } } } }, { status: { currentState: {} } }],
  }));
  const dns = (lines: string[]) => fs.writeFileSync(path.join(dir, 'dns'), lines.map((l) => `${l}\n`).join(''));
  const run = () => {
    const r = spawnSync('bash', [SCRIPT], {
      encoding: 'utf8',
      env: {
        PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
        API_NAME: 'api.c.example.com', INGRESS_NAME: 'console.apps.c.example.com', INTERNAL_NETWORK: '192.168.7.0/24',
        NAMESPACE: 'metallb', API_POOL: 'api-public-ip', INGRESS_POOL: 'ingress-public-ip',
      },
    });
    const file = path.join(dir, 'applied.json');
    return { status: r.status, stderr: r.stderr, applied: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined };
  };

  test('asks the nodes\' DHCP DNS servers before the pod resolver and applies two /32 pools', () => {
    nns(['10.0.0.53']);
    dns(['- api.c.example.com 192.168.7.243', '- console.apps.c.example.com 192.168.7.242', '10.0.0.53 api.c.example.com 10.1.0.5', '10.0.0.53 console.apps.c.example.com 10.1.0.6']);
    const r = run();
    expect(r.status).toBe(0);
    expect(r.applied.kind).toBe('List');
    expect(r.applied.items.map((p: any) => [p.kind, p.metadata.name, p.metadata.namespace, p.spec])).toStrictEqual([
      ['IPAddressPool', 'api-public-ip', 'metallb', { addresses: ['10.1.0.5/32'], autoAssign: false }],
      ['IPAddressPool', 'ingress-public-ip', 'metallb', { addresses: ['10.1.0.6/32'], autoAssign: false }],
    ]);
    for (const p of r.applied.items) expect(validateManifest(p)).toStrictEqual([]);
  });

  test('refuses internal answers (the cluster\'s own DNS) and says which keys to set', () => {
    dns(['- api.c.example.com 192.168.7.243', '- console.apps.c.example.com 192.168.7.242']);
    const r = run();
    expect(r.status).toBe(1);
    expect(r.applied).toBeUndefined();
    expect(r.stderr).toContain('192.168.7.243, which is not usable: it is inside the internal network 192.168.7.0/24');
    expect(r.stderr).toContain('set API_EXTERNAL_IP and INGRESS_EXTERNAL_IP');
  });

  test('refuses several addresses, loopback answers and one address for both names', () => {
    nns(['10.0.0.53', '10.0.0.54']);
    dns(['10.0.0.53 api.c.example.com 10.1.0.5', '10.0.0.53 api.c.example.com 10.1.0.7', '10.0.0.54 api.c.example.com 127.0.0.1', '- api.c.example.com 10.1.0.9', '- console.apps.c.example.com 10.1.0.9']);
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('api.c.example.com has several addresses');
    expect(r.stderr).toContain('it is a loopback address');
    expect(r.stderr).toContain('both resolve to 10.1.0.9');
    expect(r.applied).toBeUndefined();
  });
});
