/** Hostile input files: only regular files, size-capped, links kept inside the input; work linear in the input. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDiagnostic } from '../../model/diagnostics';
import { MAX_INPUT_BYTES } from '../../model/input-file';
import { loadFleet } from '../../model/loader';

const ROOT = path.resolve(__dirname, '../..');
const SNO = fs.readFileSync(path.join(ROOT, 'examples/sno-single-nic.yaml'), 'utf8');

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-hostile-'));
}

function messages(input: string, cwd: string): string[] {
  return loadFleet(input, { cwd }).diagnostics.map(formatDiagnostic);
}

describe('input files', () => {
  test.each([
    ['/dev/zero', 'a device'],
    ['/dev/urandom', 'a device'],
  ])('%s is refused at once, not read', (dev, kind) => {
    const started = Date.now();
    expect(messages(dev, ROOT)).toStrictEqual([`${dev}:1:1: error: input file refused: ${kind}, not a regular file`]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a FIFO, in a folder or named, is refused without opening it (opening would block)', () => {
    const dir = scratch();
    fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
    execFileSync('mkfifo', [path.join(dir, 'clusters/zz.yaml')]);
    expect(messages('clusters', dir)).toStrictEqual(['clusters/zz.yaml:1:1: error: input file refused: a FIFO (named pipe), not a regular file']);
    expect(messages('clusters/zz.yaml', dir)).toStrictEqual(['clusters/zz.yaml:1:1: error: input file refused: a FIFO (named pipe), not a regular file']);
  });

  test('a file over the size limit is refused; a folder named *.yaml too', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'big.yaml'), `# ${'x'.repeat(MAX_INPUT_BYTES)}\n`);
    expect(messages('big.yaml', dir)).toStrictEqual([`big.yaml:1:1: error: input file refused: ${MAX_INPUT_BYTES + 3} bytes, over the ${MAX_INPUT_BYTES}-byte limit of an input file`]);
    fs.mkdirSync(path.join(dir, 'fleet'));
    fs.writeFileSync(path.join(dir, 'fleet/config.yaml'), SNO);
    fs.mkdirSync(path.join(dir, 'fleet/sub.yaml'));
    expect(messages('fleet', dir)).toStrictEqual(['fleet/sub.yaml:1:1: error: input file refused: a folder, not a regular file']);
  });

  test('symbolic links: kept inside the input folder; a named file may be a link; refused content is never quoted', () => {
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'fleet/parts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'fleet/parts/real.yml'), SNO);
    fs.symlinkSync('parts/real.yml', path.join(dir, 'fleet/sno.yaml'));
    expect(loadFleet('fleet', { cwd: dir }).fleet?.clusters.map((c) => c.name)).toStrictEqual(['sno-single']);
    fs.symlinkSync('/etc/passwd', path.join(dir, 'fleet/passwd.yaml'));
    const out = messages('fleet', dir);
    expect(out).toStrictEqual(['fleet/passwd.yaml:1:1: error: input file refused: a symbolic link to a file outside the input folder']);
    expect(out.join('\n')).not.toMatch(/root:/);
    fs.symlinkSync(path.join(dir, 'fleet/parts/real.yml'), path.join(dir, 'named.yaml'));
    expect(loadFleet('named.yaml', { cwd: dir }).fleet?.clusters).toHaveLength(1);
  });

  test.each([
    ['UTF-16 with its byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SNO, 'utf16le')]), '1:1: error: input file refused: UTF-16 or UTF-32 text (it starts with that byte order mark); save it as UTF-8'],
    ['Latin-1 (a value with "é")', Buffer.from(SNO.replace('sno-single:', 'sno-single: # caf\u00e9'), 'latin1'), expect.stringMatching(/^\d+:\d+: error: input file refused: not UTF-8 text \(the byte 0xe9, which is not valid UTF-8; binary data, or a file saved in another encoding\)$/)],
    ['binary data after a valid line', Buffer.concat([Buffer.from('config:\n  x: '), Buffer.from([0xc3, 0x28, 0x00])]), '2:6: error: input file refused: not UTF-8 text (the byte 0xc3, which is not valid UTF-8; binary data, or a file saved in another encoding)'],
    ['a NUL byte', Buffer.from('config:\n\u0000'), '2:1: error: input file refused: not UTF-8 text (a NUL byte; binary data, or a file saved in another encoding)'],
    ['an overlong encoding of "/"', Buffer.from([0x61, 0x3a, 0x20, 0xc0, 0xaf]), '1:4: error: input file refused: not UTF-8 text (the byte 0xc0, which is not valid UTF-8; binary data, or a file saved in another encoding)'],
  ])('%s is refused at the first bad byte, its content never quoted', (_what, bytes, expected) => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'f.yaml'), bytes);
    const out = messages('f.yaml', dir).map((l) => l.replace(/^f\.yaml:/, ''));
    expect(out).toStrictEqual([expected]);
  });

  test('UTF-8 with a byte order mark and CRLF line ends is read as it is', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'f.yaml'), `\ufeff${SNO.replace(/\n/g, '\r\n')}`);
    expect(loadFleet('f.yaml', { cwd: dir }).fleet?.clusters.map((c) => c.name)).toStrictEqual(['sno-single']);
  });

  test('the CLI refuses /dev/zero as input and as secrets file at once, exit 1, no stack trace', () => {
    const bin = path.join(ROOT, 'bin/ztpfw.js');
    const v = spawnSync('node', [bin, 'validate', '-i', '/dev/zero'], { encoding: 'utf8', timeout: 20000 });
    expect({ status: v.status, stderr: v.stderr }).toStrictEqual({ status: 1, stderr: '/dev/zero:1:1: error: input file refused: a device, not a regular file\n1 error, 0 warnings\n' });
    const s = spawnSync('node', [bin, 'secrets', '-i', 'examples/sno-single-nic.yaml', '--from', '/dev/zero'], { cwd: ROOT, encoding: 'utf8', timeout: 20000 });
    expect(s.status).toBe(1);
    expect(s.stderr.split('\n')[0]).toBe('/dev/zero:1:1: error: secrets file refused: a device, not a regular file');
  });
});

describe('validation work is linear in the input', () => {
  /** CPU time (this process only, so other load does not count) of validating a node with `n` unknown keys. */
  function cpuFor(n: number): number {
    const dir = scratch();
    const keys = Array.from({ length: n }, (_, i) => `        unknown_key_${i}: x\n`).join('');
    fs.writeFileSync(path.join(dir, 'f.yaml'), SNO.replace('        root_disk: /dev/nvme0n1\n', `        root_disk: /dev/nvme0n1\n${keys}`));
    const before = process.cpuUsage();
    const r = loadFleet('f.yaml', { cwd: dir });
    const used = process.cpuUsage(before);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(n);
    return used.user + used.system;
  }

  test('8 times the unknown keys cost about 8 times the work, not 64 (was quadratic: suggestions and key lookups)', () => {
    cpuFor(500); // warm up
    const small = cpuFor(1000);
    const large = cpuFor(8000);
    expect(large / small).toBeLessThan(24);
  });
});
