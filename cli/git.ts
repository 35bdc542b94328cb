/**
 * Reads a folder of a git commit (the committed `dist/`) into memory without checking anything out: one `ls-tree`
 * and one `cat-file --batch` for all blobs, whatever the size of the fleet.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A git problem the user can fix (unknown revision, not a repository); the message says what. */
export class GitError extends Error {}

const MAX_BUFFER = 1024 * 1024 * 1024;

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  const res = spawnSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER });
  if (res.error) throw new GitError(`cannot run git: ${res.error.message}`);
  if (res.status !== 0) throw new GitError(`git ${args[0]} failed: ${res.stderr.toString('utf8').trim().split('\n')[0]}`);
  return res.stdout;
}

export interface TreeSnapshot {
  /** Full commit id the revision resolved to. */
  readonly commit: string;
  /** Files below the folder, keyed by path relative to it (`/`-separated). */
  readonly files: Map<string, string>;
}

/**
 * Files of folder `dir` (relative to `cwd`, inside the work tree of `cwd`) at revision `rev`. A folder missing in
 * that commit reads as empty: every rendered object is then new.
 */
export function readTreeAt(cwd: string, rev: string, dir: string): TreeSnapshot {
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], cwd).toString('utf8').trim();
  } catch (e) {
    throw new GitError(`${cwd} is not inside a git work tree (${(e as Error).message}); use --base-dir to compare with a folder`);
  }
  if (rev.startsWith('-')) throw new GitError(`invalid revision "${rev}"`);
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], top).toString('utf8').trim();
  } catch {
    throw new GitError(`unknown revision "${rev}" (fetch it first, e.g. git fetch origin; CI needs fetch-depth: 0)`);
  }
  const abs = path.resolve(fs.realpathSync(cwd), dir);
  const prefix = path.relative(fs.realpathSync(top), abs).split(path.sep).join('/');
  if (prefix.startsWith('..') || path.isAbsolute(prefix)) throw new GitError(`"${dir}" is outside the git work tree ${top}`);
  const listing = git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix ? `${prefix}/` : '.'], top).toString('utf8');
  const entries: { sha: string; rel: string }[] = [];
  for (const line of listing.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [, type, sha] = line.slice(0, tab).split(' ');
    if (type !== 'blob') continue;
    const full = line.slice(tab + 1);
    entries.push({ sha, rel: prefix ? full.slice(prefix.length + 1) : full });
  }
  const files = new Map<string, string>();
  if (entries.length === 0) return { commit, files };
  const batch = git(['cat-file', '--batch'], top, Buffer.from(entries.map((e) => `${e.sha}\n`).join('')));
  let at = 0;
  for (const e of entries) {
    const nl = batch.indexOf(0x0a, at);
    const header = batch.subarray(at, nl).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[0] !== e.sha || !Number.isFinite(size)) throw new GitError(`unexpected git cat-file output for ${e.rel}`);
    files.set(e.rel, batch.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return { commit, files };
}

/**
 * Paths of the files below folder `dir` (relative to `cwd`) at revision `rev`, relative to that folder; undefined
 * when `cwd` is not in a git work tree or `rev` does not exist (a repository without commits yet).
 */
export function pathsAt(cwd: string, rev: string, dir: string): string[] | undefined {
  let top: string;
  let commit: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], cwd).toString('utf8').trim();
    commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], top).toString('utf8').trim();
  } catch {
    return undefined;
  }
  const prefix = path.relative(fs.realpathSync(top), path.resolve(fs.realpathSync(cwd), dir)).split(path.sep).join('/');
  if (prefix.startsWith('..') || path.isAbsolute(prefix)) return undefined;
  const listing = git(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, '--', prefix ? `${prefix}/` : '.'], top).toString('utf8');
  return listing.split('\0').filter(Boolean).map((p) => (prefix ? p.slice(prefix.length + 1) : p));
}

/** Every file below `dir` on disk, keyed by `/`-separated relative path; a missing folder reads as empty. */
export function readDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.isFile()) files.set(r, fs.readFileSync(path.join(d, e.name), 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return files;
}
