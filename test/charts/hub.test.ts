import * as path from 'node:path';
import * as fs from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import * as YAML from 'yaml';
import { apiCalls, find, Obj, renderHub, renderHubText, resourceOf, SCRIPTS, scriptFiles } from './hub-support';
import { ROOT } from './install-support';
import { CATALOGS } from '../../charts/common/operators';
import { hasPinnedSchema, validateManifest } from '../support/schemas';
import { shellcheck } from '../support/tools';

const INTERNAL = path.join(ROOT, 'examples', 'sno-single-nic.yaml');
const CUSTOM = path.join(ROOT, 'examples', 'custom-registry.yaml');
const internal = renderHub(INTERNAL);
const custom = renderHub(CUSTOM);

const imageSet = (objs: readonly Obj[]) => YAML.parse(find(objs, 'ConfigMap', 'imageset-config').data!['imageset-config.yaml']);
const jobs = (objs: readonly Obj[]) => objs.filter((o) => o.kind === 'Job');
const containersOf = (o: Obj): { image: string; name: string }[] => {
  const spec = o.kind === 'Job' || o.kind === 'Deployment' ? o.spec.template.spec : undefined;
  return spec ? [...(spec.initContainers ?? []), ...spec.containers] : [];
};

describe('hub bundle golden output', () => {
  test.each([['internal registry', internal], ['custom registry', custom]])('%s', (_, objs) => {
    // THEN: reviewed on purpose (jest -u) whenever the hub output changes
    expect(Object.fromEntries(objs.map((o) => [o.file, o]))).toMatchSnapshot();
  });
});

describe('MCE and ACM', () => {
  test('MCE channel follows the ACM version (2.9 → stable-2.4) and MCE_CHANNEL overrides it', () => {
    expect(find(internal, 'Subscription', 'multicluster-engine').spec).toStrictEqual({
      name: 'multicluster-engine', channel: 'stable-2.4', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace', installPlanApproval: 'Automatic',
    });
    expect(find(renderHubText({ OC_ACM_VERSION: '2.7' }), 'Subscription', 'multicluster-engine').spec.channel).toBe('stable-2.2');
    expect(find(renderHubText({ MCE_CHANNEL: 'stable-2.5' }), 'Subscription', 'multicluster-engine').spec.channel).toBe('stable-2.5');
  });

  test('ACM_ENABLED installs ACM and lets the MultiClusterHub own MCE', () => {
    const objs = renderHubText({ ACM_ENABLED: true });
    expect(find(objs, 'Subscription', 'advanced-cluster-management').spec.channel).toBe('release-2.9');
    expect(find(objs, 'MultiClusterHub', 'multiclusterhub', 'open-cluster-management').metadata.annotations?.['argocd.argoproj.io/sync-options']).toContain('SkipDryRunOnMissingResource=true');
    expect(objs.filter((o) => o.kind === 'MultiClusterEngine' || (o.kind === 'Subscription' && o.metadata.name === 'multicluster-engine'))).toStrictEqual([]);
    // The MCE must also be mirrored: the MultiClusterHub installs it from the (mirrored) catalog.
    const pkgs = imageSet(objs).mirror.operators[0].packages.map((p: { name: string }) => p.name);
    expect(pkgs).toEqual(expect.arrayContaining(['advanced-cluster-management', 'multicluster-engine']));
  });

  test('no startingCSV and at most one OperatorGroup per namespace', () => {
    for (const objs of [internal, custom, renderHubText({ ACM_ENABLED: true })]) {
      expect(objs.filter((o) => o.kind === 'Subscription' && o.spec.startingCSV !== undefined)).toStrictEqual([]);
      const ogNs = objs.filter((o) => o.kind === 'OperatorGroup').map((o) => o.metadata.namespace);
      expect(new Set(ogNs).size).toBe(ogNs.length);
      expect(objs.filter((o) => o.metadata.annotations?.['olm.providedAPIs'] !== undefined)).toStrictEqual([]);
    }
  });
});

