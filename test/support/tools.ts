/**
 * External tools some tests run: shellcheck (lints the Job scripts) and kubectl (a real kustomize build).
 * - Present: the test runs them.
 * - Absent on a developer machine: the test does the rest of its checks, records what it did not run, and the run
 *   ends with a notice naming it (test/support/not-run-reporter.js). `npm test` passes, but says so.
 * - Absent in CI (`CI` set, as .ci/run and GitHub Actions do) or with ZTPFW_REQUIRE_SHELLCHECK=1 /
 *   ZTPFW_REQUIRE_KUBECTL=1: the test fails, so CI never passes without them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubectlUnavailable, kubectlPath } from '../../cli/verify/kustomize';

export type Tool = 'shellcheck' | 'kubectl';

/** Whether a missing tool fails the test rather than being reported as not run. */
export function toolRequired(tool: Tool, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
  return ci || env[`ZTPFW_REQUIRE_${tool.toUpperCase()}`] === '1';
}

/** Records that `what` was not run for lack of `tool` (read by the reporter at the end of the run). */
function notRun(tool: Tool, what: string, reason: string, env: NodeJS.ProcessEnv): void {
  if (toolRequired(tool, env)) {
    throw new Error(`${tool} is required here (${env.CI ? 'CI is set' : `ZTPFW_REQUIRE_${tool.toUpperCase()}=1`}) but ${reason}: ${what} cannot run`);
  }
  const dir = env.ZTPFW_NOT_RUN_DIR;
  if (dir && fs.existsSync(dir)) fs.appendFileSync(path.join(dir, `${tool}.txt`), `${what}\t${reason}\n`);
}

/**
 * shellcheck's findings (warnings and errors) for a bash script: '' when clean, and '' when shellcheck is missing on
 * a developer machine (recorded as not run).
 */
export function shellcheck(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync('shellcheck', ['-s', 'bash', '-S', 'warning', file], { encoding: 'utf8', env });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    notRun('shellcheck', `shellcheck ${path.relative(path.resolve(__dirname, '../..'), file)}`, 'shellcheck is not on PATH', env);
    return '';
  }
  if (r.error) throw r.error;
  return r.stdout + r.stderr;
}

/** A kubectl with kustomize v5, or undefined (recorded as not run) when a developer machine has none. */
export function kubectlOrNotRun(what: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    return kubectlPath(env);
  } catch (e) {
    if (!(e instanceof KubectlUnavailable)) throw e;
    notRun('kubectl', what, e.message, env);
    return undefined;
  }
}
