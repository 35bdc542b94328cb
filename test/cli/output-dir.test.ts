/** The output folder of `ztpfw synth`: only our output is replaced, crash-safe, one run at a time. */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_OK, EXIT_USAGE, Io, run } from '../../cli/main';
import { lockForReading, MARKER, oldName, openOutput, OutputDirError } from '../../cli/output-dir';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/ztpfw.js');

function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty: false, cwd };
  return { code: run(args, io), stdout, stderr };
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-out-'));
}

function workspace(): string {
  const dir = scratch();
  fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
  return dir;
}

/** Every file under `dir` with its content hash ('' when the folder is missing). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) out[path.relative(dir, p)] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** Names beside the output folder that are not the input or the output itself. */
function leftovers(ws: string): string[] {
  return fs.readdirSync(ws).filter((f) => f !== 'clusters' && f !== 'dist').sort();
}

describe('openOutput', () => {
  test('a fresh output gets the marker; commit swaps it in and leaves nothing beside it', () => {
    const dir = scratch();
    const s = openOutput(path.join(dir, 'out'));
    expect(s.previous).toBeUndefined();
    fs.writeFileSync(path.join(s.dir, 'a.yaml'), 'a: 1\n');
    s.commit();
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toStrictEqual([MARKER, 'a.yaml']);
    expect(fs.readdirSync(dir)).toStrictEqual(['out']);
    s.abort(); // after a commit: nothing to do
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toStrictEqual([MARKER, 'a.yaml']);
  });

  test('an unchanged marker is carried over (same file), so an incremental synth rewrites only what changed', () => {
    const dir = scratch();
    const first = openOutput(path.join(dir, 'out'));
    first.commit();
    const ino = fs.statSync(path.join(dir, 'out', MARKER)).ino;
    const s = openOutput(path.join(dir, 'out'));
    expect(fs.statSync(path.join(s.dir, MARKER)).ino).toBe(ino);
    s.commit();
    expect(fs.statSync(path.join(dir, 'out', MARKER)).ino).toBe(ino);
    // a marker with other text (an older version's) is written anew
    fs.writeFileSync(path.join(dir, 'out', MARKER), 'older marker\n');
    const again = openOutput(path.join(dir, 'out'));
    expect(fs.readFileSync(path.join(again.dir, MARKER), 'utf8')).not.toBe('older marker\n');
    again.abort();
    expect(fs.readFileSync(path.join(dir, 'out', MARKER), 'utf8')).toBe('older marker\n');
  });

  test('abort leaves the previous output byte for byte and removes the staging folder', () => {
    const dir = scratch();
    const first = openOutput(path.join(dir, 'out'));
    fs.writeFileSync(path.join(first.dir, 'a.yaml'), 'a: 1\n');
    first.commit();
    const before = tree(path.join(dir, 'out'));
    const s = openOutput(path.join(dir, 'out'));
    expect(s.previous).toBe(path.join(dir, 'out'));
    fs.writeFileSync(path.join(s.dir, 'b.yaml'), 'b: 1\n');
    s.abort();
    expect(tree(path.join(dir, 'out'))).toStrictEqual(before);
    expect(fs.readdirSync(dir)).toStrictEqual(['out']);
  });

  test.each([
    ['a file', (p: string) => fs.writeFileSync(p, 'precious\n'), /it is a file, not a folder/],
    ['a foreign folder', (p: string) => { fs.mkdirSync(p); fs.writeFileSync(path.join(p, 'notes.txt'), 'mine\n'); }, /it is not empty and not a previous output \(it has no \.ztpfw-output marker file\)/],
    ['a symbolic link', (p: string) => { fs.mkdirSync(`${p}-real`); fs.symlinkSync(`${p}-real`, p); }, /it is a symbolic link/],
    ['a git work tree', (p: string) => { fs.mkdirSync(path.join(p, '.git'), { recursive: true }); fs.writeFileSync(path.join(p, MARKER), ''); }, /it is a git work tree/],
    ['a folder whose marker is a folder', (p: string) => { fs.mkdirSync(path.join(p, MARKER), { recursive: true }); }, /not a previous output/],
  ])('refuses %s and changes nothing', (_what, make, message) => {
    const dir = scratch();
    const target = path.join(dir, 'out');
    make(target);
    const before = { list: fs.readdirSync(dir).sort(), content: tree(dir) };
    expect(() => openOutput(target)).toThrow(OutputDirError);
    expect(() => openOutput(target)).toThrow(message);
    expect({ list: fs.readdirSync(dir).sort(), content: tree(dir) }).toStrictEqual(before);
  });

  test('an empty folder is replaced', () => {
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'out'));
    const s = openOutput(path.join(dir, 'out'));
    s.commit();
    expect(fs.readdirSync(path.join(dir, 'out'))).toStrictEqual([MARKER]);
  });

  describe('recovers from a run killed at any step', () => {
    /** A previous output `out` holding old.yaml, committed normally. */
    function previous(): { dir: string; target: string } {
      const dir = scratch();
      const target = path.join(dir, 'out');
      const s = openOutput(target);
      fs.writeFileSync(path.join(s.dir, 'old.yaml'), 'old: 1\n');
      s.commit();
      return { dir, target };
    }

    test('killed while staging: the staging folder is removed, the output kept', () => {
      const { dir, target } = previous();
      fs.mkdirSync(path.join(dir, '.out.ztpfw-stage-Ab12Cd', 'clusters'), { recursive: true });
      fs.mkdirSync(path.join(dir, '.out.new-XyZ123')); // the name earlier versions staged under
      const s = openOutput(target);
      expect(fs.readdirSync(dir).filter((f) => f.includes('stage') || f.includes('new-'))).toStrictEqual([path.basename(s.dir)]);
      s.abort();
      expect(fs.readdirSync(dir)).toStrictEqual(['out']);
      expect(fs.readFileSync(path.join(target, 'old.yaml'), 'utf8')).toBe('old: 1\n');
    });

    test('killed between the two renames: the previous output is put back before anything reads it', () => {
      const { dir, target } = previous();
      fs.renameSync(target, path.join(dir, oldName('out')));
      fs.mkdirSync(path.join(dir, '.out.ztpfw-stage-Ab12Cd'));
      const s = openOutput(target);
      expect(s.previous).toBe(target);
      expect(fs.readFileSync(path.join(target, 'old.yaml'), 'utf8')).toBe('old: 1\n');
      s.abort();
      expect(fs.readdirSync(dir)).toStrictEqual(['out']);
    });

    test('killed after the swap: the previous output left aside and the trash are removed', () => {
      const { dir, target } = previous();
      fs.cpSync(target, path.join(dir, oldName('out')), { recursive: true });
      fs.writeFileSync(path.join(target, 'old.yaml'), 'new: 1\n');
      fs.mkdirSync(path.join(dir, '.out.ztpfw-trash-123', 'x'), { recursive: true });
      openOutput(target).abort();
      expect(fs.readdirSync(dir)).toStrictEqual(['out']);
      expect(fs.readFileSync(path.join(target, 'old.yaml'), 'utf8')).toBe('new: 1\n');
    });

    test('an earlier version killed between its renames (.out.old-<pid>) is put back too', () => {
      const { dir, target } = previous();
      fs.renameSync(target, path.join(dir, '.out.old-4242'));
      openOutput(target).abort();
      expect(fs.readdirSync(dir)).toStrictEqual(['out']);
      expect(fs.readFileSync(path.join(target, 'old.yaml'), 'utf8')).toBe('old: 1\n');
    });

    test('a lock left by a killed run is taken over; a live one is waited for, then refused', () => {
      const { dir, target } = previous();
      const dead = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      fs.writeFileSync(path.join(dir, '.out.ztpfw-lock'), `${dead} ${os.hostname()}\n`);
      openOutput(target, { waitMs: 1000 }).abort();
      expect(fs.readdirSync(dir)).toStrictEqual(['out']);

      fs.writeFileSync(path.join(dir, '.out.ztpfw-lock'), `${process.pid} ${os.hostname()}\n`);
      const started = Date.now();
      expect(() => openOutput(target, { waitMs: 300 })).toThrow(new RegExp(`another ztpfw run \\(pid ${process.pid}\\) is writing or reading`));
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(fs.readdirSync(dir).sort()).toStrictEqual(['.out.ztpfw-lock', 'out']);
    });

    test('a reader (verify, diff --base-dir) and a synth take turns: neither sees the other half-way', () => {
      const { dir, target } = previous();
      const release = lockForReading(target, { waitMs: 300 });
      expect(() => openOutput(target, { waitMs: 300 })).toThrow(/another ztpfw run \(pid \d+\) is writing or reading/);
      release();
      const staging = openOutput(target, { waitMs: 300 });
      expect(() => lockForReading(target, { waitMs: 300 })).toThrow(/another ztpfw run \(pid \d+\) is writing or reading/);
      staging.abort();
      lockForReading(target, { waitMs: 300 })();
      expect(fs.readdirSync(dir)).toStrictEqual(['out']);
    });

    test('a reader without a place for the lock (a read-only checkout) reads without one', () => {
      expect(() => lockForReading('/proc/ztpfw-no-such/out')()).not.toThrow();
      expect(() => lockForReading('/proc/out', { waitMs: 100 })()).not.toThrow();
    });
  });
});

