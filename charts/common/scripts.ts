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

/**
 * Reads a Job script at synth time from `<folder>/<file>` (folder relative to the repository root, e.g.
 * `charts/registry/scripts`): scripts stay shell files so they can be read, linted and tested on their own.
 */
export function readScriptFile(folder: string, file: string): string {
  return fs.readFileSync(path.join(repoRoot(), folder, file), 'utf8');
}
