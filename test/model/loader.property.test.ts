import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { loadFleet } from '../../model/loader';

/**
 * Mutates valid fleets at random (text edits and structural edits) and checks the loader's contract:
 * it never throws, it returns located diagnostics only, and it returns a fleet exactly when there is no error.
 */
const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-prop-'));
let counter = 0;

function check(text: string): void {
  const file = path.join(TMP, `case-${counter++}.yaml`);
  fs.writeFileSync(file, text);
  const result = loadFleet(file);
  const lines = text.split('\n').length;
  for (const d of result.diagnostics) {
    expect(d.file).toBe(file);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines + 1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(['error', 'warning']).toContain(d.severity);
    expect(d.message).not.toMatch(/undefined|\[object Object\]|NaN/);
    expect(d.message.length).toBeGreaterThan(5);
  }
  const hasError = result.diagnostics.some((d) => d.severity === 'error');
  expect(result.fleet === undefined).toBe(hasError);
}

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('4.14', '4.10', 4.1, '52:54:00:00:00:01', 'aa:ss:dd:ee:ff:00', '/dev/sda', 'eno1', 'master0', '<url bmc>', 'ipmi://10.0.0.1', '10.0.0.0/8', ''),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'master0', 'config', 'nic_ext_dhcp', 'tpm'), scalar, { maxKeys: 2 }));

type Op =
  | { kind: 'deleteLine' | 'duplicateLine' | 'indent' | 'dedent'; at: number }
  | { kind: 'replaceText'; at: number; text: string }
  | { kind: 'set' | 'delete'; at: number; value: unknown }
  | { kind: 'addKey'; at: number; key: string; value: unknown };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('deleteLine', 'duplicateLine', 'indent', 'dedent') as fc.Arbitrary<'deleteLine'>, at: fc.nat() }),
  fc.record({ kind: fc.constant('replaceText') as fc.Arbitrary<'replaceText'>, at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constantFrom('set', 'delete') as fc.Arbitrary<'set'>, at: fc.nat(), value }),
  fc.record({ kind: fc.constant('addKey') as fc.Arbitrary<'addKey'>, at: fc.nat(), key: fc.constantFrom('x', 'master1', 'worker0', 'config', 'bmc_pass', 'REGISTRY', 'storage_disk', 'edgeclusters'), value }),
);

/** Every path to a node of the document, so structural edits can pick one. */
function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (YAML.isMap(node)) for (const p of node.items) out.push(...paths(p.value, [...prefix, String(YAML.isScalar(p.key) ? p.key.value : p.key)]));
  if (YAML.isSeq(node)) node.items.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  return out;
}

function apply(text: string, o: Op): string {
  const lines = text.split('\n');
  const i = o.at % Math.max(lines.length, 1);
  switch (o.kind) {
    case 'deleteLine': lines.splice(i, 1); return lines.join('\n');
    case 'duplicateLine': lines.splice(i, 0, lines[i]); return lines.join('\n');
    case 'indent': lines[i] = `  ${lines[i]}`; return lines.join('\n');
    case 'dedent': lines[i] = lines[i].replace(/^ {1,2}/, ''); return lines.join('\n');
    case 'replaceText': lines[i] = lines[i].replace(/:\s.*$/, `: ${o.text}`); return lines.join('\n');
    default: {
      const doc = YAML.parseDocument(text);
      if (doc.errors.length > 0) return text;
      const all = paths(doc.contents).filter((p) => p.length > 0);
      if (all.length === 0) return text;
      const p = all[o.at % all.length];
      if (o.kind === 'delete') doc.deleteIn(p);
      else if (o.kind === 'set') doc.setIn(p, doc.createNode(o.value));
      else {
        const parent = p.slice(0, -1);
        const target = doc.getIn(parent, true);
        if (YAML.isMap(target) && o.kind === 'addKey') target.set(o.key, doc.createNode(o.value));
      }
      try {
        return doc.toString();
      } catch {
        return text; // the mutation itself produced a document YAML cannot print (e.g. a dangling alias)
      }
    }
  }
}

describe('loader robustness', () => {
  test('mutated valid fleets never make the loader throw, and every diagnostic is located', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLES), fc.array(op, { minLength: 1, maxLength: 4 }), (example, ops) => {
        check(ops.reduce(apply, example));
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  test('arbitrary text and arbitrary YAML values never make the loader throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), value.map((v) => YAML.stringify({ config: v, edgeclusters: [v] }))), (text) => {
        check(text);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));
});
