/**
 * The `ztpfw` command line. Exit codes: 0 ok, 1 invalid input, 2 usage error or the command could not run,
 * 3 differences (`diff --exit-code`), 4 internal error (a bug).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { App } from 'cdk8s';
import { addCharts, buildApp } from '../main';
import { Diagnostic, formatDiagnostics, githubAnnotations } from '../model/diagnostics';
import { fleetJsonSchema } from '../model/json-schema';
import { loadFleet, LoadResult } from '../model/loader';
import { safeLine } from '../model/text';
import { committedClusters, removedClusterWarnings } from './lifecycle';
import { diffRenders } from './diff';
import { DEFAULT_MAX_LINES, formatDiff } from './diff-format';
import { DEFAULT_BLAST_RADIUS, riskFlags } from './diff-risks';
import { clusterRows, formatList } from './list';
import { GitError, readDir, readTreeAt } from './git';
import { checkOutPath, lockForReading, openOutput, OutputDirError, Staging } from './output-dir';
import { renderApp, renderInto } from './render';
import { runSecrets, SECRETS_HELP } from './secrets';
import { projectRoot, schemaDir, schemaDirProblem, useSchemaDir } from './verify/schemas';
import { Finding, FindingClass, verifyOutput, VerifyReport } from './verify/verify';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
/** `ztpfw diff --exit-code` when the render differs from the base (1 stays "invalid input"). */
export const EXIT_DIFFERENCES = 3;
/** A bug in ztpfw (an exception no check caught): reported as such, stack trace only with --debug/ZTPFW_DEBUG=1. */
export const EXIT_INTERNAL = 4;

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** True when stderr is a terminal (progress is shown only then). */
  readonly isTty: boolean;
  /**
   * True when stdout is a terminal (`ztpfw diff` colours only then).
   * @default isTty
   */
  readonly stdoutIsTty?: boolean;
  /**
   * Environment (`NO_COLOR`).
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTty: Boolean(process.stderr.isTTY),
  stdoutIsTty: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
};

class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `Usage: ztpfw <command> [options]

Renders factory zero-touch provisioning of OpenShift edge clusters from a fleet definition.

Commands:
  validate   check the fleet definition and report every problem at FILE:LINE:COL
  synth      render the fleet into dist/ (one Kubernetes object per file), replacing it atomically
  schema     print the JSON Schema of the input, for editors (yaml-language-server)
  secrets    print (or oc apply) the BMC and pull Secrets that dist/ only references
  verify     prove a rendered dist/ offline: schemas, references, invariants, kustomize build
  diff       compare what the fleet renders with the committed dist/, with risk flags
  list       the fleet at a glance: cluster, topology, STATE, delivery, bundles, nodes, OCP

Run "ztpfw help <command>" (or "ztpfw <command> --help") for the options of a command;
"ztpfw --version" prints the version.
Global option: --debug (or ZTPFW_DEBUG=1) prints the stack trace of an internal error.
Exit codes: 0 ok, 1 invalid input, 2 usage error or the command could not run (e.g. an output
folder it may not replace, a full disk), 3 differences (diff --exit-code), 4 internal error (a bug).
`,
  validate: `Usage: ztpfw validate [--input PATH] [--format text|json|github] [--quiet]

Checks the fleet definition. PATH is a legacy edgeclusters.yaml or a folder holding one
config file and one file per edge cluster (default: clusters/).
Errors and warnings go to stderr as FILE:LINE:COL: error|warning: MESSAGE; a warning repeated
more than 3 times is one line at its first place, with the count and the first 3 places.

Options:
  -i, --input PATH   fleet file or folder (default: clusters)
  -f, --format F     text (default); json: one JSON report on stdout with every diagnostic;
                     github: GitHub Actions annotations (::error file=F,line=L,col=C::MESSAGE) on stdout
  -q, --quiet        errors only: no warnings, no summary
  -h, --help         show this help
`,
  synth: `Usage: ztpfw synth [--input PATH] [--out DIR] [--reattach CLUSTER]... [--quiet]

Validates the fleet, renders it, and replaces DIR in one step. On any error DIR is left
exactly as it was. Files of removed clusters disappear: each removed cluster folder is
reported on stderr with the objects that stay on the hub, unmanaged (Argo CD deletes
the cluster's application only).
DIR is replaced only when it is missing, empty or a previous output (it holds the
.ztpfw-output marker synth writes): never a file, a link or a folder of yours, and
never inside an input folder. A kill at any moment leaves the old or the new output;
runs on one DIR take turns.
A cluster that DIR (or DIR as committed at HEAD) shows detached (STATE: detach) cannot
silently go back to install or configure: that is an error unless --reattach names it.

Options:
  -i, --input PATH   fleet file or folder (default: clusters)
  -o, --out DIR      output folder (default: dist)
      --reattach C   allow detached cluster C to be registered with the hub again (repeatable)
  -q, --quiet        errors only: no warnings, no summary, no progress
  -h, --help         show this help
`,
  schema: `Usage: ztpfw schema [--out FILE]

Writes the JSON Schema of the input format (to stdout, or to FILE).
Reference it from a fleet file with:
  # yaml-language-server: $schema=<path>/edgeclusters.schema.json

Options:
  -o, --out FILE     write to FILE instead of stdout
  -h, --help         show this help
`,
};

HELP.secrets = SECRETS_HELP;
HELP.verify = `Usage: ztpfw verify [--out DIR] [--input PATH] [--schemas DIR] [--kustomize MODE] [--format text|json]

Proves a rendered output folder without a cluster. Every object, including those that Policies and
ManifestWorks deliver to edge clusters, is validated against the pinned CRD and Kubernetes schemas;
every reference must resolve (or be an out-of-band Secret of the fleet); the output invariants must
hold; every folder with a kustomization.yaml must build with kubectl kustomize (kustomize v5).

Findings go to stderr as FILE: SEVERITY[CLASS]: OBJECT: MESSAGE, the summary to stdout.

Options:
  -o, --out DIR        rendered output folder (default: dist)
  -i, --input PATH     the fleet it was rendered from, for its out-of-band Secrets and DISCONNECTED
                       (default: clusters)
  -s, --schemas DIR    folder with crds/ and k8s-schema/ (default: schemas/ of this project, the
                       pinned copies listed in schemas/SOURCES.md)
      --kustomize MODE auto (default; without a kubectl: a notice, an error when $CI is set),
                       require, or skip
  -f, --format F       text (default) or json: the report as JSON on stdout
      --json           the same as --format json
  -h, --help           show this help

Exit codes: 0 no error finding, 1 error findings (or an invalid fleet), 2 usage error or missing
output/schema folder (verify could not run).
`;

HELP.diff = `Usage: ztpfw diff [--base REV | --base-dir DIR] [--input PATH] [--out DIR] [--format text|markdown|json]
                  [--max-lines N] [--blast-radius N] [--color auto|always|never] [--exit-code]

Renders the fleet in memory (dist/ is never touched) and compares every object with the
output folder as committed at REV, read from git without a checkout. Changes are grouped by
cluster (clusters/<name>, day-2 bundles included), then the hub, then by kind; changed objects
list each field as old -> new, long strings (scripts, ignition JSON) as a line diff.
Risky changes are flagged first, each with the reason.

Options:
  -b, --base REV        git revision whose output folder is the base (default: HEAD)
      --base-dir DIR    compare with a folder on disk instead, e.g. dist for the working copy
  -i, --input PATH      fleet file or folder (default: clusters)
  -o, --out DIR         the output folder of "ztpfw synth" in the repository (default: dist)
  -f, --format FORMAT   text (default), markdown (for a pull request comment) or json (every flag
                        and field change)
      --max-lines N     lines shown of each line diff (default: ${DEFAULT_MAX_LINES})
      --blast-radius N  flag a change that touches more than N clusters (default: ${DEFAULT_BLAST_RADIUS})
      --color WHEN      auto (default: when stdout is a terminal and NO_COLOR is unset), always, never
      --exit-code       exit 3 when there are differences
  -h, --help            show this help

Exit codes: 0 compared (differences or not), 1 invalid fleet, 2 usage or git error,
3 differences with --exit-code.
`;

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(args: string[], options: ParseArgsConfig['options']): { values: Values } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  // A value option given twice would silently take the last (`-o a -o b`), and an empty one would mean the current
  // folder (`-i ''`): both are usage errors, except for the options made to repeat.
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option' || options?.[t.name]?.type !== 'string') continue;
    if (seen.has(t.name) && !options[t.name].multiple) throw new UsageError(`--${t.name} is given more than once`);
    seen.add(t.name);
    if (t.value === '') throw new UsageError(`--${t.name} is empty`);
  }
  return { values: parsed.values as Values };
}

/** Diagnostics on stderr, repeated warnings folded into one line each; `quiet`: errors only. */
function printDiagnostics(result: LoadResult, io: Io, quiet = false): void {
  for (const line of formatDiagnostics(result.diagnostics, { quiet })) io.stderr(`${line}\n`);
}

