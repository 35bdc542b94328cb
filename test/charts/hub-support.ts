/**
 * Renders the hub bundle of a fleet as `ztpfw synth` writes it, and reads the RBAC a Job script needs from the
 * script itself: every `oc` call becomes (verb, resource, namespace, name) with the Job's env substituted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import type { K8sObject } from '../support/references';
import { SYNTHETIC_RELEASE_DIGEST } from '../../hack/fleet-generator';
import { render, tempFleet, ROOT } from './install-support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = K8sObject & { readonly file: string; readonly [k: string]: any };

export function renderHub(input: string): Obj[] {
  return render(input).objects.filter((o) => o.file.startsWith('hub/')) as Obj[];
}

/** Renders a fleet given as YAML text (a fleet config plus one SNO unless `clusters` is given). */
export function renderHubText(config: Record<string, unknown>, clusters?: string): Obj[] {
  const cfg = YAML.stringify({ config: { OC_OCP_VERSION: '4.14.12', OC_OCP_RELEASE_DIGEST: SYNTHETIC_RELEASE_DIGEST, OC_ACM_VERSION: '2.9', OC_ODF_VERSION: '4.14', BASE_DOMAIN: 'factory.example.com', ...config } });
  return renderHub(tempFleet(`${cfg}\n${clusters ?? SNO_CLUSTER}`));
}

/** The one SNO of `renderHubText` (no day-2 bundles). */
export const SNO_CLUSTER = `edgeclusters:
  - sno1:
      master0:
        nic_ext_dhcp: eno1
        mac_ext_dhcp: "3c:ec:ef:10:20:01"
        bmc_url: redfish-virtualmedia://10.10.0.11/redfish/v1/Systems/1
        bmc_secret: sno1-bmc
        root_disk: /dev/nvme0n1
        storage_disk: /dev/nvme1n1
`;

export function find(objs: readonly Obj[], kind: string, name: string, namespace?: string): Obj {
  const hit = objs.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (!hit) throw new Error(`no ${kind} ${namespace ?? ''}/${name}`);
  return hit;
}

export const SCRIPTS = path.join(ROOT, 'charts', 'hub', 'scripts');
/** The scripts hub Jobs run, relative to the repository root: the hub's own and the shared ones (charts/common/scripts). */
export const scriptFiles = (): string[] => [SCRIPTS, path.join(ROOT, 'charts', 'common', 'scripts')]
  .flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => path.relative(ROOT, path.join(dir, f)))).sort();

/** An API request a script makes. */
export interface ApiCall {
  readonly verb: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly line: string;
}

/** kind or short name → [apiGroup, plural, namespaced]. */
const RESOURCES: Record<string, [string, string, boolean]> = {
  node: ['', 'nodes', false], nodes: ['', 'nodes', false],
  secret: ['', 'secrets', true], secrets: ['', 'secrets', true],
  configmap: ['', 'configmaps', true], configmaps: ['', 'configmaps', true],
  clusteroperators: ['config.openshift.io', 'clusteroperators', false],
  clusterversion: ['config.openshift.io', 'clusterversions', false],
  'ingresses.config.openshift.io': ['config.openshift.io', 'ingresses', false],
  customresourcedefinition: ['apiextensions.k8s.io', 'customresourcedefinitions', false],
  storageclass: ['storage.k8s.io', 'storageclasses', false], storageclasses: ['storage.k8s.io', 'storageclasses', false],
  MachineConfig: ['machineconfiguration.openshift.io', 'machineconfigs', false],
  oauthclient: ['oauth.openshift.io', 'oauthclients', false],
  infrastructure: ['config.openshift.io', 'infrastructures', false],
  provisioning: ['metal3.io', 'provisionings', false], Provisioning: ['metal3.io', 'provisionings', false],
  quayregistry: ['quay.redhat.com', 'quayregistries', true],
};

export function resourceOf(kind: string): { group: string; plural: string; namespaced: boolean } {
  const r = RESOURCES[kind];
  if (!r) throw new Error(`test does not know resource "${kind}": add it to RESOURCES`);
  return { group: r[0], plural: r[1], namespaced: r[2] };
}

function substitute(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, v: string) => (v in env ? env[v] : m));
}

/**
 * Every `oc` API call of a script. `oc apply -f -` takes its object from the `oc create … --dry-run=client` before it
 * in the pipeline or from the heredoc after it; client-only calls (`--dry-run=client`, `--local`) make no request.
 */
