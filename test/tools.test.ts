/** How the suite behaves without shellcheck or kubectl (test/support/tools.ts, test/support/not-run-reporter.js). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubectlOrNotRun, shellcheck, toolRequired } from './support/tools';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { notice } = require('./support/not-run-reporter') as { notice: (dir: string | undefined) => string };

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const script = path.join(tmp('ztpfw-tools-'), 'bad.sh');
fs.writeFileSync(script, '#!/bin/bash\nrm -rf $1/*\n');

describe('a developer machine without the tool', () => {
  test('shellcheck: the lint is recorded as not run, and the run ends with a notice naming it and how to run it', () => {
    const dir = tmp('ztpfw-not-run-');
    const env = { PATH: tmp('ztpfw-empty-path-'), ZTPFW_NOT_RUN_DIR: dir };
    expect(toolRequired('shellcheck', env)).toBe(false);
    expect(shellcheck(script, env)).toBe('');
    expect(notice(dir)).toBe(`\nNOT RUN: 1 check(s) need shellcheck, and shellcheck is not on PATH.\n  install shellcheck (apt-get install shellcheck, brew install shellcheck); CI requires it.\n  - shellcheck ${path.relative(path.resolve(__dirname, '..'), script)}\n`);
  });

  test('kubectl: the kustomize build is recorded as not run, with the reason', () => {
    const dir = tmp('ztpfw-not-run-');
    expect(kubectlOrNotRun('a build', { PATH: '', ZTPFW_KUBECTL: '/nonexistent/kubectl', ZTPFW_NOT_RUN_DIR: dir })).toBeUndefined();
    expect(notice(dir)).toContain('NOT RUN: 1 check(s) need kubectl, and ZTPFW_KUBECTL=/nonexistent/kubectl does not exist.\n');
    expect(notice(dir)).toContain('  - a build\n');
  });

  test('a run where everything ran prints nothing', () => {
    expect(notice(tmp('ztpfw-not-run-'))).toBe('');
    expect(notice(undefined)).toBe('');
  });
});

describe('CI (CI set, or ZTPFW_REQUIRE_<TOOL>=1): a missing tool fails the test', () => {
  test.each([
    [{ CI: 'true' }],
    [{ ZTPFW_REQUIRE_SHELLCHECK: '1' }],
  ])('shellcheck with %j', (extra) => {
    const env = { PATH: tmp('ztpfw-empty-path-'), ...extra };
    expect(toolRequired('shellcheck', env)).toBe(true);
    expect(() => shellcheck(script, env)).toThrow(/^shellcheck is required here \(.*\) but shellcheck is not on PATH: shellcheck .*bad\.sh cannot run$/);
  });

  test('kubectl with ZTPFW_REQUIRE_KUBECTL=1; CI=false is not CI', () => {
    expect(() => kubectlOrNotRun('a build', { ZTPFW_KUBECTL: '/nonexistent/kubectl', ZTPFW_REQUIRE_KUBECTL: '1' })).toThrow(/kubectl is required here/);
    expect(toolRequired('kubectl', { CI: 'false' })).toBe(false);
  });
});

describe('with the tool', () => {
  test('shellcheck reports a finding of a bad script', () => {
    // On a machine without shellcheck this records itself as not run (and fails in CI): the notice says so.
    const findings = shellcheck(script);
    if (findings === '' && !toolRequired('shellcheck')) return;
    expect(findings).toContain('SC2115');
  });
});

describe('the CI scripts', () => {
  test.each(['.ci/run', 'hack/lowest-node.sh'])('%s passes shellcheck', (file) => {
    expect(shellcheck(path.resolve(__dirname, '..', file))).toBe('');
  });
});
