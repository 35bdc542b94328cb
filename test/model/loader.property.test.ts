import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { mutate, op } from '../../hack/fuzz';
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

// The mutations are the fuzz harness's (hack/fuzz.ts): one set of text and structural edits for both.

describe('loader robustness', () => {
  test('mutated valid fleets never make the loader throw, and every diagnostic is located', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLES), fc.array(op, { minLength: 1, maxLength: 4 }), (example, ops) => {
        check(ops.reduce(mutate, example));
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
