/**
 * `npm run fuzz`: mutates the examples, the demonstration fleet `clusters/` and generated fleets at random (fixed
 * seed, bounded time) and runs each mutant through the CLI in-process (`validate`, then `synth` when it validates),
 * checking the contract every input must keep:
 * - the exit code is in the contract (validate 0/1, synth 0/1; never 4, an internal error);
 * - no stack trace, no raw control character (only newlines) in what is printed;
 * - no secret value: a canary password planted in credential fields never appears in any output, dist/ included;
 * - a fleet that validates synthesizes.
 *
 * Usage: npm run fuzz [-- --seed N] [--seconds S] [--runs N] [--keep DIR] [--sweep [--part K/N] | --output]
 *   --seed N      seed of the mutation sequence (default 1): the same seed replays the same cases
 *   --seconds S   time budget (default 60); --runs N stops after N cases (default: unbounded)
 *   --keep DIR    where failing cases are written (default: a temp folder, printed)
 *   --sweep       instead of random cases, every value place of every seed fleet with every sweep value
 *                 (--part K/N runs the K-th of N interleaved parts)
 *   --output      mutate rendered output files instead, and check `verify` and `diff` on them
 * Exit code 1 when a case breaks the contract (each failure printed with its case file), 0 otherwise.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { EXIT_INVALID, EXIT_OK, Io, run } from '../cli/main';
import { filesBelow } from '../cli/verify/verify';
import { generateFleet } from './fleet-generator';

const ROOT = path.resolve(__dirname, '..');

/** Planted in credential fields; it must never be printed or rendered. */
export const CANARY = 'Fz9Canary-S3cret';

/** Strings that have broken parsers, terminals and messages before (in any field; the canary goes only into credentials). */
const HOSTILE = [
  `*Hostile-Value`, `!Hostile-Value`, `"Hostile-Value`, `'Hostile-Value`, `[Hostile-Value`, `{Hostile-Value`, `&Hostile-Value x`, `"\\qHostile-Value"`,
  'evil\u001b[31mred\u001b[0m', '"a\\nfile.yaml:1:1: error: forged"', '\u0007\u0008\u007f', '{{ .Name }}', '? [a, b]', '- - -',
  'openshift-gitops', 'kube-system', 'local-cluster', 'ztpfw-credentials', 'default', '~', 'null', '', ' ', '0x1F', '1e999',
  '-----BEGIN OPENSSH PRIVATE KEY-----', 'x'.repeat(3000), '\u2028', '%YAML 1.1', '--- !!map', '&a [*a]', '<url bmc>',
  '/dev/sda', '[]', '{}', '[/dev/sdb, /dev/sdb]', 'aa:bb:cc:dd:ee:ff', '999.1.1.1', 'redfish://u:p@host/x', '4.10', '4.99.0',
];

export type Op =
  | { readonly kind: 'deleteLine' | 'duplicateLine' | 'indent' | 'dedent'; readonly at: number }
  | { readonly kind: 'replaceValue'; readonly at: number; readonly text: string }
  | { readonly kind: 'set' | 'delete'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'addKey'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'secret'; readonly at: number; readonly form: string };

const scalar = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 16 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'master0', 'config', 'bmc_pass', 'storage_disk'), scalar, { maxKeys: 2 }));

export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('deleteLine', 'duplicateLine', 'indent', 'dedent') as fc.Arbitrary<'deleteLine'>, at: fc.nat() }),
  fc.record({ kind: fc.constant('replaceValue') as fc.Arbitrary<'replaceValue'>, at: fc.nat(), text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 24 })) }),
  fc.record({ kind: fc.constantFrom('set', 'delete') as fc.Arbitrary<'set'>, at: fc.nat(), value }),
  fc.record({ kind: fc.constant('addKey') as fc.Arbitrary<'addKey'>, at: fc.nat(), key: fc.constantFrom('x', 'master1', 'worker0', 'config', 'bmc_pass', 'bmc_user', 'SSH_PUBLIC_KEY', 'STATE', 'storage_disk', 'edgeclusters', '{{ .Name }}'), value }),
  // A canary password in a credential field, written in one of the forms that broke messages before.
  fc.record({ kind: fc.constant('secret') as fc.Arbitrary<'secret'>, at: fc.nat(), form: fc.constantFrom(`"${CANARY}"`, `*${CANARY}`, `!${CANARY}`, `"${CANARY}`, `[${CANARY}`, `{ ${CANARY}: 1 }`, `"a\\q${CANARY}"`, `${CANARY}: x`, `&${CANARY}`) }),
);

