import { App } from 'cdk8s';
import { Day2Bundle, DeliveryMode, Manifest } from '../../charts/common/day2';
import { ZtpChart } from '../../charts/common/chart';
import { diffRenders, FieldChange, fieldChanges, formatPath, lineDiff, ObjectDiff, readable } from '../../cli/diff';
import { formatDiff } from '../../cli/diff-format';
import { groupFlags, ignoredByArgo, riskFlags } from '../../cli/diff-risks';
import { IGNORE_DIFFERENCES } from '../../charts/argocd';
import { renderApp, toYaml } from '../../cli/render';

/** A change reduced to what a reviewer reads: status, path, old → new. */
function brief(c: FieldChange): string {
  const v = (x: unknown) => JSON.stringify(x);
  if (c.status === 'added') return `+ ${formatPath(c.path)} ${v(c.after)}`;
  if (c.status === 'removed') return `- ${formatPath(c.path)} ${v(c.before)}`;
  return c.lines ? `~ ${formatPath(c.path)} (${c.lines.length} diff lines)` : `~ ${formatPath(c.path)} ${v(c.before)} -> ${v(c.after)}`;
}

const obj = (kind: string, name: string, rest: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'ns' }, ...rest });

describe('fieldChanges', () => {
  test.each<[string, unknown, unknown, string[]]>([
    ['scalar changed', { spec: { a: 1 } }, { spec: { a: 2 } }, ['~ spec.a 1 -> 2']],
    ['key added and removed', { spec: { a: 1 } }, { spec: { b: 'x' } }, ['- spec.a 1', '+ spec.b "x"']],
    ['annotation keys are quoted', { metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '1' } } }, { metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '2' } } },
      ['~ metadata.annotations["argocd.argoproj.io/sync-wave"] "1" -> "2"']],
    ['named list items are matched by name, not position', { l: [{ name: 'a', v: 1 }, { name: 'b', v: 1 }] }, { l: [{ name: 'b', v: 2 }, { name: 'a', v: 1 }] }, ['~ l[b].v 1 -> 2']],
    ['embedded manifests are matched by kind/namespace/name', { m: [obj('Namespace', 'x'), obj('Subscription', 's')] }, { m: [obj('Subscription', 's', { spec: { channel: 'b' } })] },
      ['+ m[Subscription/ns/s].spec {"channel":"b"}', '- m[Namespace/ns/x] {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x","namespace":"ns"}}']],
    ['AppProject destinations are matched by namespace', { d: [{ namespace: 'a', server: 's' }, { namespace: 'b', server: 's' }] }, { d: [{ namespace: 'b', server: 's' }, { namespace: 'c', server: 's' }] },
      ['+ d[c] {"namespace":"c","server":"s"}', '- d[a] {"namespace":"a","server":"s"}']],
    ['env, volumes and containers are matched by name', { c: [{ name: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', value: '1' }] }] }, { c: [{ name: 'x', env: [{ name: 'B', value: '2' }] }] },
      ['~ c[x].env[B].value "1" -> "2"', '- c[x].env[A] {"name":"A","value":"1"}']],
    ['unnamed list items by position', { l: [{ a: 1 }, { a: 2 }] }, { l: [{ a: 1 }, { a: 3 }, { a: 4 }] }, ['~ l[1].a 2 -> 3', '+ l[2] {"a":4}']],
    ['strings of a list are a set', { l: ['a', 'b'] }, { l: ['b', 'c'] }, ['+ l[c] "c"', '- l[a] "a"']],
    ['a reordered list is one change', { l: ['a', 'b'] }, { l: ['b', 'a'] }, ['~ l ["a","b"] -> ["b","a"]']],
    ['multi-line strings get a line diff', { data: { s: 'a\nb\nc\n' } }, { data: { s: 'a\nB\nc\n' } }, ['~ data.s (5 diff lines)']],
    ['Secret data is never shown', { kind: 'Secret', apiVersion: 'v1', data: { password: 'czE=' } }, { kind: 'Secret', apiVersion: 'v1', data: { password: 'czI=' } }, ['~ data.password "(hidden)" -> "(hidden)"']],
    ['equal objects', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, []],
  ])('%s', (_, before, after, expected) => {
    expect(fieldChanges(before, after).map(brief)).toStrictEqual(expected);
  });

  test('ownerKind is the innermost object: a Subscription inside a ManifestWork', () => {
    const work = (channel: string) => ({ apiVersion: 'work.open-cluster-management.io/v1', kind: 'ManifestWork', metadata: { name: 'w' }, spec: { workload: { manifests: [obj('Subscription', 's', { spec: { channel } })] } } });
    const [c] = fieldChanges(work('a'), work('b'));
    expect([formatPath(c.path), c.ownerKind]).toStrictEqual(['spec.workload.manifests[Subscription/ns/s].spec.channel', 'Subscription']);
  });
});

