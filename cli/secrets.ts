/**
 * `ztpfw secrets`: turns BMC credentials and the pull secret, which never enter git or dist/, into Secret manifests
 * for the hub, printed to stdout or applied with `oc apply -f -`. Values go only to stdout or to oc's stdin; every
 * message on stderr names the node or file, never the value.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { z } from 'zod';
import { Diagnostic, PathSegment, Reporter, SourceFile, formatDiagnostics } from '../model/diagnostics';
import { readInputFile } from '../model/input-file';
import { loadFleet, reportYamlErrors } from '../model/loader';
import { outOfBandSecrets, OutOfBandSecret } from '../model/secrets';
import { secretValuesIn } from '../model/text';
import type { InlineBmcCredential } from '../model/types';

export const SECRETS_HELP = `Usage: ztpfw secrets [--input PATH] [--from FILE] [--pull-secret FILE] [--cluster NAME]... [--apply]

Prints the Secrets the rendered clusters reference but dist/ never contains: one BMC Secret
(username/password) per node, and with --pull-secret the pull secret of every cluster namespace,
each preceded by its Namespace. Nodes with "bmc_secret" use a pre-created Secret and are skipped.

BMC credentials are taken, first match wins, from:
  1. the secrets file (--from): secrets.<secret-name>, clusters.<cluster>.<node>,
     clusters.<cluster>.default, then default
  2. the environment: ZTPFW_BMC_<CLUSTER>_<NODE>_USERNAME / _PASSWORD (upper case, "-" as "_"),
     then ZTPFW_BMC_USERNAME / ZTPFW_BMC_PASSWORD for every node
  3. legacy bmc_user/bmc_pass in the fleet file (validate warns about them)
Keep the secrets file out of git (secrets/, *.secrets.yaml and .ztpfw-secrets.yaml are ignored).

Options:
  -i, --input PATH        fleet file or folder (default: clusters)
  -f, --from FILE         untracked YAML secrets file
  -p, --pull-secret FILE  docker config JSON ({"auths": …}) to store as each cluster's pull secret
  -c, --cluster NAME      only this cluster (repeatable)
      --apply             pipe the manifests to "oc apply -f -" instead of printing them
  -h, --help              show this help
`;

const Credential = z.strictObject({
  username: z.union([z.string().min(1), z.number()]),
  password: z.union([z.string().min(1), z.number()]),
});
/** The secrets file (`--from`). */
export const SecretsFile = z.strictObject({
  default: Credential.optional(),
  clusters: z.record(z.string(), z.record(z.string(), Credential)).optional(),
  secrets: z.record(z.string(), Credential).optional(),
});
type SecretsFileData = z.infer<typeof SecretsFile>;

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface SecretsEnv {
  readonly [key: string]: string | undefined;
}

export interface SecretsIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
}

/** Applies manifests on the hub; returns the exit code of the apply. */
export type Applier = (manifests: string, io: SecretsIo) => number;

export interface SecretsCommandOptions {
  /** @default process.env */
  readonly env?: SecretsEnv;
  /** @default `oc apply -f -` (node:child_process) */
  readonly applier?: Applier;
}

/** `ZTPFW_BMC_<CLUSTER>_<NODE>_` prefix of a node's environment variables. */
export function envPrefix(cluster: string, nodeKey: string): string {
  return `ZTPFW_BMC_${cluster}_${nodeKey}_`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'ztpfw' };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Reads and checks the secrets file; problems are located in it. */
