/**
 * Regenerates `imports/` from the pinned upstream CRDs in `schemas/crds/` (see schemas/SOURCES.md).
 *
 * `cdk8s import` writes one module per API group and keeps only the last file
 * imported for a group, so the CRDs of each group are concatenated into one
 * multi-document file first. `description:` fields are stripped: the generated
 * code then carries field names and types only and compiles several times faster.
 *
 * Usage: npm run import   (CRDS_DIR overrides the CRD folder, e.g. a fresh upstream copy)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const CRDS_DIR = path.resolve(process.env.CRDS_DIR ?? path.join(ROOT, 'schemas', 'crds'));
const OUT = path.join(ROOT, 'imports');

/**
 * CRD files we render from, by module name: only kinds the charts build with a generated class. Kinds rendered as
 * plain objects (ConfigurationPolicy inside a Policy, ApplicationSet) are validated but need no generated code.
 */
export const MODULES: Record<string, string[]> = {
  'agent-install': ['agentserviceconfigs', 'infraenvs', 'nmstateconfigs'],
  'hive': ['clusterdeployments', 'clusterimagesets'],
  'hive-extensions': ['agentclusterinstalls'],
  'metal3': ['baremetalhosts'],
  'ocm-cluster': ['managedclusters', 'managedclustersetbindings', 'placements'],
  'ocm-agent': ['klusterletaddonconfigs'],
  'ocm-work': ['manifestworks'],
  'ocm-policy': ['policies', 'placementbindings'],
  'mce': ['multiclusterengines'],
  'olm': ['subscriptions', 'operatorgroups', 'catalogsources'],
  'openshift-config': ['imagedigestmirrorsets', 'imagetagmirrorsets'],
  'openshift-operator': ['imagecontentsourcepolicies'],
  'route': ['routes'],
  'lvms': ['lvmclusters'],
  'nmstate': ['nmstates', 'nodenetworkconfigurationpolicies'],
  'metallb': ['metallbs', 'ipaddresspools', 'l2advertisements'],
  'local-storage': ['localvolumes'],
  'ocs': ['storageclusters'],
  'quay': ['quayregistries'],
  'argocd': ['applications', 'appprojects'],
};

/** Drops every `description:` text (a property *named* description is an object and stays). */
export function stripDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description' && typeof v === 'string') continue;
      out[k] = stripDescriptions(v);
    }
    return out;
  }
  return node;
}

function crdFile(plural: string): string {
  const match = fs.readdirSync(CRDS_DIR).find((f) => f.startsWith(`${plural}.`) && f.endsWith('.yaml'));
  if (!match) throw new Error(`no CRD file for "${plural}" in ${CRDS_DIR}`);
  return path.join(CRDS_DIR, match);
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-imports-'));
  const staged = path.join(tmp, 'imports');
  fs.mkdirSync(staged);
  const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  for (const [mod, plurals] of Object.entries(MODULES)) {
    const docs = plurals.map((p) => YAML.stringify(stripDescriptions(YAML.parse(fs.readFileSync(crdFile(p), 'utf8')))));
    const input = path.join(tmp, `${mod}.yaml`);
    fs.writeFileSync(input, docs.join('---\n'));
    const res = spawnSync(cli, ['import', `${mod}:=${input}`, '--no-check-upgrade', '--no-save', '-l', 'typescript', '-o', staged], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    if (res.status !== 0) {
      process.stderr.write(res.stdout + res.stderr);
      throw new Error(`cdk8s import failed for ${mod}`);
    }
    // cdk8s names the module `<name>-<group>.ts`; keep the short, stable name.
    const generated = fs.readdirSync(staged).find((f) => f.startsWith(`${mod}-`) && f.endsWith('.ts') && !Object.keys(MODULES).includes(f.slice(0, -3)));
    if (!generated) throw new Error(`cdk8s import wrote no module for ${mod}`);
    fs.renameSync(path.join(staged, generated), path.join(staged, `${mod}.ts`));
    process.stdout.write(`imports/${mod}.ts <- ${plurals.join(', ')}\n`);
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.cpSync(staged, OUT, { recursive: true });
  fs.rmSync(tmp, { recursive: true, force: true });
}

if (require.main === module) main();