describe('readable / lineDiff', () => {
  test('JSON becomes YAML and base64 data URLs of text are decoded', () => {
    const ign = (script: string) => JSON.stringify({ ignition: { version: '3.2.0' }, storage: { files: [{ path: '/x', contents: { source: `data:text/plain;charset=utf-8;base64,${Buffer.from(script).toString('base64')}` } }] } });
    expect(readable(ign('#!/bin/sh\necho hi\n'))).toBe('ignition:\n  version: 3.2.0\nstorage:\n  files:\n    - contents:\n        source: |\n          #!/bin/sh\n          echo hi\n      path: /x\n');
    expect(lineDiff(ign('echo 1\necho 2\n'), ign('echo 1\necho 3\n'))).toStrictEqual([
      '@@ -6,4 +6,4 @@',
      '         source: |',
      '           echo 1',
      '-          echo 2',
      '+          echo 3',
      '       path: /x',
    ]);
  });

  test('binary data URLs stay encoded; text that is not JSON is compared as is', () => {
    const bin = `data:application/octet-stream;base64,${Buffer.from([0, 1, 2, 255]).toString('base64')}`;
    expect(readable(JSON.stringify({ s: bin }))).toBe(`s: ${bin}\n`);
    expect(readable('{ not json')).toBe('{ not json');
  });
});

/** Files of a render keyed by path, from plain objects placed in folders. */
function files(entries: Array<[string, object]>): Map<string, string> {
  return new Map(entries.map(([p, o]) => [p, toYaml(o)]));
}

const bmh = (mac: string, bmc = 'redfish://10.0.0.1', creds = 'h-bmc') => obj('BareMetalHost', 'h', { spec: { bootMACAddress: mac, bmc: { address: bmc, credentialsName: creds } } });

