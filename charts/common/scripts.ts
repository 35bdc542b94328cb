/**
 * Shell scripts of Jobs live as files next to their chart family (`charts/<family>/scripts/`), so they can be read,
 * linted and tested on their own; charts read them at synth time and ship them in a ConfigMap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above `start` that holds package.json (works from build/ too). */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

/** Folder of a family's scripts, relative to the repository root. */
export function scriptsDir(family: string): string {
  return path.join('charts', family, 'scripts');
}

/** Reads `charts/<family>/scripts/<file>`. */
export function readFamilyScript(family: string, file: string): string {
  return fs.readFileSync(path.join(repoRoot(), scriptsDir(family), file), 'utf8');
}