describe('assisted service', () => {
  test('osImages point at the hub HTTPD and the mirror registry reference', () => {
    const asc = find(internal, 'AgentServiceConfig', 'agent');
    expect(asc.spec.osImages).toStrictEqual([{
      openshiftVersion: '4.14',
      version: '4.14.0',
      url: 'http://httpd.apps.hub.factory.example.com/4.14/rhcos-live.x86_64.iso',
      rootFSUrl: 'http://httpd.apps.hub.factory.example.com/4.14/rhcos-live-rootfs.x86_64.img',
      cpuArchitecture: 'x86_64',
    }]);
    expect(asc.spec.mirrorRegistryRef).toStrictEqual({ name: 'mirror-ref' });
    expect(asc.spec.databaseStorage.storageClassName).toBe('lvms-vg1');
    expect(find(internal, 'Route', 'httpd', 'ztpfw-httpd').spec.host).toBe('httpd.apps.hub.factory.example.com');
    expect(find(internal, 'ConfigMap', 'assisted-service-config', 'multicluster-engine').metadata.labels).toStrictEqual({ app: 'assisted-service' });
    expect(find(internal, 'Provisioning', 'provisioning-configuration').spec).toStrictEqual({ watchAllNamespaces: true });
  });

  test('OC_RHCOS_RELEASE names the RHCOS build; RHCOS_IMAGES_URL moves the download', () => {
    const objs = renderHubText({ OC_RHCOS_RELEASE: '414.92.202310210434-0', RHCOS_IMAGES_URL: 'https://mirror.factory.example.com/rhcos/4.14/' });
    expect(find(objs, 'AgentServiceConfig', 'agent').spec.osImages[0].version).toBe('414.92.202310210434-0');
    const env = find(objs, 'Job', 'rhcos-download').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'RHCOS_URL', value: 'https://mirror.factory.example.com/rhcos/4.14' });
    expect(env).toContainEqual({ name: 'TARGET_DIR', value: '/var/www/html/4.14' });
  });

  test('the ClusterImageSet keeps its name and waits for the hive CRD of MCE', () => {
    const set = find(custom, 'ClusterImageSet', 'openshift-v4.14.25');
    expect(set.spec.releaseImage).toMatch(/@sha256:/);
    expect(set.metadata.annotations?.['argocd.argoproj.io/sync-options']).toContain('SkipDryRunOnMissingResource=true');
    expect(Number(set.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(Number(find(custom, 'MultiClusterEngine', 'multiclusterengine').metadata.annotations?.['argocd.argoproj.io/sync-wave']));
  });
});