describe('risk flags', () => {
  type Case = [string, Array<[string, object]>, Array<[string, object]>, Array<[string, string, string?]>];
  test.each<Case>([
    ['BareMetalHost removed', [['clusters/a/baremetalhost-h.yaml', bmh('m1')]], [], [['host-deprovisioned', 'BareMetalHost/h']]],
    ['BareMetalHost added is no risk', [], [['clusters/a/baremetalhost-h.yaml', bmh('m1')]], []],
    ['ManagedCluster removed', [['clusters/a/managedcluster-a.yaml', obj('ManagedCluster', 'a')]], [], [['cluster-detached', 'ManagedCluster/a']]],
    ['ClusterDeployment removed', [['clusters/a/clusterdeployment-a.yaml', obj('ClusterDeployment', 'a')]], [], [['install-record-removed', 'ClusterDeployment/a']]],
    ['a detached cluster taken back (preserveOnDelete dropped)', [['clusters/a/clusterdeployment-a.yaml', obj('ClusterDeployment', 'a', { spec: { preserveOnDelete: true } })]],
      [['clusters/a/clusterdeployment-a.yaml', obj('ClusterDeployment', 'a', { spec: {} })]],
      [['cluster-reattached', 'ClusterDeployment/a', 'spec.preserveOnDelete removed']]],
    ['a cluster handed over (preserveOnDelete set) is no re-attach', [['clusters/a/clusterdeployment-a.yaml', obj('ClusterDeployment', 'a', { spec: {} })]],
      [['clusters/a/clusterdeployment-a.yaml', obj('ClusterDeployment', 'a', { spec: { preserveOnDelete: true } })]], []],
    ['Namespace removed', [['hub/namespace-x.yaml', obj('Namespace', 'x')]], [], [['namespace-removed', 'Namespace/x']]],
    ['boot MAC changed', [['clusters/a/baremetalhost-h.yaml', bmh('m1')]], [['clusters/a/baremetalhost-h.yaml', bmh('m2')]],
      [['boot-mac-changed', 'BareMetalHost/h', 'spec.bootMACAddress: "m1" → "m2"']]],
    ['BMC address changed', [['clusters/a/baremetalhost-h.yaml', bmh('m1')]], [['clusters/a/baremetalhost-h.yaml', bmh('m1', 'redfish://10.0.0.2')]],
      [['bmc-address-changed', 'BareMetalHost/h', 'spec.bmc.address: "redfish://10.0.0.1" → "redfish://10.0.0.2"']]],
    ['BMC credentials renamed', [['clusters/a/baremetalhost-h.yaml', bmh('m1')]], [['clusters/a/baremetalhost-h.yaml', bmh('m1', undefined, 'other')]],
      [['secret-reference-changed', 'BareMetalHost/h', 'spec.bmc.credentialsName: "h-bmc" → "other"']]],
    ['pull secret reference changed on an installed cluster', [['clusters/a/infraenv-a.yaml', obj('InfraEnv', 'a', { spec: { pullSecretRef: { name: 'p1' } } })]],
      [['clusters/a/infraenv-a.yaml', obj('InfraEnv', 'a', { spec: { pullSecretRef: { name: 'p2' } } })]],
      [['installed-cluster-install-change', 'InfraEnv/a', 'spec.pullSecretRef.name: "p1" → "p2"'], ['secret-reference-changed', 'InfraEnv/a', 'spec.pullSecretRef.name: "p1" → "p2"']]],
    ['a script named after secrets is no secret reference', [['hub/configmap-s.yaml', obj('ConfigMap', 's', { data: { 'pull-secret.sh': 'a' } })]],
      [['hub/configmap-s.yaml', obj('ConfigMap', 's', { data: { 'pull-secret.sh': 'b' } })]], []],
    ['labels of an install object are not install fields', [['clusters/a/agentclusterinstall-a.yaml', obj('AgentClusterInstall', 'a')]],
      [['clusters/a/agentclusterinstall-a.yaml', { ...obj('AgentClusterInstall', 'a'), metadata: { name: 'a', namespace: 'ns', labels: { x: 'y' } } }]], []],
    ['NMStateConfig interface MAC', [['clusters/a/nmstateconfig-n.yaml', obj('NMStateConfig', 'n', { spec: { interfaces: [{ name: 'eno1', macAddress: 'm1' }] } })]],
      [['clusters/a/nmstateconfig-n.yaml', obj('NMStateConfig', 'n', { spec: { interfaces: [{ name: 'eno1', macAddress: 'm2' }] } })]],
      [['installed-cluster-install-change', 'NMStateConfig/n', 'spec.interfaces[eno1].macAddress: "m1" → "m2"'], ['boot-mac-changed', 'NMStateConfig/n', 'spec.interfaces[eno1].macAddress: "m1" → "m2"']]],
    ['more than three install fields are counted', [['clusters/a/agentclusterinstall-a.yaml', obj('AgentClusterInstall', 'a', { spec: { a: 1, b: 1, c: 1, d: 1, e: 1 } })]],
      [['clusters/a/agentclusterinstall-a.yaml', obj('AgentClusterInstall', 'a', { spec: { a: 2, b: 2, c: 2, d: 2, e: 2 } })]],
      [['installed-cluster-install-change', 'AgentClusterInstall/a', 'spec.a: 1 → 2; spec.b: 1 → 2; spec.c: 1 → 2; 2 more']]],
    ['policy enforce → inform', [['clusters/a/day2/policy-p.yaml', obj('Policy', 'p', { spec: { remediationAction: 'Enforce' } })]],
      [['clusters/a/day2/policy-p.yaml', obj('Policy', 'p', { spec: { remediationAction: 'inform' } })]],
      [['policy-enforce-to-inform', 'Policy/p', 'spec.remediationAction: "Enforce" → "inform"']]],
    ['policy inform → enforce is no risk', [['clusters/a/day2/policy-p.yaml', obj('Policy', 'p', { spec: { remediationAction: 'inform' } })]],
      [['clusters/a/day2/policy-p.yaml', obj('Policy', 'p', { spec: { remediationAction: 'enforce' } })]], []],
    ['Subscription channel', [['hub/subscription-s.yaml', obj('Subscription', 's', { spec: { channel: 'stable-4.13' } })]],
      [['hub/subscription-s.yaml', obj('Subscription', 's', { spec: { channel: 'stable-4.14' } })]],
      [['subscription-channel-changed', 'Subscription/s', 'spec.channel: "stable-4.13" → "stable-4.14"']]],
    ['an intended detach: preserveOnDelete is no install field', [['clusters/a/clusterdeployment-a.yaml', obj('ClusterDeployment', 'a', { spec: { baseDomain: 'x' } })]],
      [['clusters/a/clusterdeployment-a.yaml', obj('ClusterDeployment', 'a', { spec: { baseDomain: 'x', preserveOnDelete: true } })]], []],
    ['a worker removed: the worker count Argo CD ignores is not flagged', [['clusters/a/agentclusterinstall-a.yaml', obj('AgentClusterInstall', 'a', { spec: { provisionRequirements: { controlPlaneAgents: 3, workerAgents: 2 } } })]],
      [['clusters/a/agentclusterinstall-a.yaml', obj('AgentClusterInstall', 'a', { spec: { provisionRequirements: { controlPlaneAgents: 3, workerAgents: 1 } } })]], []],
    ['topology label standard → compact', [['clusters/a/managedcluster-a.yaml', { ...obj('ManagedCluster', 'a'), metadata: { name: 'a', labels: { 'ztpfw.io/topology': 'standard' } } }]],
      [['clusters/a/managedcluster-a.yaml', { ...obj('ManagedCluster', 'a'), metadata: { name: 'a', labels: { 'ztpfw.io/topology': 'compact' } } }]],
      [['topology-changed', 'ManagedCluster/a', 'metadata.labels["ztpfw.io/topology"]: "standard" → "compact"']]],
    ['sync wave', [['hub/job-j.yaml', { ...obj('Job', 'j'), metadata: { name: 'j', annotations: { 'argocd.argoproj.io/sync-wave': '2' } } }]],
      [['hub/job-j.yaml', { ...obj('Job', 'j'), metadata: { name: 'j', annotations: { 'argocd.argoproj.io/sync-wave': '7' } } }]],
      [['sync-wave-changed', 'Job/j', 'metadata.annotations["argocd.argoproj.io/sync-wave"]: "2" → "7"']]],
  ])('%s', (_, base, head, expected) => {
    const flags = riskFlags(diffRenders(files(base), files(head)));
    expect(flags.map((f) => [f.rule, f.object, ...(f.detail ? [f.detail] : [])])).toStrictEqual(expected);
    for (const f of flags) expect(f.explanation).toMatch(/^[A-Z][^\n]+\.$/);
  });

  test('the pointers the rule skips are the ones every rendered Application ignores', () => {
    const ptr = (c: FieldChange) => `/${c.path.map((s) => ('key' in s ? s.key : '')).join('/')}`;
    const aci = fieldChanges(obj('AgentClusterInstall', 'a', { spec: { provisionRequirements: { workerAgents: 2 } } }), obj('AgentClusterInstall', 'a', { spec: { provisionRequirements: { workerAgents: 1 } } }));
    expect(aci.map((c) => [ptr(c), ignoredByArgo(c)])).toStrictEqual([['/spec/provisionRequirements/workerAgents', true]]);
    const rendered = IGNORE_DIFFERENCES.find((d) => d.kind === 'AgentClusterInstall') as { jsonPointers: readonly string[] };
    expect(rendered.jsonPointers).toStrictEqual(['/spec/provisionRequirements']);
  });

  test('flags are grouped by rule, the blast radius first, with counts', () => {
    const aci = (c: string, v: string) => [`clusters/${c}/agentclusterinstall-${c}.yaml`, obj('AgentClusterInstall', c, { spec: { imageSetRef: { name: v } } })] as [string, object];
    const names = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const flags = riskFlags(diffRenders(files(names.map((c) => aci(c, 'openshift-v4.14.12'))), files(names.map((c) => aci(c, 'openshift-v4.14.13')))));
    expect(flags.map((f) => f.rule)).toStrictEqual(['blast-radius', ...names.map(() => 'installed-cluster-install-change')]);
    expect(groupFlags(flags).map((g) => [g.rule, g.count, g.clusters])).toStrictEqual([['blast-radius', 1, 0], ['installed-cluster-install-change', 8, 8]]);
    const text = formatDiff(diffRenders(files(names.map((c) => aci(c, 'a'))), files(names.map((c) => aci(c, 'b')))), flags, { format: 'text', baseLabel: 'b', headLabel: 'h' });
    expect(text.split('\n').slice(3, 13)).toStrictEqual([
      'Risk flags (9 in 2 rules):',
      '  ! 8 clusters changed at once',
      '    More than 5 clusters change in one merge: a mistake reaches all of them together; consider smaller batches.',
      '  ! Install field changed on an installed cluster: 8 objects in 8 clusters',
      '    The object is already in the base, so the cluster is installed: the Assisted Installer rejects or ignores install changes.',
      ...names.slice(0, 5).map((c) => `      clusters/${c} AgentClusterInstall/${c} (spec.imageSetRef.name: "openshift-v4.14.12" → "openshift-v4.14.13")`),
    ]);
    expect(text.split('\n')[13]).toBe('      and 3 more');
  });

  test.each([[5, 5, false], [5, 6, true], [2, 3, true], [3, 3, false]])('blast radius %i with %i clusters changed: flagged %s', (limit, n, flagged) => {
    const head = files(Array.from({ length: n }, (_, i): [string, object] => [`clusters/c${i}/configmap-x.yaml`, obj('ConfigMap', 'x')]));
    const flags = riskFlags(diffRenders(new Map(), head), { blastRadius: limit });
    expect(flags.filter((f) => f.rule === 'blast-radius').map((f) => f.title)).toStrictEqual(flagged ? [`${n} clusters changed at once`] : []);
  });
});