/** Every path to a node of the document, so structural edits can pick one. */
function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (YAML.isMap(node)) for (const p of node.items) out.push(...paths(p.value, [...prefix, String(YAML.isScalar(p.key) ? p.key.value : p.key)]));
  if (YAML.isSeq(node)) node.items.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  return out;
}

/** `text` with one mutation applied (a mutation that cannot apply leaves it unchanged). */
export function mutate(text: string, o: Op): string {
  const lines = text.split('\n');
  const i = o.at % Math.max(lines.length, 1);
  switch (o.kind) {
    case 'deleteLine': lines.splice(i, 1); return lines.join('\n');
    case 'duplicateLine': lines.splice(i, 0, lines[i]); return lines.join('\n');
    case 'indent': lines[i] = `  ${lines[i]}`; return lines.join('\n');
    case 'dedent': lines[i] = lines[i].replace(/^ {1,2}/, ''); return lines.join('\n');
    case 'replaceValue': lines[i] = lines[i].replace(/:\s.*$/, `: ${o.text}`); return lines.join('\n');
    case 'secret': {
      // into an existing credential line if there is one, else as a new bmc_pass next to a node's bmc_url
      const creds = lines.map((l, n) => (/^\s*(bmc_pass|password):/.test(l) ? n : -1)).filter((n) => n >= 0);
      const urls = lines.map((l, n) => (/^\s*bmc_url:/.test(l) ? n : -1)).filter((n) => n >= 0);
      if (creds.length > 0) {
        const n = creds[o.at % creds.length];
        lines[n] = lines[n].replace(/:\s.*$/, `: ${o.form}`);
      } else if (urls.length > 0) {
        const n = urls[o.at % urls.length];
        const indent = /^\s*/.exec(lines[n])![0];
        lines.splice(n + 1, 0, `${indent}bmc_user: fuzz-user`, `${indent}bmc_pass: ${o.form}`);
      }
      return lines.join('\n');
    }
    default: {
      const doc = YAML.parseDocument(text);
      if (doc.errors.length > 0) return text;
      const all = paths(doc.contents).filter((p) => p.length > 0);
      if (all.length === 0) return text;
      const p = all[o.at % all.length];
      if (o.kind === 'delete') doc.deleteIn(p);
      else if (o.kind === 'set') doc.setIn(p, doc.createNode(o.value));
      else {
        const target = doc.getIn(p.slice(0, -1), true);
        if (YAML.isMap(target) && o.kind === 'addKey') target.set(o.key, doc.createNode(o.value));
      }
      try {
        return doc.toString();
      } catch {
        return text;
      }
    }
  }
}

/** A fleet to mutate: one file, or a folder of files (one of which is mutated). */
export interface Seed {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
}

export function seeds(): Seed[] {
  const out: Seed[] = [];
  for (const f of fs.readdirSync(path.join(ROOT, 'examples')).filter((x) => x.endsWith('.yaml')).sort()) {
    out.push({ name: `examples/${f}`, files: { 'fleet.yaml': fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8') } });
  }
  const clusters = Object.fromEntries(fs.readdirSync(path.join(ROOT, 'clusters')).filter((x) => x.endsWith('.yaml')).sort()
    .map((f) => [f, fs.readFileSync(path.join(ROOT, 'clusters', f), 'utf8')]));
  out.push({ name: 'clusters/', files: clusters });
  out.push({ name: 'generated (4 clusters)', files: { 'fleet.yaml': generateFleet(4).text } });
  return out;
}

export interface CaseResult {
  readonly problems: string[];
  readonly validated: boolean;
}

function cli(args: string[], cwd: string): { code: number; out: string } {
  let out = '';
  const io: Io = { stdout: (s) => { out += s; }, stderr: (s) => { out += s; }, isTty: false, cwd, env: {} };
  return { code: run(args, io), out };
}

/** Every file under `dir`, concatenated (for the canary search in the output). */
function allText(dir: string): string {
  let text = '';
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.isFile()) text += fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return text;
}

function contract(what: string, r: { code: number; out: string }, allowed: readonly number[]): string[] {
  const problems: string[] = [];
  if (!allowed.includes(r.code)) problems.push(`${what}: exit ${r.code}, not one of ${allowed.join('/')}: ${r.out.slice(0, 300)}`);
  if (/\n\s+at .*:\d+:\d+\)?\n/.test(r.out)) problems.push(`${what}: a stack trace`);
  // eslint-disable-next-line no-control-regex
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.exec(r.out);
  if (raw) problems.push(`${what}: a raw control character U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} in the output`);
  if (r.out.includes(CANARY)) problems.push(`${what}: the canary password is printed`);
  return problems;
}

/** Runs one mutant fleet (files written into `dir`) through validate and, when it validates, synth. */
export function runCase(files: Readonly<Record<string, string>>, dir: string): CaseResult {
  fs.mkdirSync(path.join(dir, 'fleet'), { recursive: true });
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'fleet', f), text);
  const input = Object.keys(files).length === 1 ? `fleet/${Object.keys(files)[0]}` : 'fleet';
  const v = cli(['validate', '-i', input], dir);
  const problems = contract('validate', v, [EXIT_OK, EXIT_INVALID]);
  const validated = v.code === EXIT_OK;
  if (validated) {
    const s = cli(['synth', '-q', '-i', input, '-o', 'out'], dir);
    problems.push(...contract('synth', s, [EXIT_OK]));
    if (allText(path.join(dir, 'out')).includes(CANARY)) problems.push('synth: the canary password is in the output folder');
  }
  return { problems, validated };
}