export function apiCalls(script: string, env: Readonly<Record<string, string>>): ApiCall[] {
  const lines = script.split('\n');
  const joined: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    while (l.endsWith('\\') && i + 1 < lines.length) l = l.slice(0, -1) + lines[++i];
    joined.push(l);
  }
  const calls: ApiCall[] = [];
  joined.forEach((raw, i) => {
    // Single-quoted text (jsonpath, awk, jq programs) is an argument value, never a resource or a pipe.
    const line = substitute(raw.replace(/^\s*#.*$/, '').replace(/'[^']*'/g, "''"), env).replace(/"/g, '');
    const segments = line.split('|').map((s) => s.trim());
    let piped: { kind: string; name?: string; namespace?: string } | undefined;
    for (const seg of segments) {
      const m = /(?:^|[\s($])oc\s+(\S+)\s*(.*)$/.exec(seg);
      if (!m) continue;
      const verb = m[1];
      const args = m[2].split(/\s+/).filter(Boolean).map((a) => a.replace(/^["']|["']$/g, ''));
      const ns = (() => { const k = args.indexOf('-n'); return k >= 0 ? args[k + 1] : undefined; })();
      const positional = args.filter((a, k) => !a.startsWith('-') && args[k - 1] !== '-n' && args[k - 1] !== '-o' && !/^[<>]/.test(a) && !a.startsWith('$(') && a !== '2>&1');
      const clientOnly = args.some((a) => a === '--dry-run=client' || a === '--local');
      if (verb === 'create' && clientOnly) {
        // oc create secret generic NAME / oc create configmap NAME
        const kind = positional[0];
        const name = kind === 'secret' ? positional[2] : positional[1];
        piped = { kind, name, namespace: ns };
        continue;
      }
      if (clientOnly) continue;
      if (verb === 'apply') {
        let obj = piped;
        if (!obj) {
          const doc: string[] = [];
          for (let k = i + 1; k < joined.length && joined[k].trim() !== 'EOF'; k++) doc.push(joined[k]);
          const parsed = YAML.parse(substitute(doc.join('\n'), { ...env, role: 'master' }));
          obj = { kind: parsed.kind, name: parsed.metadata?.name, namespace: parsed.metadata?.namespace };
        }
        const r = resourceOf(obj.kind);
        for (const v of ['get', 'create', 'patch']) calls.push({ verb: v, resource: `${r.group}/${r.plural}`, namespace: obj.namespace, name: v === 'create' ? undefined : obj.name, line: raw.trim() });
        if (obj.name?.includes('master')) {
          const worker = obj.name.replace('master', 'worker');
          for (const v of ['get', 'patch']) calls.push({ verb: v, resource: `${r.group}/${r.plural}`, namespace: obj.namespace, name: worker, line: raw.trim() });
        }
        piped = undefined;
        continue;
      }
      const kind = positional[0];
      const r = resourceOf(kind);
      const name = positional[1];
      const actual = verb === 'get' && name === undefined ? 'list' : verb;
      calls.push({ verb: actual, resource: `${r.group}/${r.plural}`, namespace: r.namespaced ? ns : undefined, name, line: raw.trim() });
    }
  });
  return calls;
}

/** An RBAC rule as bound to a Job's ServiceAccount, with the namespace of its RoleBinding (none: cluster-wide). */
export interface BoundRule {
  readonly namespace?: string;
  readonly rule: { readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly verbs: readonly string[]; readonly resourceNames?: readonly string[] };
}

/**
 * Least privilege, both ways: every API call the script makes is allowed by a bound rule, and every verb a rule
 * grants is used by some call. Throws naming the Job and the offending call or grant.
 */
export function expectRulesMatchCalls(job: string, rules: readonly BoundRule[], calls: readonly ApiCall[]): void {
  for (const call of calls) {
    const [group, plural] = call.resource.split('/');
    const ok = rules.some((r) => r.rule.apiGroups.includes(group) && r.rule.resources.includes(plural) && r.rule.verbs.includes(call.verb)
      && (r.namespace === undefined || r.namespace === call.namespace)
      && (r.rule.resourceNames === undefined || (call.name !== undefined && r.rule.resourceNames.includes(call.name))));
    if (!ok) throw new Error(`${job}: no rule allows ${call.verb} ${call.resource} ${call.namespace ?? ''}/${call.name ?? '*'} (${call.line})`);
  }
  for (const r of rules) for (const verb of r.rule.verbs) for (const res of r.rule.resources) {
    const used = calls.some((c) => c.verb === verb && c.resource === `${r.rule.apiGroups[0]}/${res}` && (r.namespace === undefined || c.namespace === r.namespace));
    if (!used) throw new Error(`${job}: grants ${verb} ${res} in ${r.namespace ?? 'the cluster'} but its script never does it`);
  }
}
