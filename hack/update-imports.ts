/**
 * Regenerates `imports/` from the pinned upstream schemas in `schemas/` (see schemas/SOURCES.md): one module per
 * group of CRDs in `schemas/crds/`, and `imports/k8s.ts`, the built-in kinds, from the pinned Kubernetes definitions
 * (the same generator and version cdk8s-plus-27 ships its `k8s` namespace from; we need only that namespace).
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
import { K8S_SCHEMA_VERSION } from '../cli/verify/schemas';

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

/**
 * `cdk8s import k8s@VERSION` downloads the definitions from GitHub; cdk8s-cli's own importer is given the pinned
 * file instead (its `download` helper is the one place it fetches), so the import runs offline.
 */
async function importK8s(outdir: string): Promise<void> {
  const lib = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'lib');
  const version = K8S_SCHEMA_VERSION.slice(1);
  const file = path.join(ROOT, 'schemas', 'k8s-schema', K8S_SCHEMA_VERSION, '_definitions.json');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const util = require(path.join(lib, 'util.js')) as { download: (url: string) => Promise<string> };
  util.download = async (url: string) => {
    if (!url.endsWith(`/v${version}/_definitions.json`)) throw new Error(`unexpected download ${url}`);
    return fs.readFileSync(file, 'utf8');
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ImportKubernetesApi } = require(path.join(lib, 'import', 'k8s.js')) as {
    ImportKubernetesApi: new (o: { apiVersion: string }) => { import(o: { outdir: string; targetLanguage: string }): Promise<void> };
  };
  await new ImportKubernetesApi({ apiVersion: version }).import({ outdir, targetLanguage: 'typescript' });
  process.stdout.write(`imports/k8s.ts <- k8s-schema/${K8S_SCHEMA_VERSION}\n`);
}

async function main(): Promise<void> {
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
  await importK8s(staged);
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.cpSync(staged, OUT, { recursive: true });
  fs.rmSync(tmp, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