describe('diffRenders', () => {
  test('groups by cluster (day-2 sub-folders included) and ignores kustomizations and layout-only changes', () => {
    const base = new Map([
      ['clusters/a/kustomization.yaml', 'resources: [x]\n'],
      ['clusters/a/configmap-x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "1"}\n'],
      ['hub/configmap-y.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n'],
    ]);
    const head = new Map([
      ['clusters/a/kustomization.yaml', 'resources: [x, day2]\n'],
      ['clusters/a/configmap-x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "2"}\n'],
      ['clusters/a/day2/manifestwork-w.yaml', 'apiVersion: work.open-cluster-management.io/v1\nkind: ManifestWork\nmetadata: {name: w, namespace: a}\n'],
      ['clusters/b/namespace-b.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n'],
      ['hub/configmap-y.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "y"}\n'],
    ]);
    const d = diffRenders(base, head);
    expect(d.objects.map((o: ObjectDiff) => [o.group, o.kind, o.name, o.status, o.changes.map(brief)])).toStrictEqual([
      ['clusters/a', 'ConfigMap', 'x', 'changed', ['~ data.k "1" -> "2"']],
      ['clusters/a', 'ManifestWork', 'w', 'added', []],
      ['clusters/b', 'Namespace', 'b', 'added', []],
    ]);
    expect([d.clusters, d.addedGroups, d.removedGroups]).toStrictEqual([['a', 'b'], ['clusters/b'], []]);
  });
});

