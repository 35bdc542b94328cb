import * as path from 'node:path';
import { readScriptFile, repoRoot } from '../common/scripts';

export { repoRoot };

/** Folder of the hub Job scripts: kept as shell files so they can be read, linted and tested on their own. */
export const SCRIPTS_DIR = path.join('charts', 'hub', 'scripts');

/** Reads `charts/hub/scripts/<file>` at synth time. */
export function readScript(file: string): string {
  return readScriptFile(SCRIPTS_DIR, file);
}