describe('ztpfw synth --out', () => {
  test.each([
    ['an existing file', (ws: string) => fs.writeFileSync(path.join(ws, 'notes'), 'precious\n'), 'notes', /^ztpfw: refusing to replace "notes": it is a file, not a folder\n$/],
    ['a user folder', (ws: string) => { fs.mkdirSync(path.join(ws, 'docs')); fs.writeFileSync(path.join(ws, 'docs/a.md'), '# mine\n'); }, 'docs', /^ztpfw: refusing to replace "docs": it is not empty and not a previous output/],
  ])('refuses %s (exit 2, untouched)', (_what, make, out, message) => {
    const ws = workspace();
    make(ws);
    const before = tree(ws);
    const r = cli(['synth', '-q', '--out', out], ws);
    expect(r).toMatchObject({ code: EXIT_USAGE, stdout: '' });
    expect(r.stderr).toMatch(message);
    expect(tree(ws)).toStrictEqual(before);
    expect(leftovers(ws)).toStrictEqual([out]);
  });

  test('a full disk or a read-only folder is a clean error, the previous output untouched', () => {
    const ws = workspace();
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    const before = tree(path.join(ws, 'dist'));
    const config = path.join(ws, 'clusters/config.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('factory.example.com', 'other.example.com'));
    for (const [code, words] of [['ENOSPC', 'no space left on device'], ['EROFS', 'read-only file system']]) {
      const real = fs.writeFileSync;
      const spy = jest.spyOn(require('node:fs') as typeof fs, 'writeFileSync').mockImplementation((file, ...rest) => {
        if (String(file).endsWith('.yaml')) throw Object.assign(new Error(`${code}: failed, write '${String(file)}'`), { code, syscall: 'write', path: String(file) });
        return real(file, ...rest);
      });
      try {
        const r = cli(['synth', '-q'], ws);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r).toMatchObject({ code: EXIT_USAGE });
        expect(r.stderr).toMatch(new RegExp(`^ztpfw: write .*\\.yaml failed: ${code} \\(${words}\\); dist/ left unchanged\\n$`));
        expect(r.stderr).not.toMatch(/\n\s+at /);
      } finally {
        spy.mockRestore();
      }
      expect(tree(path.join(ws, 'dist'))).toStrictEqual(before);
      expect(leftovers(ws)).toStrictEqual([]);
    }
    // a folder nothing may be created in (sysfs refuses even root)
    const r = cli(['synth', '-q', '--out', '/sys/ztpfw-out'], ws);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/^ztpfw: \w+ \/sys\/\S*ztpfw-out\S* failed: E[A-Z]+ \(permission denied\)\n$/);
  });
});