/** `--format`, checked against the formats a command has (`json` also from a legacy `--json`). */
function formatOf<F extends string>(values: Values, allowed: readonly F[]): F {
  const format = (values.format as string | undefined) ?? (values.json ? 'json' : allowed[0]);
  if (!allowed.includes(format as F)) throw new UsageError(`--format must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, got "${format}"`);
  if (values.json && format !== 'json') throw new UsageError(`--json and --format ${format} exclude each other`);
  return format as F;
}

function count(list: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return list.filter((d) => d.severity === severity).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function cmdValidate(args: string[], io: Io): number {
  const { values } = parse(args, { input: { type: 'string', short: 'i' }, quiet: { type: 'boolean', short: 'q' }, format: { type: 'string', short: 'f' } });
  if (values.help) return io.stdout(HELP.validate), EXIT_OK;
  const format = formatOf(values, ['text', 'json', 'github'] as const);
  const input = (values.input as string | undefined) ?? 'clusters';
  const result = loadFleet(input, { cwd: io.cwd });
  if (format === 'json') {
    io.stdout(`${JSON.stringify(validateJson(input, result), null, 2)}\n`);
    return result.fleet ? EXIT_OK : EXIT_INVALID;
  }
  // Workflow commands are read from stdout; the summary stays a plain line.
  if (format === 'github') for (const line of githubAnnotations(result.diagnostics, { quiet: Boolean(values.quiet) })) io.stdout(`${line}\n`);
  else printDiagnostics(result, io, Boolean(values.quiet));
  if (!result.fleet) {
    io.stderr(`${plural(count(result.diagnostics, 'error'), 'error')}, ${plural(count(result.diagnostics, 'warning'), 'warning')}\n`);
    return EXIT_INVALID;
  }
  if (!values.quiet) {
    io.stdout(`${safeLine(`${input}: ${summary(result)}${count(result.diagnostics, 'warning') ? `, ${plural(count(result.diagnostics, 'warning'), 'warning')}` : ''}`)}\n`);
  }
  return EXIT_OK;
}

/** `ztpfw validate --format json` (shape documented in the README). */
function validateJson(input: string, result: LoadResult): object {
  const clusters = result.fleet?.clusters ?? [];
  const by = (t: string) => clusters.filter((c) => c.topology === t).length;
  return {
    input,
    ok: result.fleet !== undefined,
    clusters: clusters.length,
    topologies: { sno: by('sno'), compact: by('compact'), standard: by('standard') },
    errors: count(result.diagnostics, 'error'),
    warnings: count(result.diagnostics, 'warning'),
    diagnostics: result.diagnostics.map(({ file, line, col, severity, message }) => ({ file, line, col, severity, message })),
  };
}

function summary(result: LoadResult): string {
  const clusters = result.fleet?.clusters ?? [];
  const by = (t: string) => clusters.filter((c) => c.topology === t).length;
  const parts = [['sno', by('sno')], ['compact', by('compact')], ['standard (3+N)', by('standard')]].filter(([, n]) => n).map(([t, n]) => `${n} ${t}`);
  return `${plural(clusters.length, 'cluster')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function cmdSynth(args: string[], io: Io): number {
  const { values } = parse(args, {
    input: { type: 'string', short: 'i' },
    out: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', short: 'q' },
    reattach: { type: 'string', multiple: true },
  });
  if (values.help) return io.stdout(HELP.synth), EXIT_OK;
  const started = process.hrtime.bigint();
  const input = (values.input as string | undefined) ?? 'clusters';
  const out = (values.out as string | undefined) ?? 'dist';
  checkOutPath(out, input, io.cwd);
  // The lock is held from before the previous output is read until the new one is in place; opening also puts
  // back an output an interrupted run left aside, so the lifecycle guards below see it.
  const staging = openOutput(path.resolve(io.cwd, out), { display: out });
  try {
    return synthInto(staging, values, input, out, io, started);
  } catch (e) {
    const problem = ioProblem(e);
    if (problem) throw new OutputDirError(`${problem}; ${out}/ left unchanged`);
    throw e;
  } finally {
    staging.abort(); // nothing left to do after a commit
  }
}

function synthInto(staging: Staging, values: Values, input: string, out: string, io: Io, started: bigint): number {
  const previous = committedClusters(staging.target, { cwd: io.cwd, out });
  const reattach = new Set((values.reattach as unknown as string[] | undefined) ?? []);
  const names = (pick: (c: { detached: boolean; switched: boolean }) => boolean) => new Set([...previous.values()].filter(pick).map((c) => c.name));
  const result = loadFleet(input, {
    cwd: io.cwd,
    detached: names((c) => c.detached),
    configured: names((c) => !c.detached && !c.switched),
    reattach,
  });
  printDiagnostics(result, io, Boolean(values.quiet));
  if (!result.fleet) {
    io.stderr(`${plural(count(result.diagnostics, 'error'), 'error')}; ${safeLine(out)}/ left unchanged\n`);
    return EXIT_INVALID;
  }
  const progress = io.isTty && !values.quiet;
  const fleet = result.fleet;
  // Chart by chart: each is written as soon as it is complete and then dropped, so memory stays flat in fleet size.
  const rendered = renderInto(staging, new App(), (app) => addCharts(app, fleet), progress ? (done) => {
    if (done >= 20 && done % 10 === 0) io.stderr(`\rrendering: ${done} charts`);
  } : undefined);
  if (progress) io.stderr('\r\x1b[K');
  for (const line of removedClusterWarnings(previous, rendered.paths, out)) io.stderr(line);
  staging.commit();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!values.quiet) {
    io.stdout(`synthesized ${summary(result)} into ${safeLine(out)}/: ${plural(rendered.objects, 'object')} in ${plural(rendered.paths.length, 'file')}, ${seconds.toFixed(2)}s\n`);
  }
  return EXIT_OK;
}

function cmdSchema(args: string[], io: Io): number {
  const { values } = parse(args, { out: { type: 'string', short: 'o' } });
  if (values.help) return io.stdout(HELP.schema), EXIT_OK;
  const text = `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;
  if (values.out) {
    const file = path.resolve(io.cwd, values.out as string);
    // replaces only an earlier schema (or nothing): `--out clusters/edge.yaml` must not overwrite a fleet file
    if (fs.existsSync(file) && !isFleetSchema(file)) throw new UsageError(`refusing to overwrite "${values.out}": it is not a fleet schema written by ztpfw schema`);
    fs.writeFileSync(file, text);
  } else io.stdout(text);
  return EXIT_OK;
}

/** True when `file` is a JSON document with the `$id` of the fleet schema (so a previous `ztpfw schema --out`). */
function isFleetSchema(file: string): boolean {
  try {
    if (!fs.lstatSync(file).isFile()) return false;
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { $id?: unknown };
    return doc.$id === (fleetJsonSchema() as { $id?: unknown }).$id;
  } catch {
    return false;
  }
}

function cmdSecrets(args: string[], io: Io): number {
  const { values } = parse(args, {
    input: { type: 'string', short: 'i' },
    from: { type: 'string', short: 'f' },
    'pull-secret': { type: 'string', short: 'p' },
    cluster: { type: 'string', short: 'c', multiple: true },
    apply: { type: 'boolean' },
  });
  if (values.help) return io.stdout(HELP.secrets), EXIT_OK;
  return runSecrets({
    input: (values.input as string | undefined) ?? 'clusters',
    from: values.from as string | undefined,
    pullSecret: values['pull-secret'] as string | undefined,
    clusters: (values.cluster as unknown as string[] | undefined) ?? [],
    apply: Boolean(values.apply),
  }, io) === 0 ? EXIT_OK : EXIT_INVALID;
}

const CLASS_ORDER: readonly FindingClass[] = ['parse', 'schema', 'unknown-field', 'no-schema', 'reference', 'invariant', 'airgap', 'kustomize'];

function formatFinding(f: Finding, out: string): string {
  return safeLine(`${f.file ? `${out}/${f.file}` : out}: ${f.severity}[${f.class}]: ${f.object ? `${f.object}: ` : ''}${f.message}`, 4000);
}

/** How many locations a grouped warning line names. */
const GROUP_EXAMPLES = 3;

/**
 * Findings as lines: every error on its own line; warnings and notices with the same class and message (the same
 * missing schema on 1,000 clusters) as one line, at the first location, with the count and the next locations.
 */
export function groupedFindings(findings: readonly Finding[], out: string): string[] {
  const groups = new Map<string, Finding[]>();
  const lines: (Finding | Finding[])[] = [];
  for (const f of findings) {
    if (f.severity === 'error') {
      lines.push(f);
      continue;
    }
    const k = `${f.severity}\u0000${f.class}\u0000${f.message}`;
    const g = groups.get(k);
    if (g) g.push(f);
    else {
      const list = [f];
      groups.set(k, list);
      lines.push(list);
    }
  }
  return lines.map((l) => {
    if (!Array.isArray(l)) return formatFinding(l, out);
    const [f, ...more] = l;
    if (more.length === 0) return formatFinding(f, out);
    const next = more.slice(0, GROUP_EXAMPLES).map((m) => (m.file ? `${out}/${m.file}` : out));
    return `${formatFinding(f, out)} (${l.length} times; also ${safeLine(next.join(', '))}${more.length > GROUP_EXAMPLES ? `, and ${more.length - GROUP_EXAMPLES} more` : ''})`;
  });
}

function verifySummary(report: VerifyReport, out: string, seconds: number): string {
  const lines: string[] = [];
  lines.push(`verified ${out}/: ${plural(report.files, 'file')}, ${plural(report.objects, 'object')} + ${report.embedded} delivered by Policies/ManifestWorks, on ${plural(report.targets.length, 'cluster')} (${seconds.toFixed(2)}s)`);
  lines.push(`objects by kind: ${Object.entries(report.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const c of report.checks) lines.push(`check ${c.name}: ${c.skipped ? `SKIPPED (${c.skipped})` : c.scope}`);
  const by = (sev: Finding['severity']) => report.findings.filter((f) => f.severity === sev);
  const classes = CLASS_ORDER.map((c) => [c, report.findings.filter((f) => f.class === c && f.severity !== 'notice').length] as const).filter(([, n]) => n > 0);
  lines.push(`findings: ${plural(by('error').length, 'error')}, ${plural(by('warning').length, 'warning')}, ${plural(by('notice').length, 'notice')}${classes.length ? ` (${classes.map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`);
  // kinds and folder names come from the output, which a pull request may have edited
  return `${lines.map((l) => safeLine(l, 4000)).join('\n')}\n`;
}

function cmdVerify(args: string[], io: Io): number {
  const { values } = parse(args, {
    out: { type: 'string', short: 'o' },
    input: { type: 'string', short: 'i' },
    schemas: { type: 'string', short: 's' },
    kustomize: { type: 'string' },
    json: { type: 'boolean' },
    format: { type: 'string', short: 'f' },
  });
  if (values.help) return io.stdout(HELP.verify), EXIT_OK;
  const format = formatOf(values, ['text', 'json'] as const);
  const started = process.hrtime.bigint();
  const out = (values.out as string | undefined) ?? 'dist';
  const outDir = path.resolve(io.cwd, out);
  if (!fs.existsSync(outDir) || !fs.statSync(outDir).isDirectory()) throw new UsageError(`no output folder "${out}"; run "ztpfw synth" first or pass --out`);
  const mode = (values.kustomize as string | undefined) ?? 'auto';
  if (mode !== 'auto' && mode !== 'require' && mode !== 'skip') throw new UsageError(`--kustomize must be auto, require or skip, not "${mode}"`);
  useSchemaDir(values.schemas === undefined ? undefined : path.resolve(io.cwd, values.schemas as string));
  const problem = schemaDirProblem(schemaDir());
  if (problem) {
    throw new UsageError(`${problem}; point --schemas at the folder holding crds/ and k8s-schema/ (verifying without schemas would prove nothing)`);
  }
  const input = (values.input as string | undefined) ?? 'clusters';
  if (values.input === undefined && !fs.existsSync(path.resolve(io.cwd, input))) {
    throw new UsageError(`no fleet at "${input}" to take the out-of-band Secrets from; pass --input`);
  }
  const loaded = loadFleet(input, { cwd: io.cwd });
  printDiagnostics(loaded, io);
  if (!loaded.fleet) {
    io.stderr(`${plural(count(loaded.diagnostics, 'error'), 'error')} in the fleet ${safeLine(input)}; nothing verified\n`);
    return EXIT_INVALID;
  }
  // In CI a verify that silently skips the kustomize build would be a pass that proves less than it says.
  const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
  const progress = io.isTty && format !== 'json';
  // a synth of the same folder waits for this run (and this run for it): the folder is read whole, never mid-swap
  const release = lockForReading(outDir, { display: out });
  let report: VerifyReport;
  try {
    report = verifyOutput({
      out: outDir, fleet: loaded.fleet, kustomize: mode === 'auto' && ci ? 'require' : mode,
      onProgress: progress ? (phase, done, total) => io.stderr(`\r\x1b[Kverifying: ${phase}${total > 1 ? ` ${done}/${total}` : ''}`) : undefined,
    });
  } finally {
    release();
  }
  if (progress) io.stderr('\r\x1b[K');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ out, input, schemas: schemaDir(), ok: errors === 0, seconds: Number(seconds.toFixed(3)), ...report }, null, 2)}\n`);
  } else {
    for (const line of groupedFindings(report.findings, out)) io.stderr(`${line}\n`);
    io.stdout(verifySummary(report, out, seconds));
  }
  return errors > 0 ? EXIT_INVALID : EXIT_OK;
}

function positiveInt(values: Values, name: string, fallback: number): number {
  const raw = values[name] as string | undefined;
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} must be a whole number of 1 or more, got "${raw}"`);
  return Number(raw);
}

