/**
 * Files that charts read at synth time (scripts kept as shell files so they can be linted and tested on their own).
 * Paths are relative to the repository root, found from this file, so a compiled build reads the same files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest folder above `start` that holds package.json. */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

/** Reads `<repo>/<relativePath>` as UTF-8. */
export function readRepoFile(relativePath: string): string {
  return fs.readFileSync(path.join(repoRoot(), relativePath), 'utf8');
}