/** Renders one Day2Bundle the way synth does, for embedded-manifest diffs over real delivery objects. */
function day2Render(mode: DeliveryMode, channel: string): Map<string, string> {
  const app = new App();
  const chart = new ZtpChart(app, 'c', { outputDir: 'clusters/edge-1/metallb' });
  const ns: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb-system' } };
  const sub: Manifest = { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription', metadata: { name: 'metallb-operator', namespace: 'metallb-system' }, spec: { name: 'metallb-operator', channel } };
  new Day2Bundle(chart, 'b', { cluster: 'edge-1', bundle: 'metallb', mode, stages: [{ name: 'operator', manifests: [ns, sub] }] });
  return new Map(renderApp(app).files.map((f) => [f.path, f.content]));
}

describe('embedded day-2 manifests', () => {
  // The ConfigurationPolicy key is `object-templates` in the CRD; Day2Bundle currently writes `objectTemplates`.
  // Either way the Subscription is found by identity inside the list.
  const templates = (): string => (day2Render('policy', 'stable').get('clusters/edge-1/metallb/policy-edge-1-metallb-operator.yaml')!.includes('object-templates:') ? '["object-templates"]' : '.objectTemplates');
  test.each<[DeliveryMode, string, () => string]>([
    ['manifestwork', 'ManifestWork/ztpfw-metallb-operator', () => 'spec.workload.manifests[Subscription/metallb-system/metallb-operator].spec.channel'],
    ['policy', 'Policy/edge-1-metallb-operator', () => `spec["policy-templates"][ConfigurationPolicy/edge-1-metallb-operator].objectDefinition.spec${templates()}[Subscription/metallb-system/metallb-operator].objectDefinition.spec.channel`],
  ])('%s: a Subscription channel change inside the delivery object is flagged at its path', (mode, object, pathOf) => {
    const path = pathOf();
    const d = diffRenders(day2Render(mode, 'stable'), day2Render(mode, 'stable-4.14'));
    expect(d.objects.map((o) => [o.group, `${o.kind}/${o.name}`, o.changes.map((c) => formatPath(c.path))])).toStrictEqual([['clusters/edge-1', object, [path]]]);
    expect(riskFlags(d).map((f) => [f.rule, f.object, f.detail])).toStrictEqual([['subscription-channel-changed', object, `${path}: "stable" → "stable-4.14"`]]);
  });

  test('policy remediation moved to inform in the ConfigurationPolicy is flagged', () => {
    const base = day2Render('policy', 'stable');
    const [p, text] = [...base].find(([k]) => k.includes('/policy-'))!;
    const head = new Map(base).set(p, text.replace(/remediationAction: enforce/, 'remediationAction: inform'));
    expect(head.get(p)).not.toBe(text);
    expect(riskFlags(diffRenders(base, head)).map((f) => [f.rule, f.detail])).toStrictEqual([
      ['policy-enforce-to-inform', 'spec["policy-templates"][ConfigurationPolicy/edge-1-metallb-operator].objectDefinition.spec.remediationAction: "enforce" → "inform"'],
    ]);
  });
});

describe('formatDiff', () => {
  const base = files([['clusters/a/baremetalhost-h.yaml', bmh('m1')], ['clusters/a/configmap-s.yaml', obj('ConfigMap', 's', { data: { 'run.sh': 'a\nb\nc\nd\ne\nf\n' } })]]);
  const head = files([['clusters/a/baremetalhost-h.yaml', bmh('m2')], ['clusters/a/configmap-s.yaml', obj('ConfigMap', 's', { data: { 'run.sh': 'a\nB\nc\nd\nE\nf\n' } })], ['hub/namespace-n.yaml', obj('Namespace', 'n')]]);
  const d = diffRenders(base, head);
  const flags = riskFlags(d);

  test('text: summary, flags, then groups and kinds; line diffs cut at --max-lines', () => {
    expect(formatDiff(d, flags, { format: 'text', baseLabel: 'dist/ at HEAD', headLabel: 'clusters', maxLines: 6 })).toBe([
      'ztpfw diff: clusters against dist/ at HEAD',
      '1 added, 2 changed objects in 1 cluster and hub',
      '',
      'Risk flags (1):',
      '  ! Boot or interface MAC changed: clusters/a BareMetalHost/h (spec.bootMACAddress: "m1" → "m2")',
      '    Hosts and their static network are matched by MAC: a wrong one boots another machine or leaves the node without its network.',
      '',
      'hub (new folder)',
      '  Namespace',
      '    + ns/n',
      '',
      'clusters/a',
      '  BareMetalHost',
      '    ~ ns/h',
      '        spec.bootMACAddress: "m1" → "m2"',
      '  ConfigMap',
      '    ~ ns/s',
      '        data["run.sh"]:',
      '          @@ -1,6 +1,6 @@',
      '           a',
      '          -b',
      '          +B',
      '           c',
      '           d',
      '          ... 3 more lines',
      '',
    ].join('\n'));
  });

  test('colour only when asked', () => {
    const plain = formatDiff(d, flags, { format: 'text', baseLabel: 'b', headLabel: 'h' });
    const coloured = formatDiff(d, flags, { format: 'text', baseLabel: 'b', headLabel: 'h', colour: true });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(coloured).toMatch(/\x1b\[32m\+ ns\/n\x1b\[0m/);
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });

  test('markdown: flags as a list, line diffs in indented diff fences', () => {
    const md = formatDiff(d, flags, { format: 'markdown', baseLabel: '`dist/` at `origin/main`', headLabel: 'clusters' });
    expect(md).toContain('**1 added, 2 changed objects** in 1 cluster and hub: `clusters` rendered against `dist/` at `origin/main`.');
    expect(md).toContain('- **Boot or interface MAC changed** `clusters/a` `BareMetalHost/h`: `spec.bootMACAddress: "m1" → "m2"`<br>Hosts and their');
    expect(md).toContain('#### `clusters/a`\n\n**BareMetalHost**\n\n- ✏️ changed `ns/h`\n  - `spec.bootMACAddress`: `"m1"` → `"m2"`\n');
    expect(md).toContain('  - `data["run.sh"]`\n    ```diff\n    @@ -1,6 +1,6 @@\n     a\n    -b\n    +B\n');
    expect(md).toContain('#### `hub` (new folder)\n\n**Namespace**\n\n- ➕ added `ns/n`\n');
    expect(md.match(/```/g)).toHaveLength(2);
  });

  test('values from the output cannot drive the terminal or forge a line (escape sequences, C1 controls, fences)', () => {
    const hostile = 'ok\u001b[2J\u009b31m\u2028clusters/x.yaml:1:1: error: forged';
    const b = files([['clusters/a/configmap-s.yaml', obj('ConfigMap', 's', { data: { v: 'plain', 'run.sh': 'a\nb\n' } })]]);
    const h = files([['clusters/a/configmap-s.yaml', obj('ConfigMap', 's', { data: { v: hostile, 'run.sh': `a\n${hostile}\n\`\`\`\nmore\n` } })]]);
    const hd = diffRenders(b, h);
    for (const colour of [false, true]) {
      const out = formatDiff(hd, riskFlags(hd), { format: 'text', baseLabel: 'b', headLabel: 'h', colour });
      // Our own colour codes are the only escapes left, and every line of output is one of ours.
      // eslint-disable-next-line no-control-regex
      expect(out.replace(/\x1b\[\d+m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(out.split('\n').filter((l) => l.startsWith('clusters/x.yaml'))).toStrictEqual([]);
      expect(out).toContain('\\e[2J\\u{9b}31m\\u{2028}clusters/x.yaml:1:1: error: forged');
    }
    const md = formatDiff(hd, riskFlags(hd), { format: 'markdown', baseLabel: 'b', headLabel: 'h' });
    // eslint-disable-next-line no-control-regex
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    // The value's ``` cannot close the fence around the line diff: the fence is longer.
    expect(md).toContain('    ````diff\n');
    expect(md).toContain('    +```\n');
  });

  test('no differences', () => {
    const none = diffRenders(base, base);
    expect(formatDiff(none, [], { format: 'text', baseLabel: 'dist/ at HEAD', headLabel: 'clusters' })).toBe('No changes: clusters renders exactly dist/ at HEAD.\n');
    expect(formatDiff(none, [], { format: 'markdown', baseLabel: 'x', headLabel: 'clusters' })).toBe('### ztpfw diff\n\nNo changes: `clusters` renders exactly x.\n');
  });
});