function cmdDiff(args: string[], io: Io): number {
  const { values } = parse(args, {
    base: { type: 'string', short: 'b' },
    'base-dir': { type: 'string' },
    input: { type: 'string', short: 'i' },
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    'max-lines': { type: 'string' },
    'blast-radius': { type: 'string' },
    color: { type: 'string' },
    'exit-code': { type: 'boolean' },
  });
  if (values.help) return io.stdout(HELP.diff), EXIT_OK;
  const format = formatOf(values, ['text', 'markdown', 'json'] as const);
  const colorWhen = (values.color as string | undefined) ?? 'auto';
  if (!['auto', 'always', 'never'].includes(colorWhen)) throw new UsageError(`--color must be auto, always or never, got "${colorWhen}"`);
  if (values.base !== undefined && values['base-dir'] !== undefined) throw new UsageError('--base and --base-dir exclude each other');
  const maxLines = positiveInt(values, 'max-lines', DEFAULT_MAX_LINES);
  const blastRadius = positiveInt(values, 'blast-radius', DEFAULT_BLAST_RADIUS);
  const input = (values.input as string | undefined) ?? 'clusters';
  const out = (values.out as string | undefined) ?? 'dist';

  let base: Map<string, string>;
  let baseLabel: string;
  if (values['base-dir'] !== undefined) {
    const dir = values['base-dir'] as string;
    const abs = path.resolve(io.cwd, dir);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new UsageError(`--base-dir "${dir}" is not a folder`);
    const release = lockForReading(abs, { display: dir });
    try {
      base = readDir(abs);
    } finally {
      release();
    }
    baseLabel = `folder ${dir}/`;
  } else {
    const rev = (values.base as string | undefined) ?? 'HEAD';
    try {
      const snap = readTreeAt(io.cwd, rev, out);
      base = snap.files;
      baseLabel = `${out}/ at ${rev} (${snap.commit.slice(0, 12)})`;
      if (base.size === 0) io.stderr(`${safeLine(`ztpfw: note: ${out}/ does not exist at ${rev}; every object counts as added`)}\n`);
    } catch (e) {
      if (e instanceof GitError) throw new UsageError(e.message);
      throw e;
    }
  }

  const result = loadFleet(input, { cwd: io.cwd });
  printDiagnostics(result, io);
  if (!result.fleet) {
    io.stderr(`${plural(count(result.diagnostics, 'error'), 'error')}; nothing compared\n`);
    return EXIT_INVALID;
  }
  const rendered = renderApp(buildApp(result.fleet));
  const head = new Map(rendered.files.map((f) => [f.path, f.content]));
  const diff = diffRenders(base, head);
  const flags = riskFlags(diff, { blastRadius });
  const env = io.env ?? process.env;
  const colour = format === 'text' && (colorWhen === 'always' || (colorWhen === 'auto' && (io.stdoutIsTty ?? io.isTty) && !env.NO_COLOR));
  io.stdout(formatDiff(diff, flags, { format, colour, maxLines, baseLabel: safeLine(baseLabel), headLabel: safeLine(input), fleet: clusterRows(result.fleet) }));
  return values['exit-code'] && diff.objects.length > 0 ? EXIT_DIFFERENCES : EXIT_OK;
}