/** Runs the compiled CLI as a child process; resolves with its exit code (null when killed) and output. */
function spawnSynth(ws: string, killAfterMs?: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, 'synth', '-q'], { cwd: ws, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** A seeded generator (mulberry32), so a failing sequence of kills can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('synth under SIGKILL and concurrency (compiled CLI)', () => {
  jest.setTimeout(180_000);

  /** The two outputs the workspace alternates between (BASE_DOMAIN changes), rendered once each. */
  function outputs(): { ws: string; variants: [string, Record<string, string>][] } {
    const ws = workspace();
    const config = fs.readFileSync(path.join(ws, 'clusters/config.yaml'), 'utf8');
    const variants: [string, Record<string, string>][] = [config, config.replace('factory.example.com', 'other.example.com')].map((text) => {
      const ref = workspace();
      fs.writeFileSync(path.join(ref, 'clusters/config.yaml'), text);
      expect(cli(['synth', '-q'], ref).code).toBe(EXIT_OK);
      return [text, tree(path.join(ref, 'dist'))];
    });
    return { ws, variants };
  }

  test('a SIGKILL at a random instant leaves the old or the new output; the next run recovers and cleans up', async () => {
    const { ws, variants } = outputs();
    const rnd = random(20261125);
    expect((await spawnSynth(ws)).code).toBe(0);
    let current = 0;
    // The kill window is the length of a whole run on this machine, start to exit, measured again on every complete
    // run (a loaded machine slows down while the suite runs).
    let runMs = 0;
    const complete = async () => {
      const t0 = Date.now();
      const r = await spawnSynth(ws);
      runMs = Math.max(runMs, Date.now() - t0);
      return r;
    };
    expect((await complete()).code).toBe(0);
    const seen = { old: 0, new: 0, aside: 0 };
    for (let i = 0; i < 40 && (i < 12 || seen.old === 0 || seen.new === 0); i++) {
      const next = 1 - current;
      fs.writeFileSync(path.join(ws, 'clusters/config.yaml'), variants[next][0]);
      const r = await spawnSynth(ws, Math.floor(rnd() * runMs * 1.2));
      // Whatever instant it died at: the output in place, or (between the two renames) left aside, is whole.
      const inPlace = fs.existsSync(path.join(ws, 'dist'));
      if (!inPlace) seen.aside++;
      const state = tree(path.join(ws, inPlace ? 'dist' : oldName('dist')));
      const which = variants.findIndex(([, files]) => JSON.stringify(files) === JSON.stringify(state));
      expect({ run: i, exit: r.code, whole: which >= 0 }).toStrictEqual({ run: i, exit: r.code, whole: true });
      if (which === next) seen.new++;
      else seen.old++;
      current = which;
      if (i % 4 === 3) {
        // the next complete run recovers: the expected output, nothing left beside it
        expect((await complete()).code).toBe(0);
        expect(tree(path.join(ws, 'dist'))).toStrictEqual(variants[next][1]);
        expect(leftovers(ws)).toStrictEqual([]);
        current = next;
      }
    }
    // the kills landed both before and after the swap
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
  });

  test('concurrent runs serialize: every run succeeds, the output is whole, nothing is left beside it', async () => {
    const { ws, variants } = outputs();
    fs.writeFileSync(path.join(ws, 'clusters/config.yaml'), variants[1][0]);
    const results = await Promise.all([0, 1, 2, 3].map(() => spawnSynth(ws)));
    expect(results).toStrictEqual(results.map(() => ({ code: 0, stderr: '' })));
    expect(tree(path.join(ws, 'dist'))).toStrictEqual(variants[1][1]);
    expect(leftovers(ws)).toStrictEqual([]);
  });
});
