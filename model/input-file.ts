/**
 * Reading an input file safely: only regular files, at most {@link MAX_INPUT_BYTES}, and symbolic links only where
 * they stay inside the input. A refused file is never opened (a FIFO would block, /dev/zero would never end), and
 * its content is never quoted.
 *
 * Symbolic links: a file named on the command line may be a link to a regular file (the user chose it). A file found
 * in an input folder may be a link only to a regular file inside that same folder (a link to /etc/passwd, or out of
 * the repository, is refused).
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Largest input file read, in bytes (a fleet of 1000 clusters is about 1.5 MB). */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

/** The text of a file, or why it was refused (at a line and column when the fault is at one place in it). */
export type InputRead = { readonly text: string } | { readonly problem: string; readonly line?: number; readonly col?: number };

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
    return decodeText(Buffer.concat(chunks));
  } catch (e) {
    return { problem: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'unknown error'}` };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `bytes` as UTF-8 text, or why they are not: a fleet file is UTF-8 (YAML 1.2 also allows UTF-16 and UTF-32, which
 * editors and `git diff` show as binary). A NUL byte or an invalid sequence is reported at its line and column;
 * decoding it anyway would turn the fault into replacement characters and quote garbage in messages further on.
 */
export function decodeText(bytes: Buffer): InputRead {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)) {
    return { problem: 'refused: UTF-16 or UTF-32 text (it starts with that byte order mark); save it as UTF-8', line: 1, col: 1 };
  }
  if (bytes.indexOf(0) === -1 && isUtf8(bytes)) return { text: bytes.toString('utf8') };
  const bad = firstInvalidByte(bytes);
  if (bad === -1) return { text: bytes.toString('utf8') };
  const before = bytes.subarray(0, bad).toString('utf8');
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  const what = bytes[bad] === 0 ? 'a NUL byte' : `the byte 0x${bytes[bad].toString(16).padStart(2, '0')}, which is not valid UTF-8`;
  return { problem: `refused: not UTF-8 text (${what}; binary data, or a file saved in another encoding)`, line, col };
}

/** Offset of the first NUL byte or byte that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidByte(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c === 0) return i;
    if (c < 0x80) { i++; continue; }
    // lead byte → sequence length and the allowed range of the second byte (no overlongs, no surrogates, ≤ U+10FFFF)
    let n: number; let lo = 0x80; let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) { n = 3; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
    else return i;
    if (i + n > b.length || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k < n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += n;
  }
  return -1;
}
