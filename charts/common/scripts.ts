import * as path from 'node:path';
import { readRepoFile, repoRoot } from './repo-files';

export { repoRoot };

/** Scripts more than one family runs (e.g. `merge-pull-secret.sh`: the hub's global pull secret and each cluster's). */
export const COMMON_SCRIPTS_DIR = path.join('charts', 'common', 'scripts');

/** The script that adds the hub mirror's credentials to a pull secret (env in the script's header). */
export const MERGE_PULL_SECRET_SCRIPT = 'merge-pull-secret.sh';

/**
 * Reads a Job script at synth time from `<folder>/<file>` (folder relative to the repository root, e.g.
 * `charts/registry/scripts`): scripts stay shell files so they can be read, linted and tested on their own.
 */
export function readScriptFile(folder: string, file: string): string {
  return readRepoFile(path.join(folder, file));
}