describe('registry', () => {
  test('internal: serving cert, reencrypt Route under HUB_APPS_DOMAIN, credentials from a Secret the Job generates', () => {
    const objs = renderHubText({ HUB_APPS_DOMAIN: 'apps.hub1.lab.example.com' });
    expect(find(objs, 'Service', 'ztpfw-registry').metadata.annotations).toMatchObject({ 'service.beta.openshift.io/serving-cert-secret-name': 'ztpfw-registry-tls' });
    expect(find(objs, 'Route', 'ztpfw-registry').spec).toMatchObject({ host: 'ztpfw-registry.apps.hub1.lab.example.com', tls: { termination: 'reencrypt' } });
    const dep = find(objs, 'Deployment', 'ztpfw-registry').spec.template.spec;
    expect(dep.volumes).toContainEqual({ name: 'auth', secret: { secretName: 'registry-auth', items: [{ key: 'htpasswd', path: 'htpasswd' }] } });
    expect(dep.containers[0].env).toContainEqual({ name: 'REGISTRY_HTTP_SECRET', valueFrom: { secretKeyRef: { name: 'registry-auth', key: 'http-secret' } } });
    expect(objs.filter((o) => o.kind === 'Secret')).toStrictEqual([]);
    const credJob = find(objs, 'Job', 'registry-credentials');
    expect(Number(credJob.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toBeLessThan(Number(find(objs, 'Deployment', 'ztpfw-registry').metadata.annotations?.['argocd.argoproj.io/sync-wave']));
  });

  test('custom: no registry workload, only a front and the CA given in the config', () => {
    expect(custom.filter((o) => ['Deployment', 'PersistentVolumeClaim'].includes(o.kind) && o.metadata.namespace === 'ztpfw-registry')).toStrictEqual([]);
    expect(find(custom, 'Service', 'external-registry').spec).toStrictEqual({ type: 'ExternalName', externalName: 'registry.factory.example.com' });
    expect(find(custom, 'ConfigMap', 'ztpfw-config').data).toStrictEqual({ uri: 'registry.factory.example.com:5000', mode: 'custom' });
    // Without REGISTRY_CA the registry must be publicly trusted: no CA plumbing.
    expect(custom.filter((o) => o.kind === 'Image')).toStrictEqual([]);
    const env = find(custom, 'Job', 'registry-trust').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CA_SOURCE', value: 'none' });
  });

  test('custom with REGISTRY_CA: the CA reaches the trust Job and image.config names the one CA ConfigMap', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----';
    const objs = renderHubText({ REGISTRY: 'registry.factory.example.com:5000', REGISTRY_CA: pem });
    expect(find(objs, 'ConfigMap', 'registry-ca', 'ztpfw-hub').data).toStrictEqual({ 'ca.crt': `${pem}\n` });
    expect(find(objs, 'Image', 'cluster').spec).toStrictEqual({ additionalTrustedCA: { name: 'ztpfw-registry-ca' } });
    expect(find(objs, 'Image', 'cluster').metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Delete=false,Prune=false');
    const env = find(objs, 'Job', 'registry-trust').spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'CA_SOURCE', value: 'file' }, { name: 'REGISTRY_KEY', value: 'registry.factory.example.com..5000' }]));
  });

  test('the hub never reboots mid-sync: no Job may write a MachineConfig and nothing node-level is rendered', () => {
    // MCO drains and reboots every node of a pool for a new MachineConfig (KubeletConfig, ContainerRuntimeConfig):
    // the registry CA reaches CRI-O through `Image cluster` additionalTrustedCA instead.
    const NODE_LEVEL = ['MachineConfig', 'KubeletConfig', 'ContainerRuntimeConfig', 'MachineConfigPool'];
    for (const objs of [internal, custom, renderHubText({ REGISTRY: 'registry.factory.example.com:5000', REGISTRY_CA: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' })]) {
      expect(objs.filter((o) => NODE_LEVEL.includes(o.kind))).toStrictEqual([]);
      const rules = objs.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').flatMap((o) => o.rules as { apiGroups: string[] }[]);
      expect(rules.length).toBeGreaterThan(0);
      expect(rules.filter((r) => r.apiGroups.includes('machineconfiguration.openshift.io'))).toStrictEqual([]);
    }
    const code = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8').replace(/^\s*#.*$/gm, '');
    for (const f of scriptFiles()) expect([f, /machineconfig/i.test(code(f))]).toStrictEqual([f, false]);
    expect(find(internal, 'Image', 'cluster').spec).toStrictEqual({ additionalTrustedCA: { name: 'ztpfw-registry-ca' } });
  });
});

describe('mirroring and the disconnected switch', () => {
  test('the release is pinned (min = max) and the operators come from the enabled bundles', () => {
    const isc = imageSet(internal);
    expect(isc.mirror.platform.channels).toStrictEqual([{ name: 'stable-4.14', type: 'ocp', minVersion: '4.14.25', maxVersion: '4.14.25' }]);
    const redhat = isc.mirror.operators.find((o: { catalog: string }) => o.catalog === 'registry.redhat.io/redhat/redhat-operator-index:v4.14');
    // SNO fleet: LVMS + ODF (MCG) + NMState + MetalLB + Quay on the edge, MCE + LVMS on the hub; no LSO.
    expect(redhat.packages.map((p: { name: string }) => p.name)).toStrictEqual([
      'kubernetes-nmstate-operator', 'lvms-operator', 'mcg-operator', 'metallb-operator', 'multicluster-engine', 'ocs-operator', 'odf-csi-addons-operator', 'odf-operator', 'openshift-gitops-operator', 'quay-operator',
    ]);
    expect(isc.storageConfig.registry.imageURL).toBe('ztpfw-registry.apps.hub.factory.example.com/oc-mirror/metadata');
  });

  test('compact clusters add LSO; a gpu-operator contrib adds NFD and the certified catalog', () => {
    const clusters = `edgeclusters:
  - c1:
      contrib:
        gpu-operator:
          version: v23.9.1
${[0, 1, 2].map((i) => `      master${i}:
        nic_ext_dhcp: eno1
        mac_ext_dhcp: "3c:ec:ef:10:20:0${i}"
        bmc_url: redfish-virtualmedia://10.10.0.1${i}/redfish/v1/Systems/1
        bmc_secret: c1-bmc-${i}
        root_disk: /dev/nvme0n1
        storage_disk: /dev/nvme1n1
`).join('')}`;
    const objs = renderHubText({ HUB_LVMS: false }, clusters);
    const isc = imageSet(objs);
    const names = (idx: string) => isc.mirror.operators.find((o: { catalog: string }) => o.catalog === idx).packages.map((p: { name: string }) => p.name);
    expect(names('registry.redhat.io/redhat/redhat-operator-index:v4.14')).toEqual(expect.arrayContaining(['local-storage-operator', 'nfd', 'odf-operator']));
    expect(names('registry.redhat.io/redhat/redhat-operator-index:v4.14')).not.toContain('lvms-operator');
    expect(names('registry.redhat.io/redhat/certified-operator-index:v4.14')).toStrictEqual(['gpu-operator-certified']);
    // The GPU operator version of the input picks the channel and the lowest release mirrored.
    expect(isc.mirror.operators.find((o: { catalog: string }) => o.catalog.includes('certified')).packages[0].channels).toStrictEqual([{ name: 'v23.9', minVersion: '23.9.1', maxVersion: '23.9.1' }]);
    expect(find(objs, 'CatalogSource', CATALOGS.certified.source).spec.image).toBe('ztpfw-registry.apps.hub.factory.example.com/redhat/certified-operator-index:v4.14');
    // HUB_LVMS: false → no LVMS on the hub, PVCs use the default StorageClass.
    expect(objs.filter((o) => o.kind === 'LVMCluster')).toStrictEqual([]);
    expect(find(objs, 'PersistentVolumeClaim', 'registry-data').spec.storageClassName).toBeUndefined();
  });

  test('every image a rendered container runs is in the mirror set and covered by a mirror rule', () => {
    for (const objs of [internal, custom]) {
      const isc = imageSet(objs);
      const mirrored = isc.mirror.additionalImages.map((i: { name: string }) => i.name);
      const used = [...new Set(objs.flatMap(containersOf).map((c) => c.image))].sort();
      expect(used.length).toBeGreaterThanOrEqual(3);
      for (const image of used) expect(mirrored).toContain(image);
      const sources = find(objs, 'ImageTagMirrorSet', 'ztpfw-hub-mirror').spec.imageTagMirrors.map((m: { source: string }) => m.source);
      for (const image of used) expect(sources.some((s: string) => image.startsWith(`${s}/`) || image.startsWith(`${s}:`))).toBe(true);
    }
  });

  test('IDMS/ITMS from 4.13 on (4.12, ICSP only, is refused for a disconnected fleet); the mirrored catalog takes the default name', () => {
    expect(find(internal, 'ImageDigestMirrorSet', 'ztpfw-hub-mirror').spec.imageDigestMirrors).toContainEqual({
      source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirrors: ['ztpfw-registry.apps.hub.factory.example.com/openshift/release'],
    });
    const oldest = renderHubText({ OC_OCP_VERSION: '4.13.30', OC_ODF_VERSION: '4.13' });
    expect(oldest.filter((o) => o.kind === 'ImageContentSourcePolicy')).toStrictEqual([]);
    expect(find(oldest, 'ImageTagMirrorSet', 'ztpfw-hub-mirror').spec.imageTagMirrors).toContainEqual({
      source: 'docker.io/library/registry', mirrors: ['ztpfw-registry.apps.hub.factory.example.com/library/registry'],
    });
    expect(() => renderHubText({ OC_OCP_VERSION: '4.12.30', OC_ODF_VERSION: '4.12' })).toThrow(/OpenShift 4\.12\.30 cannot run a disconnected fleet/);
    expect(find(custom, 'CatalogSource', 'redhat-operators', 'openshift-marketplace').spec.image).toBe('registry.factory.example.com:5000/redhat/redhat-operator-index:v4.14');
    expect(find(custom, 'OperatorHub', 'cluster').spec).toStrictEqual({ disableAllDefaultSources: true });
    const wave = (o: Obj) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    expect(wave(find(custom, 'CatalogSource', 'redhat-operators'))).toBeGreaterThan(wave(find(custom, 'OperatorHub', 'cluster')));
    expect(wave(find(custom, 'Subscription', 'multicluster-engine'))).toBeGreaterThan(wave(find(custom, 'CatalogSource', 'redhat-operators')));
  });

  test('mirror-ref registries.conf maps the release by digest only', () => {
    const conf = find(internal, 'ConfigMap', 'mirror-registries').data!['registries.conf'];
    expect(conf).toContain('location = "quay.io/openshift-release-dev/ocp-v4.0-art-dev"\nmirror-by-digest-only = true\n\n[[registry.mirror]]\nlocation = "ztpfw-registry.apps.hub.factory.example.com/openshift/release"');
  });

  test('DISCONNECTED: false renders no registry, trust, mirror or switch', () => {
    const objs = renderHubText({ DISCONNECTED: false });
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of ['ImageDigestMirrorSet', 'CatalogSource', 'OperatorHub', 'Image']) expect(kinds.has(k)).toBe(false);
    expect(jobs(objs).map((j) => j.metadata.name).sort()).toStrictEqual(['preflight', 'provisioning', 'rhcos-download']);
    expect(find(objs, 'AgentServiceConfig', 'agent').spec.mirrorRegistryRef).toBeUndefined();
  });
});