HELP.list = `Usage: ztpfw list [--input PATH] [--format text|markdown|json]

The fleet at a glance, one row per cluster: name, topology, STATE, day-2 delivery, day-2 bundles,
nodes (masters+workers, nodes marked state: remove counted apart) and the OpenShift version.
Read from the input (validated first; nothing is rendered).

Options:
  -i, --input PATH     fleet file or folder (default: clusters)
  -f, --format FORMAT  text (default), markdown or json
  -h, --help           show this help
`;

function cmdList(args: string[], io: Io): number {
  const { values } = parse(args, { input: { type: 'string', short: 'i' }, format: { type: 'string', short: 'f' } });
  if (values.help) return io.stdout(HELP.list), EXIT_OK;
  const format = formatOf(values, ['text', 'markdown', 'json'] as const);
  const input = (values.input as string | undefined) ?? 'clusters';
  const result = loadFleet(input, { cwd: io.cwd });
  printDiagnostics(result, io, true);
  if (!result.fleet) {
    io.stderr(`${plural(count(result.diagnostics, 'error'), 'error')}; run "ztpfw validate" for the warnings too\n`);
    return EXIT_INVALID;
  }
  io.stdout(formatList(clusterRows(result.fleet), format, safeLine(input)));
  return EXIT_OK;
}

