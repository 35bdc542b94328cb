/**
 * Files that charts read at synth time (scripts kept as shell files so they can be linted and tested on their own).
 * Paths are relative to the repository root, found from this file, so a compiled build reads the same files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const roots = new Map<string, string>();

/** The nearest folder above `start` that holds package.json. */
export function repoRoot(start: string = __dirname): string {
  const known = roots.get(start);
  if (known !== undefined) return known;
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  roots.set(start, dir);
  return dir;
}

// A synth renders the same scripts once per cluster: read each file once per process (1000 clusters, ~10k reads).
const files = new Map<string, string>();

/** Reads `<repo>/<relativePath>` as UTF-8 (once per process). */
export function readRepoFile(relativePath: string): string {
  const file = path.join(repoRoot(), relativePath);
  let text = files.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    files.set(file, text);
  }
  return text;
}