describe('jobs', () => {
  const all = [...internal, ...custom];

  test('every Job: own ServiceAccount, backoffLimit, deadline, Sync hook, images from the table', () => {
    for (const objs of [internal, custom]) {
      expect(jobs(objs).length).toBeGreaterThan(0);
      for (const job of jobs(objs)) {
        const spec = job.spec.template.spec;
        expect(spec.serviceAccountName).toBe(job.metadata.name);
        expect(find(objs, 'ServiceAccount', job.metadata.name, job.metadata.namespace)).toBeDefined();
        expect(job.spec.backoffLimit).toBeGreaterThanOrEqual(0);
        expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
        expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
        for (const c of containersOf(job)) expect(c.image).not.toMatch(/:latest$/);
      }
    }
  });

  test("each Job's RBAC covers exactly the API calls of its scripts", () => {
    for (const objs of [internal, custom, renderHubText({ REGISTRY: 'r.example.com', REGISTRY_CA: '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----' })]) {
      for (const job of jobs(objs)) {
        const sa = job.metadata.name;
        const spec = job.spec.template.spec;
        const bound = (kind: 'RoleBinding' | 'ClusterRoleBinding') => objs
          .filter((o) => o.kind === kind && o.subjects?.some((s: { name: string; namespace: string }) => s.name === sa && s.namespace === job.metadata.namespace));
        const rules: { namespace?: string; rule: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] } }[] = [
          ...bound('ClusterRoleBinding').flatMap((b) => find(objs, 'ClusterRole', b.roleRef.name).rules.map((rule: never) => ({ rule }))),
          ...bound('RoleBinding').flatMap((b) => find(objs, 'Role', b.roleRef.name, b.metadata.namespace).rules.map((rule: never) => ({ namespace: b.metadata.namespace, rule }))),
        ];
        const calls = containersOf(job).flatMap((c) => {
          const env = Object.fromEntries(((spec.containers.concat(spec.initContainers ?? []).find((x: { name: string }) => x.name === c.name)).env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
          const scriptCm = find(objs, 'ConfigMap', `${sa}-scripts`, job.metadata.namespace);
          const file = (spec.containers.concat(spec.initContainers ?? []).find((x: { name: string }) => x.name === c.name)).command[1].replace('/scripts/', '');
          return apiCalls(scriptCm.data![file], env);
        });
        const covers = (call: (typeof calls)[number], r: (typeof rules)[number]) => {
          const [group, plural] = call.resource.split('/');
          return r.rule.apiGroups.includes(group) && r.rule.resources.includes(plural) && r.rule.verbs.includes(call.verb)
            && (r.namespace === undefined || r.namespace === call.namespace)
            && (r.rule.resourceNames === undefined || (call.name !== undefined && r.rule.resourceNames.includes(call.name)));
        };
        // Every call is allowed …
        for (const call of calls) {
          if (!rules.some((r) => covers(call, r))) throw new Error(`${sa}: no rule allows ${call.verb} ${call.resource} ${call.namespace ?? ''}/${call.name ?? '*'} (${call.line})`);
        }
        // … and every granted verb is used (least privilege).
        for (const r of rules) for (const verb of r.rule.verbs) for (const res of r.rule.resources) {
          const used = calls.some((c) => c.verb === verb && c.resource === `${r.rule.apiGroups[0]}/${res}` && (r.namespace === undefined || c.namespace === r.namespace));
          if (!used) throw new Error(`${sa}: grants ${verb} ${res} in ${r.namespace ?? 'the cluster'} but its scripts never do it`);
        }
        expect(spec.automountServiceAccountToken).toBe(rules.length > 0);
      }
    }
    // The parser understands what the scripts use.
    expect(resourceOf('MachineConfig').plural).toBe('machineconfigs');
    expect(all.length).toBeGreaterThan(0);
  });

  test('the RBAC check catches a missing verb', () => {
    const calls = apiCalls('oc patch secret pull-secret -n openshift-config --type=merge --patch-file=x', {});
    expect(calls).toStrictEqual([{ verb: 'patch', resource: '/secrets', namespace: 'openshift-config', name: 'pull-secret', line: 'oc patch secret pull-secret -n openshift-config --type=merge --patch-file=x' }]);
    expect(apiCalls("oc get nodes -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'", {})[0].verb).toBe('list');
    expect(apiCalls('oc create configmap a -n b --from-file=x=y --dry-run=client -o yaml | oc apply -f -', {}).map((c) => c.verb)).toStrictEqual(['get', 'create', 'patch']);
  });

  test('no credential is rendered and no script prints one', () => {
    for (const objs of [internal, custom]) {
      expect(objs.filter((o) => o.kind === 'Secret')).toStrictEqual([]);
      const text = objs.map((o) => YAML.stringify(o)).join('\n');
      expect(text).not.toMatch(/dummy123|"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}/);
    }
    for (const f of scriptFiles()) {
      const s = fs.readFileSync(path.join(ROOT, f), 'utf8');
      expect(s).not.toMatch(/set -[a-z]*x|--source-skip-tls|--dest-skip-tls|--tls-verify=false|curl -k|--insecure/);
      expect(s).not.toMatch(/echo[^\n]*\$(pass|auth|password)\b/);
    }
  });

  test.each(scriptFiles())('%s is valid bash', (f) => {
    execFileSync('bash', ['-n', path.join(ROOT, f)]);
  });

  // shellcheck is a CI prerequisite (.ci/run installs it); without it locally the run ends with a NOT RUN notice.
  test.each(scriptFiles())('%s passes shellcheck', (f) => {
    expect(shellcheck(path.join(ROOT, f))).toBe('');
  });
});

describe('sync order', () => {
  test('every hub object has a wave; operator CRs skip the dry run', () => {
    for (const objs of [internal, custom]) {
      expect(objs.filter((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] === undefined).map((o) => o.file)).toStrictEqual([]);
      for (const kind of ['MultiClusterEngine', 'AgentServiceConfig', 'LVMCluster', 'ClusterImageSet']) {
        for (const o of objs.filter((x) => x.kind === kind)) expect(o.metadata.annotations?.['argocd.argoproj.io/sync-options']).toContain('SkipDryRunOnMissingResource=true');
      }
    }
  });

  test('namespaces come first, the pre-flight gates everything else', () => {
    const wave = (o: Obj) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    const preflight = wave(find(internal, 'Job', 'preflight'));
    for (const o of internal) {
      if (o.kind === 'Namespace') expect(wave(o)).toBe(0);
      else if (o.kind === 'Job' && o.metadata.name !== 'preflight') expect(wave(o)).toBeGreaterThan(preflight);
    }
  });
});

describe('schemas', () => {
  // No CRD is pinned for these (they ship with the OpenShift release, MCE or ACM, not as standalone CRDs).
  const UNPINNED = new Set(['config.openshift.io/v1 Image', 'config.openshift.io/v1 OperatorHub', 'metal3.io/v1alpha1 Provisioning', 'operator.open-cluster-management.io/v1 MultiClusterHub']);

  test.each([
    ['internal registry', internal],
    ['custom registry', custom],
    ['ACM, CA given, 4.13', renderHubText({ ACM_ENABLED: true, OC_OCP_VERSION: '4.13.30', OC_ODF_VERSION: '4.13', REGISTRY: 'r.example.com:5000', REGISTRY_CA: '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----' })],
    ['connected, 4.12', renderHubText({ DISCONNECTED: false, OC_OCP_VERSION: '4.12.30', OC_ODF_VERSION: '4.12' })],
  ])('every hub object of the %s bundle validates against its pinned schema', (_, objs) => {
    const findings: string[] = [];
    for (const o of objs) {
      const { file, ...obj } = o;
      const problems = validateManifest(obj);
      if (UNPINNED.has(`${o.apiVersion} ${o.kind}`)) {
        expect(hasPinnedSchema(o.apiVersion, o.kind)).toBe(false);
        findings.push(...problems.filter((p) => !p.startsWith('no pinned schema')).map((p) => `${file}: ${p}`));
      } else {
        findings.push(...problems.map((p) => `${file}: ${p}`));
      }
    }
    expect(findings).toStrictEqual([]);
  });
});

describe('oc-mirror Job: a retried sync does not redo a finished mirror', () => {
  /** Runs prepare → mirror → record as the Job does (each only if the one before exited 0), with stub oc and oc-mirror. */
  function runJob(marker: string | undefined, isc = 'kind: ImageSetConfiguration\n') {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'oc-mirror-job-'));
    const [bin, config, auth, ws] = ['bin', 'config', 'auth', 'workspace'].map((d) => path.join(dir, d));
    for (const d of [bin, config, auth, ws, path.join(dir, 'home')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(config, 'imageset-config.yaml'), isc);
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(log, '');
    fs.writeFileSync(path.join(bin, 'oc'), `#!/bin/bash
echo "oc $*" >> ${log}
case "$1 $2 $3" in
  "get secret pull-secret") echo '${Buffer.from('{"auths":{}}').toString('base64')}' ;;
  "get configmap ztpfw-registry-ca") echo '{"data":{"ztpfw-registry.apps.hub.factory.example.com":"-----BEGIN CERTIFICATE-----\\nX\\n-----END CERTIFICATE-----\\n"}}' ;;
  "get configmap oc-mirror-complete") ${marker === undefined ? 'echo "not found" >&2; exit 1' : `echo '${marker}'`} ;;
  "apply -f -") cat >> ${log} ;;
  "create configmap oc-mirror-complete")
    # what --dry-run=client -o yaml prints, reduced to the fields the test reads
    printf 'metadata:\n  name: %s\n  namespace: %s\ndata:\n' "$3" "$5"
    for a in "$@"; do case $a in --from-literal=*) kv=\${a#--from-literal=}; echo "  \${kv%%=*}: \${kv#*=}" ;; esac; done ;;
esac
`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'oc-mirror'), `#!/bin/bash\necho "oc-mirror $*" >> ${log}\n`, { mode: 0o755 });
    const job = find(internal, 'Job', 'oc-mirror').spec.template.spec;
    const steps = [...job.initContainers, ...job.containers] as { name: string; command: string[]; env: { name: string; value: string }[] }[];
    expect(steps.map((s) => s.name)).toStrictEqual(['prepare', 'mirror', 'record']);
    const outputs: string[] = [];
    for (const s of steps) {
      const text = fs.readFileSync(path.join(SCRIPTS, path.basename(s.command[1])), 'utf8')
        .replace(/(^|[\s"'=>])\/auth\b/gm, `$1${auth}`).replace(/(^|[\s"'=>])\/config\b/gm, `$1${config}`).replace(/(^|[\s"'=>])\/workspace\b/gm, `$1${ws}`)
        .replace('/etc/pki/tls/certs/ca-bundle.crt', '/dev/null');
      const env = Object.fromEntries(s.env.map((e) => [e.name, e.value]));
      const r = spawnSync('bash', ['-c', text], { encoding: 'utf8', env: { ...env, PATH: `${bin}:${process.env.PATH}`, HOME: path.join(dir, 'home') } });
      outputs.push(r.stdout);
      expect([s.name, r.status, r.stderr]).toStrictEqual([s.name, 0, '']);
    }
    return { calls: fs.readFileSync(log, 'utf8'), outputs };
  }
  const sha = (t: string) => require('node:crypto').createHash('sha256').update(t).digest('hex') as string;

  test('first run: mirrors, then records the sha256 of the ImageSetConfiguration in the marker ConfigMap', () => {
    const { calls } = runJob(undefined);
    expect(calls).toMatch(/^oc-mirror .*--config .*imageset-config\.yaml docker:\/\/ztpfw-registry\.apps\.hub\.factory\.example\.com/m);
    expect(calls).toContain('oc apply -f -');
    expect(calls).toContain(`hash: ${sha('kind: ImageSetConfiguration\n')}`);
    expect(calls).toContain('name: oc-mirror-complete\n  namespace: ztpfw-hub');
  });

  test('same ImageSetConfiguration already mirrored: oc-mirror does not run and the marker is left alone', () => {
    const { calls, outputs } = runJob(sha('kind: ImageSetConfiguration\n'));
    expect(calls).not.toContain('oc-mirror ');
    expect(calls).not.toContain('oc apply');
    expect(outputs[0]).toContain('was mirrored completely before; skipping');
  });

  test('a changed ImageSetConfiguration is mirrored again', () => {
    const { calls } = runJob(sha('kind: ImageSetConfiguration\n'), 'kind: ImageSetConfiguration\nmirror: {}\n');
    expect(calls).toMatch(/^oc-mirror /m);
    expect(calls).toContain(`hash: ${sha('kind: ImageSetConfiguration\nmirror: {}\n')}`);
  });

  test('the workspace is a PVC of OC_MIRROR_WORKSPACE_SIZE in the Job wave; oc-mirror requests room to render catalogs', () => {
    const pvc = find(internal, 'PersistentVolumeClaim', 'oc-mirror-workspace', 'ztpfw-hub');
    expect(pvc.spec.resources.requests.storage).toBe('100Gi');
    expect(pvc.spec.storageClassName).toBe('lvms-vg1');
    expect(pvc.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe(find(internal, 'Job', 'oc-mirror').metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    const spec = find(internal, 'Job', 'oc-mirror').spec.template.spec;
    expect(spec.volumes).toContainEqual({ name: 'workspace', persistentVolumeClaim: { claimName: 'oc-mirror-workspace' } });
    expect(spec.initContainers[1].resources.requests).toStrictEqual({ cpu: '1', memory: '2Gi' });
    expect(find(renderHubText({ OC_MIRROR_WORKSPACE_SIZE: '1Ti' }), 'PersistentVolumeClaim', 'oc-mirror-workspace').spec.resources.requests.storage).toBe('1Ti');
  });
});

/**
 * Runs a hub Job's script with the Job's env against a stub `oc` that answers `oc <verb> <kind> …` from `answers`
 * (exit 1 with "not found" for a key that is absent) and logs every call and every object piped to `oc apply`.
 */
function runWithStubOc(objs: readonly Obj[], jobName: string, answers: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), `${jobName}-`));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(log, '');
  const cases = Object.entries(answers).map(([k, v]) => `  "${k}") printf '%s\\n' '${v}' ;;`).join('\n');
  fs.writeFileSync(path.join(bin, 'oc'), `#!/bin/bash
echo "oc $*" >> ${log}
[ "$1 $2" = "apply -f" ] && { cat >> ${log}; exit 0; }
case "$1 $2 $3" in
${cases}
  *) echo "stub: not found: $*" >&2; exit 1 ;;
esac
`, { mode: 0o755 });
  const job = find(objs, 'Job', jobName).spec.template.spec;
  const c = job.containers[0];
  const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  const r = spawnSync('bash', [path.join(SCRIPTS, path.basename(c.command[1]))], { encoding: 'utf8', env: { ...env, ...extraEnv, PATH: `${bin}:${process.env.PATH}` } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: fs.readFileSync(log, 'utf8') };
}

