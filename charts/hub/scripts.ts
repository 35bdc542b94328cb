import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file that holds package.json (works from build/ too). */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

/** Folder of the hub Job scripts: kept as shell files so they can be read, linted and tested on their own. */
export const SCRIPTS_DIR = path.join('charts', 'hub', 'scripts');

/** Reads `charts/hub/scripts/<file>` at synth time. */
export function readScript(file: string): string {
  return fs.readFileSync(path.join(repoRoot(), SCRIPTS_DIR, file), 'utf8');
}
