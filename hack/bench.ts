/**
 * `npm run bench`: full synth of synthetic fleets (1, 10, 100, 1000 clusters), the serialization floor, and an
 * incremental synth. Each measurement runs in a fresh Node process so peak RSS is that run's own.
 * Usage: npm run bench [-- --sizes 1,10,100 --out BENCHMARKS.md]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateFleet } from './fleet-generator';

const ROOT = path.resolve(__dirname, '..');

interface Run { seconds: number; maxRssMiB: number; objects: number; files: number; bytes: number; rewritten?: number }

/** Runs `code` in a child Node process with the compiled project; the child prints one JSON line. */
function child(code: string): Run {
  const res = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`bench child failed:\n${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as Run;
}

const SYNTH = (input: string, out: string) => `
const t0 = process.hrtime.bigint();
const { run } = require('./build/cli/main');
const fs = require('fs'), path = require('path');
const code = run(['synth', '-q', '-i', ${JSON.stringify(input)}, '-o', ${JSON.stringify(out)}], { stdout: () => {}, stderr: (s) => process.stderr.write(s), isTty: false, cwd: process.cwd() });
if (code !== 0) process.exit(code);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
let files = 0, bytes = 0, objects = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else { files++; bytes += fs.statSync(p).size; if (e.name !== 'kustomization.yaml') objects++; } } };
walk(${JSON.stringify(out)});
console.log(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, objects, files, bytes }));
`;

/** The floor: the same objects (read back from a synth), serialized with js-yaml and written, nothing else. */
const FLOOR = (from: string, out: string) => `
const fs = require('fs'), path = require('path'), jsyaml = require('js-yaml');
const objs = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else objs.push([path.relative(${JSON.stringify(from)}, p), jsyaml.load(fs.readFileSync(p, 'utf8'))]); } };
walk(${JSON.stringify(from)});
const t0 = process.hrtime.bigint();
let bytes = 0;
for (const [rel, o] of objs) { const f = path.join(${JSON.stringify(out)}, rel); fs.mkdirSync(path.dirname(f), { recursive: true }); const s = jsyaml.dump(o, { noRefs: true, lineWidth: -1 }); bytes += s.length; fs.writeFileSync(f, s); }
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, objects: objs.length, files: objs.length, bytes }));
`;

function inodes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else { const st = fs.statSync(p); out.set(path.relative(dir, p), `${st.ino}:${st.mtimeMs}`); }
    }
  };
  walk(dir);
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const sizesArg = args.indexOf('--sizes') >= 0 ? args[args.indexOf('--sizes') + 1] : '1,10,100,1000';
  const report = args.indexOf('--out') >= 0 ? args[args.indexOf('--out') + 1] : undefined;
  const sizes = sizesArg.split(',').map(Number);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-bench-'));
  const rows: string[] = [];
  const results = new Map<number, Run>();
  const log = (s: string) => { process.stdout.write(`${s}\n`); rows.push(s); };
  log('| clusters | synth s | peak RSS MiB | objects | files | MiB written | floor s | synth/floor |');
  log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    const input = path.join(tmp, `fleet-${size}.yaml`);
    fs.writeFileSync(input, generateFleet(size).text);
    const out = path.join(tmp, `out-${size}`);
    const r = child(SYNTH(input, out));
    const floor = child(FLOOR(out, path.join(tmp, `floor-${size}`)));
    results.set(size, r);
    log(`| ${size} | ${r.seconds.toFixed(2)} | ${r.maxRssMiB.toFixed(0)} | ${r.objects} | ${r.files} | ${(r.bytes / 2 ** 20).toFixed(1)} | ${floor.seconds.toFixed(2)} | ${(r.seconds / floor.seconds).toFixed(2)} |`);
  }
  const extra: string[] = [];
  if (results.has(100) && results.has(1000)) {
    extra.push(`scaling 100 → 1000 clusters: ×${(results.get(1000)!.seconds / results.get(100)!.seconds).toFixed(1)} (target ≤ 11)`);
  }
  const biggest = Math.max(...sizes);
  if (biggest >= 10) {
    // incremental: change one cluster and re-synth into the same folder
    const out = path.join(tmp, `out-${biggest}`);
    const before = inodes(out);
    const input = path.join(tmp, `fleet-${biggest}-changed.yaml`);
    fs.writeFileSync(input, generateFleet(biggest, 5).text);
    const r = child(SYNTH(input, out));
    const after = inodes(out);
    let rewritten = 0;
    for (const [f, id] of after) if (before.get(f) !== id) rewritten++;
    extra.push(`incremental (${biggest} clusters, one changed): ${r.seconds.toFixed(2)} s, ${rewritten} of ${after.size} files rewritten`);
  }
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin/ztpfw.js'), 'synth', '-q', '-i', path.join(ROOT, 'examples/sno-single-nic.yaml'), '-o', path.join(tmp, 'one')], { encoding: 'utf8' });
  const t0 = Date.now();
  spawnSync(process.execPath, [path.join(ROOT, 'bin/ztpfw.js'), 'synth', '-q', '-i', path.join(ROOT, 'examples/sno-single-nic.yaml'), '-o', path.join(tmp, 'one')], { encoding: 'utf8' });
  extra.push(`one small cluster end to end from the CLI: ${((Date.now() - t0) / 1000).toFixed(2)} s (exit ${cli.status})`);
  for (const e of extra) log(`\n${e}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (report) {
    const header = `## ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n\n`;
    fs.appendFileSync(path.join(ROOT, report), `${header}${rows.join('\n')}\n\n`);
  }
}

main();
