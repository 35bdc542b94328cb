/** Where `ztpfw verify` and the tests get their kubectl: ZTPFW_KUBECTL, then PATH, then `npm run kubectl`'s. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubectlUnavailable, kubectlPath, pinnedKubectlPath } from '../../cli/verify/kustomize';

/** A folder with a fake `kubectl` whose `version --client -o json` names the given kustomize. */
function fakeKubectl(kustomize: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fake-kubectl-'));
  fs.writeFileSync(path.join(dir, 'kubectl'), `#!/bin/sh\necho '{"kustomizeVersion": "${kustomize}"}'\n`, { mode: 0o755 });
  return dir;
}

describe('kubectlPath', () => {
  const v5 = fakeKubectl('v5.6.0');
  const other = fakeKubectl('v5.4.2');

  test('ZTPFW_KUBECTL first, even with a kubectl on PATH', () => {
    expect(kubectlPath({ PATH: v5, ZTPFW_KUBECTL: path.join(other, 'kubectl') })).toBe(path.join(other, 'kubectl'));
    expect(() => kubectlPath({ PATH: v5, ZTPFW_KUBECTL: '/nonexistent/kubectl' })).toThrow(new KubectlUnavailable('ZTPFW_KUBECTL=/nonexistent/kubectl does not exist'));
  });

  test('then the first kubectl on PATH', () => {
    expect(kubectlPath({ PATH: [fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-empty-')), other, v5].join(path.delimiter) })).toBe(path.join(other, 'kubectl'));
  });

  test('a kubectl with kustomize older than v5 is passed over, and the message says why', () => {
    const old = fakeKubectl('v4.5.7');
    const pinned = fs.existsSync(pinnedKubectlPath());
    if (pinned) {
      expect(kubectlPath({ PATH: old })).toBe(pinnedKubectlPath());
    } else {
      expect(() => kubectlPath({ PATH: old })).toThrow(/^no kubectl with kustomize v5: .*kubectl has kustomize v4\.5\.7; kustomize v5 or later is needed .*npm run kubectl/);
    }
    expect(() => kubectlPath({ PATH: old, ZTPFW_KUBECTL: path.join(old, 'kubectl') })).toThrow(/has kustomize v4\.5\.7/);
  });
});