const COMMANDS: Record<string, (args: string[], io: Io) => number> = {
  validate: cmdValidate,
  synth: cmdSynth,
  schema: cmdSchema,
  secrets: cmdSecrets,
  verify: cmdVerify,
  diff: cmdDiff,
  list: cmdList,
};

/** File system failures the user can act on (full disk, permissions, …), reported without a stack trace. */
const IO_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EIO', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST', 'ENOTEMPTY', 'EBUSY', 'EXDEV', 'ELOOP', 'ENAMETOOLONG']);

function ioProblem(e: unknown): string | undefined {
  // Duck-typed: errors thrown by Node's own modules are not always instances of this realm's Error (jest).
  const err = e as NodeJS.ErrnoException;
  if (typeof e !== 'object' || e === null || typeof err.code !== 'string' || !IO_CODES.has(err.code)) return undefined;
  const what = err.syscall ? `${err.syscall}${err.path ? ` ${err.path}` : ''}` : 'file system';
  return `${what} failed: ${err.code}${err.code === 'ENOSPC' ? ' (no space left on device)' : err.code === 'EROFS' ? ' (read-only file system)' : err.code === 'EACCES' || err.code === 'EPERM' ? ' (permission denied)' : ''}`;
}

/** The version in package.json (read at run time: the build does not copy it). */
function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Runs one command; returns the exit code. Never throws: user mistakes exit 1/2, bugs exit {@link EXIT_INTERNAL}. */
export function run(argv: string[], io: Io = defaultIo): number {
  const env = io.env ?? process.env;
  const debug = argv.includes('--debug') || (env.ZTPFW_DEBUG !== undefined && env.ZTPFW_DEBUG !== '' && env.ZTPFW_DEBUG !== '0');
  const [command, ...rest] = argv.filter((a) => a !== '--debug');
  try {
    if (command === '--version' || command === '-V' || command === 'version') return io.stdout(`ztpfw ${packageVersion()}\n`), EXIT_OK;
    if (command === 'help' && rest.length > 0) {
      // `ztpfw help synth` is `ztpfw synth --help`.
      if (rest.length > 1 || !HELP[rest[0]] || rest[0] === 'main') throw new UsageError(`help takes one command; commands: ${Object.keys(COMMANDS).join(', ')}`);
      return io.stdout(HELP[rest[0]]), EXIT_OK;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(HELP.main);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const fn = COMMANDS[command];
    if (!fn) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return fn(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ztpfw: ${safeLine(e.message)}\nRun "ztpfw ${COMMANDS[command ?? ''] ? `${command} ` : ''}--help" for usage.\n`);
      return EXIT_USAGE;
    }
    if (e instanceof OutputDirError) {
      io.stderr(`ztpfw: ${safeLine(e.message)}\n`);
      return EXIT_USAGE;
    }
    const problem = ioProblem(e);
    if (problem) {
      io.stderr(`ztpfw: ${safeLine(problem)}\n`);
      return EXIT_USAGE;
    }
    // The message and stack of an unexpected error may quote the input (a password): shown only when asked for.
    const name = e instanceof Error ? e.constructor.name : typeof e;
    io.stderr(debug
      ? `ztpfw: internal error (${safeLine(name)}): ${safeLine(e instanceof Error ? e.message : String(e))}\n${e instanceof Error && e.stack ? `${e.stack}\n` : ''}`
      : `ztpfw: internal error (${safeLine(name)}): a bug in ztpfw, not in your input. Run with --debug (or ZTPFW_DEBUG=1) for its message and stack trace, which may quote the input.\n`);
    return EXIT_INTERNAL;
  }
}

export function main(): void {
  process.exitCode = run(process.argv.slice(2));
}