describe('Provisioning on every hub platform', () => {
  test('a hub without a Provisioning gets one with provisioningNetwork Disabled (an empty mode means Managed)', () => {
    const r = runWithStubOc(internal, 'provisioning', {});
    expect(r.status).toBe(0);
    const applied = YAML.parse(r.calls.slice(r.calls.indexOf('apiVersion:')));
    expect(applied).toStrictEqual({
      apiVersion: 'metal3.io/v1alpha1', kind: 'Provisioning', metadata: { name: 'provisioning-configuration' },
      spec: { provisioningNetwork: 'Disabled', watchAllNamespaces: true },
    });
  });

  test('a bare-metal IPI hub keeps its Provisioning and provisioning network', () => {
    const r = runWithStubOc(internal, 'provisioning', { 'get provisioning provisioning-configuration': 'Managed' });
    expect(r.status).toBe(0);
    expect(r.calls).not.toContain('oc apply');
    expect(r.stdout).toContain('keeping its network settings');
  });

  test('the Job runs before the rendered Provisioning, which only sets watchAllNamespaces', () => {
    const wave = (o: Obj) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    expect(wave(find(internal, 'Job', 'provisioning'))).toBeLessThan(wave(find(internal, 'Provisioning', 'provisioning-configuration')));
    expect(find(internal, 'Provisioning', 'provisioning-configuration').spec).toStrictEqual({ watchAllNamespaces: true });
  });
});

