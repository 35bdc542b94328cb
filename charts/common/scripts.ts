import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file that holds package.json (works from build/ too). */
const roots = new Map<string, string>();
export function repoRoot(start: string = __dirname): string {
  const known = roots.get(start);
  if (known) return known;
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  roots.set(start, dir);
  return dir;
}

/**
 * Reads a Job script at synth time from `<folder>/<file>` (folder relative to the repository root, e.g.
 * `charts/registry/scripts`): scripts stay shell files so they can be read, linted and tested on their own.
 */
export function readScriptFile(folder: string, file: string): string {
  return readRepoFileOnce(path.join(repoRoot(), folder, file));
}

// A synth renders the same scripts once per cluster: read each file once per process (1000 clusters, ~10k reads).
const fileCache = new Map<string, string>();
export function readRepoFileOnce(file: string): string {
  let text = fileCache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    fileCache.set(file, text);
  }
  return text;
}
