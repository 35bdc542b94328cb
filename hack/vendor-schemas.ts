/**
 * Copies the pinned upstream schemas the project uses into `schemas/` (see schemas/SOURCES.md):
 * - the CRDs of every kind we render or generate code from (`CRD_FILES`), as `schemas/crds/<plural>.<group>.yaml`,
 * - the Kubernetes core definitions of K8S_SCHEMA_VERSION, as `schemas/k8s-schema/<version>/_definitions.json`,
 * - the OAuthClient definition of openshift/api's OpenAPI document and every definition it refers to, as
 *   `schemas/crds/openapi/openshift-api.openapi.json` (the full document is 3.3 MB; OAuthClient has no CRD).
 * `description:` texts are dropped (a third of the bytes; neither validation nor `cdk8s import` reads them);
 * nothing else changes, and each written file is read back and compared with the stripped source.
 * Finally the sha256 block of schemas/SOURCES.md is rewritten, so a hand edit of a pinned file shows in review and
 * fails test/schemas-sources.test.ts.
 *
 * Usage: npx ts-node --transpile-only hack/vendor-schemas.ts --from DIR
 *   DIR is an upstream copy laid out as crds/*.yaml, crds/openapi/openshift-api.openapi.json, k8s-schema/<version>/.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { K8S_SCHEMA_VERSION, OPENSHIFT_OPENAPI_KINDS } from '../cli/verify/schemas';
import { MODULES, stripDescriptions } from './update-imports';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'schemas');

/** Kinds rendered as plain objects: validated against their CRD, no generated class. */
const VALIDATED_ONLY = ['applicationsets.argoproj.io', 'configurationpolicies.policy.open-cluster-management.io'];

/** The CRD files to copy: the `npm run import` inputs and the kinds validated only. */
export function crdFiles(available: readonly string[]): string[] {
  const wanted = [...Object.values(MODULES).flat().map((p) => `${p}.`), ...VALIDATED_ONLY.map((f) => `${f}.yaml`)];
  return wanted.map((w) => {
    const match = available.find((f) => f.startsWith(w) && f.endsWith('.yaml'));
    if (!match) throw new Error(`no CRD file for "${w}"`);
    return match;
  }).sort();
}

/** The definitions `root` refers to, transitively, by `#/definitions/NAME`. */
function closure(definitions: Record<string, unknown>, roots: readonly string[]): Record<string, unknown> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    if (!(name in definitions)) throw new Error(`definition ${name} not found`);
    seen.add(name);
    for (const m of JSON.stringify(definitions[name]).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) visit(m[1]);
  };
  roots.forEach(visit);
  return Object.fromEntries([...seen].sort().map((n) => [n, definitions[n]]));
}

function write(rel: string, text: string, expected: unknown, parse: (s: string) => unknown): void {
  if (!isDeepStrictEqual(parse(text), expected)) throw new Error(`${rel}: the written copy does not read back equal`);
  fs.mkdirSync(path.dirname(path.join(OUT, rel)), { recursive: true });
  fs.writeFileSync(path.join(OUT, rel), text);
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Lists every file under schemas/ (but SOURCES.md) with its sha256, as the fenced block of SOURCES.md. */
export function checksumBlock(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p !== path.join(OUT, 'SOURCES.md')) files.push(path.relative(OUT, p));
    }
  };
  walk(OUT);
  return files.sort().map((f) => `${sha256(path.join(OUT, f))}  ${f}`).join('\n');
}

function main(): void {
  const i = process.argv.indexOf('--from');
  if (i < 0 || !process.argv[i + 1]) throw new Error('usage: vendor-schemas.ts --from DIR');
  const from = path.resolve(process.argv[i + 1]);

  fs.rmSync(path.join(OUT, 'crds'), { recursive: true, force: true });
  fs.rmSync(path.join(OUT, 'k8s-schema'), { recursive: true, force: true });
  for (const f of crdFiles(fs.readdirSync(path.join(from, 'crds')))) {
    const crd = stripDescriptions(YAML.parse(fs.readFileSync(path.join(from, 'crds', f), 'utf8')));
    write(`crds/${f}`, YAML.stringify(crd, { lineWidth: 0, indentSeq: false }), crd, (s) => YAML.parse(s));
  }
  const k8s = stripDescriptions(JSON.parse(fs.readFileSync(path.join(from, 'k8s-schema', K8S_SCHEMA_VERSION, '_definitions.json'), 'utf8')));
  write(`k8s-schema/${K8S_SCHEMA_VERSION}/_definitions.json`, `${JSON.stringify(k8s, null, 1)}\n`, k8s, JSON.parse);
  const openapi = JSON.parse(fs.readFileSync(path.join(from, 'crds', 'openapi', 'openshift-api.openapi.json'), 'utf8')) as {
    swagger: string; info: unknown; definitions: Record<string, unknown>;
  };
  const subset = stripDescriptions({
    swagger: openapi.swagger, info: openapi.info, definitions: closure(openapi.definitions, Object.values(OPENSHIFT_OPENAPI_KINDS)),
  });
  write('crds/openapi/openshift-api.openapi.json', `${JSON.stringify(subset, null, 1)}\n`, subset, JSON.parse);

  const sources = path.join(OUT, 'SOURCES.md');
  const text = fs.readFileSync(sources, 'utf8');
  const block = /(<!-- sha256:begin -->\n```\n)[\s\S]*?(```\n<!-- sha256:end -->)/;
  if (!block.test(text)) throw new Error('schemas/SOURCES.md has no sha256 block');
  fs.writeFileSync(sources, text.replace(block, (_m, a: string, b: string) => `${a}${checksumBlock()}\n${b}`));
  process.stdout.write(`schemas/: ${fs.readdirSync(path.join(OUT, 'crds')).filter((f) => f.endsWith('.yaml')).length} CRDs, core ${K8S_SCHEMA_VERSION}, OAuthClient\n`);
}

if (require.main === module) main();