describe('pre-flight: hub platform and FIPS consistency', () => {
  const fipsFile = (on: boolean) => {
    const f = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'fips-')), 'fips_enabled');
    fs.writeFileSync(f, on ? '1\n' : '0\n');
    return f;
  };
  /** Answers of a healthy hub; `platform` and the Provisioning vary. */
  const healthy = (platform: string, provisioning?: string): Record<string, string> => ({
    'get nodes -o': 'hub-0 True',
    'get clusteroperators -o': 'etcd True False',
    'get clusterversion version': '4.16.3',
    'get customresourcedefinition provisionings.metal3.io': 'ok',
    'get ingresses.config.openshift.io cluster': 'apps.hub.factory.example.com',
    'get infrastructure cluster': platform,
    ...(provisioning === undefined ? {} : { 'get provisioning provisioning-configuration': provisioning }),
  });
  const fleet = (ocp: string, fips: boolean) => renderHubText({ OC_OCP_VERSION: ocp, FIPS: fips, HUB_LVMS: true });
  const fails = (r: { stderr: string }) => r.stderr.split('\n').filter((l) => l.startsWith('FAIL: '));

  test('FIPS clusters from 4.16 need a FIPS hub: a clear failure on a hub that is not, none on one that is', () => {
    const objs = fleet('4.16.3', true);
    expect(find(objs, 'Job', 'preflight').spec.template.spec.containers[0].env).toContainEqual({ name: 'ANY_CLUSTER_FIPS', value: 'true' });
    expect(find(fleet('4.16.3', false), 'Job', 'preflight').spec.template.spec.containers[0].env).toContainEqual({ name: 'ANY_CLUSTER_FIPS', value: 'false' });
    const bad = runWithStubOc(objs, 'preflight', healthy('None'), { FIPS_FILE: fipsFile(false) });
    expect(bad.status).toBe(1);
    expect(fails(bad)).toStrictEqual([
      'FAIL: clusters with FIPS: true (the default unless the fleet or the cluster sets FIPS: false) with OpenShift 4.16.3 need a hub in FIPS mode (from 4.16 a non-FIPS hub runs the static openshift-install, which refuses fips: true); install the hub in FIPS mode, or set FIPS: false for these clusters',
    ]);
    const good = runWithStubOc(objs, 'preflight', healthy('None'), { FIPS_FILE: fipsFile(true) });
    expect([good.status, fails(good)]).toStrictEqual([0, []]);
  });

  test('before 4.16 a FIPS hub cannot install FIPS clusters; FIPS: false passes on any hub', () => {
    const r = runWithStubOc(fleet('4.14.12', true), 'preflight', healthy('BareMetal', 'Managed'), { FIPS_FILE: fipsFile(true) });
    expect(fails(r)).toStrictEqual([
      'FAIL: clusters with FIPS: true (the default unless the fleet or the cluster sets FIPS: false) with OpenShift 4.14.12: a hub in FIPS mode installs FIPS clusters only from OpenShift 4.16; use 4.16 or newer, or a hub that is not in FIPS mode',
    ]);
    for (const on of [true, false]) {
      const ok = runWithStubOc(fleet('4.16.3', false), 'preflight', healthy('None'), { FIPS_FILE: fipsFile(on) });
      expect([on, ok.status, fails(ok)]).toStrictEqual([on, 0, []]);
    }
  });

  test('a platform where the cluster-baremetal-operator does not run metal3 fails with its name', () => {
    const r = runWithStubOc(fleet('4.16.3', false), 'preflight', healthy('Nutanix'), { FIPS_FILE: fipsFile(false) });
    expect(fails(r)).toStrictEqual([
      "FAIL: hub platform 'Nutanix': the cluster-baremetal-operator does not run metal3 there, so no BareMetalHost would ever boot; use a hub on BareMetal or None (assisted/agent-based install), or one of OpenStack, VSphere, AWS, Azure, GCP, KubeVirt",
    ]);
    const none = runWithStubOc(fleet('4.16.3', false), 'preflight', healthy('None'), { FIPS_FILE: fipsFile(false) });
    expect(none.stdout).toContain('ok: hub platform None without a Provisioning: the provisioning Job creates one with provisioningNetwork Disabled');
  });
});
