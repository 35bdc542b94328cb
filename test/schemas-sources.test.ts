/**
 * The repository stands on its own: the schemas it validates against and generates code from live in schemas/,
 * each named in schemas/SOURCES.md with its upstream, unchanged since it was written by hack/vendor-schemas.ts, and
 * nothing in the repository reads a folder beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checksumBlock, crdFiles } from '../hack/vendor-schemas';
import { MODULES } from '../hack/update-imports';
import { schemaDir } from './support/schemas';

const ROOT = path.resolve(__dirname, '..');
const SCHEMAS = path.join(ROOT, 'schemas');
const sources = fs.readFileSync(path.join(SCHEMAS, 'SOURCES.md'), 'utf8');
const crdsHere = fs.readdirSync(path.join(SCHEMAS, 'crds')).filter((f) => f.endsWith('.yaml')).sort();

/** Every file of the repository but installed and built ones. */
function repoFiles(dir = ''): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (['node_modules', '.git', 'build', 'coverage', 'cdk8s.out'].includes(e.name)) return [];
    return e.isDirectory() ? repoFiles(rel) : [rel];
  });
}

describe('schemas/', () => {
  test('is the default schema folder', () => {
    expect(schemaDir()).toBe(SCHEMAS);
  });

  test('every file is listed in SOURCES.md with its sha256 (re-run hack/vendor-schemas.ts rather than editing)', () => {
    const block = /<!-- sha256:begin -->\n```\n([\s\S]*?)\n```\n<!-- sha256:end -->/.exec(sources);
    expect(block?.[1]).toBe(checksumBlock());
  });

  test('every CRD has its upstream row, and every row its file', () => {
    const rows = [...sources.matchAll(/^\| `([^`]+\.yaml)` \|/gm)].map((m) => m[1]).sort();
    expect(rows).toStrictEqual(crdsHere);
    for (const f of crdsHere) expect(sources).toMatch(new RegExp(`^[0-9a-f]{64}  crds/${f.replace(/\./g, '\\.')}$`, 'm'));
  });

  test('holds only what is used: the import inputs and the kinds validated only', () => {
    expect(crdFiles(crdsHere)).toStrictEqual(crdsHere);
  });
});

describe('imports/', () => {
  test('holds exactly the modules hack/update-imports.ts generates, and each is imported by the charts', () => {
    const here = fs.readdirSync(path.join(ROOT, 'imports')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    expect(here).toStrictEqual([...Object.keys(MODULES), 'k8s'].sort());
    const code = repoFiles('charts').filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    expect(here.filter((m) => !code.includes(`imports/${m}'`))).toStrictEqual([]);
  });
});

describe('nothing reads outside the repository', () => {
  test('no file names a folder beside the repository or an environment variable defaulting to one', () => {
    // Spelled in pieces so that this file does not match itself.
    const patterns = [
      new RegExp(['\\.\\.', 'shared'].join('/')),
      new RegExp(['ZTPFW', 'SHARED'].join('_')),
      new RegExp(`['"]\\.\\.['"],\\s*['"]${'shared'}['"]`),
    ];
    const offenders = repoFiles().flatMap((f) => {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      return patterns.filter((p) => p.test(text)).map((p) => `${f}: ${p.source}`);
    });
    expect(offenders).toStrictEqual([]);
  });
});
