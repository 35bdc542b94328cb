/**
 * Reading an input file safely: only regular files, at most {@link MAX_INPUT_BYTES}, and symbolic links only where
 * they stay inside the input. A refused file is never opened (a FIFO would block, /dev/zero would never end), and
 * its content is never quoted.
 *
 * Symbolic links: a file named on the command line may be a link to a regular file (the user chose it). A file found
 * in an input folder may be a link only to a regular file inside that same folder (a link to /etc/passwd, or out of
 * the repository, is refused).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Largest input file read, in bytes (a fleet of 1000 clusters is about 1.5 MB). */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

export type InputRead = { readonly text: string } | { readonly problem: string };

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads `file` (resolved against `cwd`) as UTF-8, or says why not. `folder`: the input folder it was found in, when
 * it came from a folder listing (then a link must stay inside it).
 */
export function readInputFile(file: string, cwd: string, folder?: string): InputRead {
  const full = path.resolve(cwd, file);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(full);
    if (st.isSymbolicLink()) {
      const real = fs.realpathSync(full);
      if (folder !== undefined) {
        const root = fs.realpathSync(path.resolve(cwd, folder));
        if (!real.startsWith(root + path.sep)) return { problem: 'refused: a symbolic link to a file outside the input folder' };
      }
      st = fs.statSync(real);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'cannot be read: no such file (or a dangling symbolic link)' : `cannot be read: ${code ?? 'unknown error'}` };
  }
  if (!st.isFile()) return { problem: `refused: ${kindOf(st)}, not a regular file` };
  if (st.size > MAX_INPUT_BYTES) return { problem: `refused: ${st.size} bytes, over the ${MAX_INPUT_BYTES}-byte limit of an input file` };
  // Read through the descriptor with the cap, not by the size stat reported: some files (procfs) report 0.
  let fd: number;
  try {
    fd = fs.openSync(full, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'unknown error'}` };
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, MAX_INPUT_BYTES + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > MAX_INPUT_BYTES) return { problem: `refused: over the ${MAX_INPUT_BYTES}-byte limit of an input file` };
    }
    return { text: Buffer.concat(chunks).toString('utf8') };
  } catch (e) {
    return { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'unknown error'}` };
  } finally {
    fs.closeSync(fd);
  }
}
