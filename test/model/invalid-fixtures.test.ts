import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';

/**
 * Each `test/fixtures/invalid/<case>.yaml` has a reviewed `<case>.expected` holding exactly the lines
 * `ztpfw validate` must print for it: every error and warning, with its file:line:col.
 */
const ROOT = path.resolve(__dirname, '../..');
const DIR = 'test/fixtures/invalid';
const cases = fs.readdirSync(path.join(ROOT, DIR)).filter((f) => f.endsWith('.yaml')).sort();

describe('invalid inputs', () => {
  test('there are at least 30 invalid fixtures, each with its expected messages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) expect(fs.existsSync(path.join(ROOT, DIR, c.replace(/\.yaml$/, '.expected')))).toBe(true);
  });

  test.each(cases)('fails with exactly the expected located messages: %s', (file) => {
    // GIVEN
    const input = `${DIR}/${file}`;
    const expected = fs.readFileSync(path.join(ROOT, DIR, file.replace(/\.yaml$/, '.expected')), 'utf8').trim().split('\n');

    // WHEN
    const result = loadFleet(path.join(ROOT, input), { cwd: ROOT });

    // THEN
    expect(result.fleet).toBeUndefined();
    const printed = result.diagnostics.map(formatDiagnostic).map((l) => l.split(`${ROOT}/`).join(''));
    expect(printed).toStrictEqual(expected);
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});
