import * as path from 'node:path';
import { readRepoFile, repoRoot } from './repo-files';

export { repoRoot };

/**
 * Reads a Job script at synth time from `<folder>/<file>` (folder relative to the repository root, e.g.
 * `charts/registry/scripts`): scripts stay shell files so they can be read, linted and tested on their own.
 */
export function readScriptFile(folder: string, file: string): string {
  return readRepoFile(path.join(folder, file));
}