/** One case of the campaign: a seed fleet, which of its files to mutate, and the mutations. */
export const fuzzCase = (count: number) => fc.record({ seed: fc.nat({ max: count - 1 }), file: fc.nat(), ops: fc.array(op, { minLength: 1, maxLength: 4 }) });

export interface CampaignResult {
  readonly cases: number;
  readonly validated: number;
  readonly failures: { readonly name: string; readonly dir: string; readonly problems: string[] }[];
}

/** Runs cases from `seed` until `seconds` pass or `runs` cases ran. */
export function campaign(options: { seed: number; seconds: number; runs?: number; keep: string }): CampaignResult {
  const all = seeds();
  const deadline = Date.now() + options.seconds * 1000;
  const failures: CampaignResult['failures'] = [];
  let cases = 0;
  let validated = 0;
  const batch = 50;
  for (let round = 0; Date.now() < deadline && (options.runs === undefined || cases < options.runs); round++) {
    for (const c of fc.sample(fuzzCase(all.length), { seed: options.seed + round * 7919, numRuns: batch })) {
      if (Date.now() >= deadline || (options.runs !== undefined && cases >= options.runs)) break;
      const s = all[c.seed];
      const names = Object.keys(s.files);
      const target = names[c.file % names.length];
      const files = { ...s.files, [target]: c.ops.reduce(mutate, s.files[target]) };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fuzz-'));
      const r = runCase(files, dir);
      cases++;
      if (r.validated) validated++;
      if (r.problems.length > 0) {
        const kept = path.join(options.keep, `case-${cases}`);
        fs.cpSync(path.join(dir, 'fleet'), kept, { recursive: true });
        failures.push({ name: `${s.name} #${cases}`, dir: kept, problems: r.problems });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { cases, validated, failures };
}

/** Values the sweep puts in every place: the hostile strings and each kind of YAML value. */
const SWEEP_VALUES: readonly unknown[] = [
  ...HOSTILE, 0, -1, 1.5, 65536, 2 ** 53 + 1, true, false, null, [], {}, [[]], [{}], { a: { b: [1] } }, ['x', 1, null], { version: [] },
];

/**
 * Every place of every seed fleet gets every sweep value in turn (`set` at that path): deterministic and exhaustive
 * where the random campaign samples. `filter` keeps the values whose index passes (to split a sweep over runs).
 */
export function sweep(options: { keep: string; deadline: number; filter?: (i: number) => boolean }): CampaignResult {
  const failures: CampaignResult['failures'] = [];
  let cases = 0;
  let validated = 0;
  let index = 0;
  for (const s of seeds()) {
    for (const target of Object.keys(s.files)) {
      const doc = YAML.parseDocument(s.files[target]);
      const places = paths(doc.contents).filter((p) => p.length > 0);
      for (let at = 0; at < places.length; at++) {
        for (const v of SWEEP_VALUES) {
          if (Date.now() >= options.deadline) return { cases, validated, failures };
          if (options.filter && !options.filter(index++)) continue;
          const text = mutate(s.files[target], { kind: 'set', at, value: v });
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fuzz-'));
          const r = runCase({ ...s.files, [target]: text }, dir);
          cases++;
          if (r.validated) validated++;
          if (r.problems.length > 0) {
            const kept = path.join(options.keep, `sweep-${cases}`);
            fs.cpSync(path.join(dir, 'fleet'), kept, { recursive: true });
            failures.push({ name: `${s.name} ${target} ${places[at].join('.')} = ${JSON.stringify(v)?.slice(0, 40)}`, dir: kept, problems: r.problems });
          }
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  }
  return { cases, validated, failures };
}

/**
 * The rendered output as input: `verify` and `diff` read a folder that a pull request may have edited. Each case
 * mutates one file of a rendered example (any field of an object, Policies and ManifestWorks included) and runs
 * `verify` (exit 0 or 1) and `diff --base-dir` (exit 0) on it, with the same contract as the fleet cases.
 */
export function outputCampaign(options: { seed: number; deadline: number; runs?: number; keep: string }): CampaignResult {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fuzz-out-'));
  const outputs = ['examples/policy-delivery.yaml', 'examples/three-plus-one.yaml', 'examples/custom-registry.yaml'].map((example, i) => {
    const dir = path.join(work, String(i));
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(ROOT, example), path.join(dir, 'fleet.yaml'));
    const r = cli(['synth', '-q', '-i', 'fleet.yaml', '-o', 'out'], dir);
    if (r.code !== EXIT_OK) throw new Error(`cannot render ${example}: ${r.out}`);
    return { example, dir, files: filesBelow(path.join(dir, 'out')).filter((f) => f.endsWith('.yaml')) };
  });
  const failures: CampaignResult['failures'] = [];
  let cases = 0;
  const arb = fc.record({ output: fc.nat({ max: outputs.length - 1 }), file: fc.nat(), ops: fc.array(op, { minLength: 1, maxLength: 3 }) });
  try {
    for (let round = 0; Date.now() < options.deadline && (options.runs === undefined || cases < options.runs); round++) {
      for (const c of fc.sample(arb, { seed: options.seed + round * 7919, numRuns: 20 })) {
        if (Date.now() >= options.deadline || (options.runs !== undefined && cases >= options.runs)) break;
        const o = outputs[c.output];
        const file = o.files[c.file % o.files.length];
        const full = path.join(o.dir, 'out', file);
        const before = fs.readFileSync(full, 'utf8');
        fs.writeFileSync(full, c.ops.reduce(mutate, before));
        cases++;
        const problems = [
          ...contract('verify', cli(['verify', '-i', 'fleet.yaml', '-o', 'out', '--kustomize', 'skip'], o.dir), [EXIT_OK, EXIT_INVALID]),
          ...contract('diff', cli(['diff', '-i', 'fleet.yaml', '--base-dir', 'out'], o.dir), [EXIT_OK]),
        ];
        if (problems.length > 0) {
          const kept = path.join(options.keep, `output-${cases}`);
          fs.mkdirSync(kept, { recursive: true });
          fs.copyFileSync(full, path.join(kept, path.basename(file)));
          failures.push({ name: `${o.example} ${file} #${cases}`, dir: kept, problems });
        }
        fs.writeFileSync(full, before);
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { cases, validated: 0, failures };
}

function main(argv: string[]): number {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const seed = Number(arg('seed', '1'));
  const seconds = Number(arg('seconds', '60'));
  const runsArg = arg('runs', '');
  const keep = arg('keep', fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fuzz-failures-')));
  if (!Number.isInteger(seed) || !(seconds > 0) || (runsArg !== '' && !/^\d+$/.test(runsArg))) {
    process.stderr.write('Usage: npm run fuzz [-- --seed N] [--seconds S] [--runs N] [--keep DIR] [--sweep [--part K/N] | --output]\n');
    return 2;
  }
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const runs = runsArg === '' ? undefined : Number(runsArg);
  let r: CampaignResult;
  let what: string;
  if (argv.includes('--output')) {
    r = outputCampaign({ seed, deadline, runs, keep });
    what = `fuzz output: seed ${seed}, ${r.cases} mutated output files verified and diffed`;
  } else if (argv.includes('--sweep')) {
    const part = /^(\d+)\/(\d+)$/.exec(arg('part', '0/1'));
    r = sweep({ keep, deadline, filter: part ? (i) => i % Number(part[2]) === Number(part[1]) : undefined });
    what = `fuzz sweep: ${r.cases} cases (${r.validated} validated and synthesized)`;
  } else {
    r = campaign({ seed, seconds, runs, keep });
    what = `fuzz: seed ${seed}, ${r.cases} cases (${r.validated} validated and synthesized)`;
  }
  for (const f of r.failures) process.stdout.write(`FAIL ${f.name} (${f.dir}):\n${f.problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.stdout.write(`${what} in ${((Date.now() - started) / 1000).toFixed(1)}s, ${r.failures.length} broke the contract\n`);
  return r.failures.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