export function readSecretsFile(file: string, r: Reporter, cwd: string = process.cwd()): { data: SecretsFileData; src: SourceFile } | undefined {
  const read = readInputFile(file, cwd);
  if ('problem' in read) {
    r.raw({ file, line: read.line ?? 1, col: read.col ?? 1, severity: 'error', message: `secrets file ${read.problem}` });
    return undefined;
  }
  const text = read.text;
  r.hide(secretValuesIn(text));
  const src = new SourceFile(file, text);
  // Located, token-free YAML problems (an alias or tag on a password is an error, never quoted).
  if (reportYamlErrors(src, r)) return undefined;
  const parsed = SecretsFile.safeParse(src.data ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = issue.path as PathSegment[];
      // The issue text of zod can quote the offending value: describe the place and the rule instead.
      const message = issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} in the secrets file; allowed: default, clusters.<cluster>.<node|default>, secrets.<secret-name>, each {username, password}`
        : `"${at.join('.') || 'secrets file'}" must be ${at[at.length - 1] === 'username' || at[at.length - 1] === 'password' ? 'a non-empty string' : 'a map of {username, password}'}`;
      r.error(src, issue.code === 'unrecognized_keys' ? [...at, issue.keys[0]] : at, message, issue.code === 'unrecognized_keys' ? 'key' : 'value');
    }
    return undefined;
  }
  return { data: asWritten(parsed.data, src), src };
}

/**
 * The credentials with unquoted numbers read as written: YAML reads `password: 007` as the number 7 and `0x1F` as 31,
 * which is not the password on the BMC. Strings stay as they are.
 */
function asWritten(data: SecretsFileData, src: SourceFile): SecretsFileData {
  const fix = (c: z.infer<typeof Credential>, at: PathSegment[]) => {
    const text = (key: 'username' | 'password') => (typeof c[key] === 'number' ? src.sourceOf([...at, key]) : undefined) ?? c[key];
    return { username: text('username'), password: text('password') };
  };
  const map = <T>(o: Record<string, T> | undefined, f: (v: T, k: string) => T) => (o === undefined ? undefined : Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)])));
  return {
    default: data.default && fix(data.default, ['default']),
    clusters: map(data.clusters, (nodes, cluster) => map(nodes, (c, node) => fix(c, ['clusters', cluster, node]))!),
    secrets: map(data.secrets, (c, name) => fix(c, ['secrets', name])),
  };
}

function credentialFor(secret: OutOfBandSecret, file: SecretsFileData | undefined, env: SecretsEnv, inline: readonly InlineBmcCredential[]): Credentials | undefined {
  const node = secret.node!;
  const str = (c: { username: string | number; password: string | number } | undefined) =>
    c === undefined ? undefined : { username: String(c.username), password: String(c.password) };
  const fromFile = str(file?.secrets?.[secret.name])
    ?? str(file?.clusters?.[secret.cluster.name]?.[node.key])
    ?? str(file?.clusters?.[secret.cluster.name]?.default)
    ?? str(file?.default);
  if (fromFile) return fromFile;
  const prefix = envPrefix(secret.cluster.name, node.key);
  const nodeUser = env[`${prefix}USERNAME`];
  const nodePass = env[`${prefix}PASSWORD`];
  if (nodeUser && nodePass) return { username: nodeUser, password: nodePass };
  if (env.ZTPFW_BMC_USERNAME && env.ZTPFW_BMC_PASSWORD) return { username: env.ZTPFW_BMC_USERNAME, password: env.ZTPFW_BMC_PASSWORD };
  const legacy = inline.find((c) => c.cluster === secret.cluster.name && c.secretName === secret.name);
  return legacy ? { username: legacy.username, password: legacy.password } : undefined;
}

/** Where a node is defined, for located errors: the node key under its cluster in the cluster's file. */
function nodePosition(file: string, cwd: string, cluster: string, nodeKey: string): { line: number; col: number } {
  try {
    const src = new SourceFile(file, fs.readFileSync(path.resolve(cwd, file), 'utf8'));
    const list = (src.data as { edgeclusters?: unknown[] } | null)?.edgeclusters ?? [];
    const index = list.findIndex((item) => item !== null && typeof item === 'object' && cluster in (item as object));
    return index < 0 ? { line: 1, col: 1 } : src.keyPositionOf(['edgeclusters', index, cluster, nodeKey]);
  } catch {
    return { line: 1, col: 1 };
  }
}

/** Reads a docker config JSON; the message never quotes the content. */
export function readPullSecret(file: string, r: Reporter, cwd: string = process.cwd()): string | undefined {
  const read = readInputFile(file, cwd);
  if ('problem' in read) {
    r.raw({ file, line: read.line ?? 1, col: read.col ?? 1, severity: 'error', message: `pull secret file ${read.problem}` });
    return undefined;
  }
  const text = read.text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    r.raw({ file, line: 1, col: 1, severity: 'error', message: 'pull secret is not valid JSON; expected a docker config like {"auths": {"<registry>": {"auth": "…"}}}' });
    return undefined;
  }
  const auths = (value as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths) || Object.keys(auths).length === 0) {
    r.raw({ file, line: 1, col: 1, severity: 'error', message: 'pull secret has no "auths" map with at least one registry' });
    return undefined;
  }
  return JSON.stringify(value);
}

function namespaceManifest(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { name } } };
}

function bmcSecretManifest(s: OutOfBandSecret, c: Credentials): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: s.name, namespace: s.namespace, labels: { ...MANAGED_BY, 'ztpfw.io/cluster': s.cluster.name } },
    type: 'Opaque',
    // Exact values: no trailing newline, no line wrapping (the original's `| base64` added both).
    data: { username: b64(c.username), password: b64(c.password) },
  };
}

function pullSecretManifest(s: OutOfBandSecret, dockerConfig: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: s.name, namespace: s.namespace, labels: { ...MANAGED_BY, 'ztpfw.io/cluster': s.cluster.name } },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(dockerConfig) },
  };
}

/** `oc apply -f -` with the manifests on stdin; oc's own output (object names only) is passed through. */
export const ocApply: Applier = (manifests, io) => {
  const result = spawnSync('oc', ['apply', '-f', '-'], { input: manifests, cwd: io.cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status === null) {
    io.stderr('ztpfw: cannot run "oc"; install the OpenShift CLI and log in to the hub, or drop --apply and pipe the output yourself\n');
    return 1;
  }
  const trimmed = (s: string) => s.replace(/\n$/, '');
  if (result.stdout) io.stdout(`${trimmed(result.stdout)}\n`);
  if (result.stderr) io.stderr(`${trimmed(result.stderr)}\n`);
  return result.status === 0 ? 0 : 1;
};

export interface SecretsArgs {
  readonly input: string;
  readonly from?: string;
  readonly pullSecret?: string;
  readonly clusters: readonly string[];
  readonly apply: boolean;
}

/** Builds and emits the manifests. Exit codes: 0 ok, 1 invalid input or failed apply. */
export function runSecrets(args: SecretsArgs, io: SecretsIo, options: SecretsCommandOptions = {}): number {
  const env = options.env ?? process.env;
  const applier = options.applier ?? ocApply;
  const result = loadFleet(args.input, { cwd: io.cwd });
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  const r = new Reporter();
  // relative paths are the user's, from the folder the command runs in
  const read = args.from ? readSecretsFile(args.from, r, io.cwd) : undefined;
  const file = read?.data;
  const pull = args.pullSecret ? readPullSecret(args.pullSecret, r, io.cwd) : undefined;
  const print = () => {
    for (const line of formatDiagnostics([...diagnostics, ...r.diagnostics])) io.stderr(`${line}\n`);
  };
  if (!result.fleet) return print(), 1;
  const fleet = result.fleet;
  for (const name of args.clusters) {
    if (!fleet.clusters.some((c) => c.name === name)) {
      r.raw({ file: fleet.source, line: 1, col: 1, severity: 'error', message: `no cluster "${name}" in the fleet (clusters: ${fleet.clusters.map((c) => c.name).join(', ')})` });
    }
  }
  const wanted = (c: string) => args.clusters.length === 0 || args.clusters.includes(c);
  const secrets = outOfBandSecrets(fleet).filter((s) => wanted(s.cluster.name));

  if (read) {
    // Entries that match nothing are most likely typos of a cluster or node name.
    for (const [cluster, nodes] of Object.entries(read.data.clusters ?? {})) {
      const c = fleet.clusters.find((x) => x.name === cluster);
      if (!c) r.warning(read.src, ['clusters', cluster], `secrets file names cluster "${cluster}", which is not in the fleet`, 'key');
      else for (const key of Object.keys(nodes)) {
        if (key !== 'default' && !c.nodes.some((n) => n.key === key)) {
          r.warning(read.src, ['clusters', cluster, key], `secrets file names node "${key}" of cluster "${cluster}", which has no such node`, 'key');
        }
      }
    }
    const names = new Set(outOfBandSecrets(fleet).map((x) => x.name));
    for (const name of Object.keys(read.data.secrets ?? {})) {
      if (!names.has(name)) r.warning(read.src, ['secrets', name], `secrets file names Secret "${name}", which no node of the fleet uses`, 'key');
    }
  }

  const docs: Record<string, unknown>[] = [];
  let skipped = 0;
  for (const cluster of fleet.clusters.filter((c) => wanted(c.name))) {
    docs.push(namespaceManifest(cluster.name));
    for (const s of secrets.filter((x) => x.cluster === cluster)) {
      if (s.kind === 'pull-secret') {
        if (pull !== undefined) docs.push(pullSecretManifest(s, pull));
        continue;
      }
      if (s.source === 'external') {
        skipped++;
        continue;
      }
      const cred = credentialFor(s, file, env, result.inlineCredentials);
      if (!cred) {
        const pos = nodePosition(cluster.file, io.cwd, cluster.name, s.node!.key);
        r.raw({
          file: cluster.file, line: pos.line, col: pos.col, severity: 'error',
          message: `no BMC credentials for node "${s.node!.key}" of cluster "${cluster.name}" (Secret ${s.name}); add clusters.${cluster.name}.${s.node!.key} to the secrets file (--from), set ${envPrefix(cluster.name, s.node!.key)}USERNAME/PASSWORD or ZTPFW_BMC_USERNAME/PASSWORD, or create the Secret yourself and name it with "bmc_secret"`,
        });
        continue;
      }
      docs.push(bmcSecretManifest(s, cred));
    }
  }
  print();
  if (r.errorCount > 0) return 1;
  const text = docs.map((d) => YAML.stringify(d)).join('---\n');
  const bmcCount = docs.filter((d) => d.type === 'Opaque').length;
  const summary = `${bmcCount} BMC Secret(s)${pull !== undefined ? ', pull secrets' : ''} for ${docs.filter((d) => d.kind === 'Namespace').length} cluster(s)`
    + `${skipped ? `; ${skipped} node(s) use a pre-created Secret (bmc_secret)` : ''}`
    + `${pull === undefined ? `; no pull secret (pass --pull-secret FILE, or create "${fleet.clusters[0]?.pullSecretName ?? ''}" in each cluster namespace)` : ''}\n`;
  if (args.apply) {
    const code = applier(text, io);
    if (code === 0) io.stderr(`applied ${summary}`);
    return code === 0 ? 0 : 1;
  }
  io.stdout(text);
  io.stderr(summary);
  return 0;
}
