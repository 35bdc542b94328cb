/**
 * The `ztpfw` command line. Exit codes: 0 ok, 1 invalid input, 2 usage error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { buildApp } from '../main';
import { Diagnostic, formatDiagnostic } from '../model/diagnostics';
import { fleetJsonSchema } from '../model/json-schema';
import { loadFleet, LoadResult } from '../model/loader';
import { committedClusters, removedClusterWarnings } from './lifecycle';
import { renderApp, writeAtomically } from './render';
import { runSecrets, SECRETS_HELP } from './secrets';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** True when stderr is a terminal (progress is shown only then). */
  readonly isTty: boolean;
  readonly cwd: string;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTty: Boolean(process.stderr.isTTY),
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

Run "ztpfw <command> --help" for the options of a command.
Exit codes: 0 ok, 1 invalid input, 2 usage error.
`,
  validate: `Usage: ztpfw validate [--input PATH] [--quiet]

Checks the fleet definition. PATH is a legacy edgeclusters.yaml or a folder holding one
config file and one file per edge cluster (default: clusters/).
Errors and warnings go to stderr as FILE:LINE:COL: error|warning: MESSAGE.

Options:
  -i, --input PATH   fleet file or folder (default: clusters)
  -q, --quiet        print nothing on success
  -h, --help         show this help
`,
  synth: `Usage: ztpfw synth [--input PATH] [--out DIR] [--reattach CLUSTER]... [--quiet]

Validates the fleet, renders it, and replaces DIR in one step. On any error DIR is left
exactly as it was. Files of removed clusters disappear: each removed cluster folder is
reported on stderr with the objects Argo CD will delete from the hub.
A cluster that DIR shows detached (STATE: detach) cannot silently go back to install or
configure: that is an error unless --reattach names it.

Options:
  -i, --input PATH   fleet file or folder (default: clusters)
  -o, --out DIR      output folder (default: dist)
      --reattach C   allow detached cluster C to be registered with the hub again (repeatable)
  -q, --quiet        no summary, no progress
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

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(args: string[], options: ParseArgsConfig['options']): { values: Values } {
  try {
    const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, strict: true, allowPositionals: false });
    return { values: values as Values };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

function printDiagnostics(result: LoadResult, io: Io): void {
  for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
}

function count(list: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return list.filter((d) => d.severity === severity).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function cmdValidate(args: string[], io: Io): number {
  const { values } = parse(args, { input: { type: 'string', short: 'i' }, quiet: { type: 'boolean', short: 'q' } });
  if (values.help) return io.stdout(HELP.validate), EXIT_OK;
  const input = (values.input as string | undefined) ?? 'clusters';
  const result = loadFleet(input, { cwd: io.cwd });
  printDiagnostics(result, io);
  if (!result.fleet) {
    io.stderr(`${plural(count(result.diagnostics, 'error'), 'error')}, ${plural(count(result.diagnostics, 'warning'), 'warning')}\n`);
    return EXIT_INVALID;
  }
  if (!values.quiet) {
    io.stdout(`${input}: ${summary(result)}${count(result.diagnostics, 'warning') ? `, ${plural(count(result.diagnostics, 'warning'), 'warning')}` : ''}\n`);
  }
  return EXIT_OK;
}

function summary(result: LoadResult): string {
  const clusters = result.fleet?.clusters ?? [];
  const by = (t: string) => clusters.filter((c) => c.topology === t).length;
  const parts = [['sno', by('sno')], ['compact', by('compact')], ['standard (3+N)', by('standard')]].filter(([, n]) => n).map(([t, n]) => `${n} ${t}`);
  return `${plural(clusters.length, 'cluster')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Refuses output folders whose replacement would destroy something that is not generated output. */
function checkOutDir(out: string, input: string, cwd: string): void {
  const o = path.resolve(cwd, out);
  const i = path.resolve(cwd, input);
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
  if (o === path.parse(o).root || inside(cwd, o)) throw new UsageError(`refusing to replace "${out}": it contains the current folder`);
  if (inside(i, o)) throw new UsageError(`refusing to replace "${out}": it contains the input "${input}"`);
  if (fs.existsSync(path.join(o, '.git'))) throw new UsageError(`refusing to replace "${out}": it is a git work tree`);
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
  checkOutDir(out, input, io.cwd);
  const previous = committedClusters(path.resolve(io.cwd, out));
  const reattach = new Set((values.reattach as unknown as string[] | undefined) ?? []);
  const result = loadFleet(input, { cwd: io.cwd, detached: new Set([...previous.values()].filter((c) => c.detached).map((c) => c.name)), reattach });
  printDiagnostics(result, io);
  if (!result.fleet) {
    io.stderr(`${plural(count(result.diagnostics, 'error'), 'error')}; ${out}/ left unchanged\n`);
    return EXIT_INVALID;
  }
  const progress = io.isTty && !values.quiet;
  const app = buildApp(result.fleet);
  const rendered = renderApp(app, progress ? (done, total) => {
    if (total >= 20) io.stderr(`\rrendering ${done}/${total} charts`);
  } : undefined);
  if (progress) io.stderr('\r\x1b[K');
  for (const line of removedClusterWarnings(previous, rendered.files, out)) io.stderr(line);
  writeAtomically(path.resolve(io.cwd, out), rendered.files);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!values.quiet) {
    io.stdout(`synthesized ${summary(result)} into ${out}/: ${plural(rendered.objects, 'object')} in ${plural(rendered.files.length, 'file')}, ${seconds.toFixed(2)}s\n`);
  }
  return EXIT_OK;
}

function cmdSchema(args: string[], io: Io): number {
  const { values } = parse(args, { out: { type: 'string', short: 'o' } });
  if (values.help) return io.stdout(HELP.schema), EXIT_OK;
  const text = `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;
  if (values.out) fs.writeFileSync(path.resolve(io.cwd, values.out as string), text);
  else io.stdout(text);
  return EXIT_OK;
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

const COMMANDS: Record<string, (args: string[], io: Io) => number> = {
  validate: cmdValidate,
  synth: cmdSynth,
  schema: cmdSchema,
  secrets: cmdSecrets,
};

/** Runs one command; returns the exit code. Never throws for user mistakes. */
export function run(argv: string[], io: Io = defaultIo): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(HELP.main);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const fn = COMMANDS[command];
    if (!fn) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return fn(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ztpfw: ${e.message}\nRun "ztpfw ${COMMANDS[command ?? ''] ? `${command} ` : ''}--help" for usage.\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

export function main(): void {
  process.exitCode = run(process.argv.slice(2));
}
