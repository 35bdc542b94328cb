import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { fastParse } from '../../model/fast-yaml';

const ROOT = path.resolve(__dirname, '../..');
const slow = (text: string) => YAML.parseDocument(text, { uniqueKeys: true }).toJS({ maxAliasCount: 1000 });

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

describe('fastParse reads exactly what the yaml package reads', () => {
  test.each(['examples', 'clusters', 'test/fixtures'].flatMap((d) => yamlFiles(path.join(ROOT, d))).map((f) => path.relative(ROOT, f)))('%s', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const fast = fastParse(text);
    if (fast) expect(fast.value).toStrictEqual(slow(text));
  });

  test('scalars where YAML 1.1, js-yaml and YAML 1.2 core disagree', () => {
    const scalars = ['1_000', '0o17', '017', '0x1F', '0b101', '+12', '-0', '1e3', '1.', '.5', '.inf', '-.Inf', '.NaN', '~', 'null', 'Null', 'NULL', '',
      'yes', 'no', 'on', 'off', 'y', 'True', 'FALSE', 'tRue', '4.10', '4.14.12', '2023-01-01', '12:30:00', '1:20', '0644', '"quoted"', "'single'", '=', '<<'];
    for (const s of scalars) {
      const text = `k: ${s}\nlist: [${s || '""'}]\n`;
      const fast = fastParse(text);
      expect([s, fast?.value]).toStrictEqual([s, slow(text)]);
    }
  });

  test('keys, block scalars and escapes', () => {
    const texts = ['null: x\n', '~: x\n', 'true: x\n', '1.50: x\n', '0x10: x\n', ': x\n', '[a, b]: x\n', '{a: 1}: x\n', 'a:\n  - b\n  -\n',
      'a: |\n  x\n  y\n', 'a: >-\n  x\n  y\n', 'a: "\\u00e9\\t"\n', "a: 'it''s'\n", 'a: b # c\n', '? a\n: b\n', 'a : b\n'];
    for (const t of texts) {
      const fast = fastParse(t);
      if (fast) expect([t, fast.value]).toStrictEqual([t, slow(t)]);
    }
  });

  test('texts the fast reader refuses are left to the yaml package', () => {
    expect(fastParse('a: 1\na: 2\n')).toBeUndefined(); // duplicate key
    expect(fastParse('a: &x 1\nb: *x\n')).toBeUndefined(); // anchors
    expect(fastParse('%YAML 1.1\n---\na: yes\n')).toBeUndefined();
    expect(fastParse('a: !custom 1\n')).toBeUndefined();
    expect(fastParse('a: 1\n---\nb: 2\n')).toBeUndefined();
    expect(fastParse('a: [1\n')).toBeUndefined();
    expect(fastParse('~: x\n')).toBeUndefined(); // null key
    expect(fastParse('[a, b]: x\n')).toBeUndefined(); // collection key
    expect(fastParse('')).toStrictEqual({ value: null });
    // The fleets we ship take the fast path.
    const shipped = fs.readFileSync(path.join(ROOT, 'examples/three-plus-one.yaml'), 'utf8');
    expect(fastParse(shipped)).toStrictEqual({ value: YAML.parse(shipped) });
  });

  test('any JSON-like data, written by either emitter, reads back the same both ways', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('null', '~', 'true', '1.50', '0x1F', '1_0', 'yes')), fc.jsonValue({ maxDepth: 2 }))), (value) => {
        for (const text of [YAML.stringify(value), YAML.stringify(value, { defaultStringType: 'PLAIN' })]) {
          const fast = fastParse(text);
          if (fast) expect(fast.value).toStrictEqual(slow(text));
        }
      }),
      { numRuns: 300 },
    );
  });
});
