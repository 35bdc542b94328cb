/**
 * The fuzz harness (hack/fuzz.ts) in the suite: a short campaign with a fixed seed must keep the contract, the
 * harness must see a broken contract, and every generated or mutated fleet that validates must render.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { renderApp } from '../../cli/render';
import { campaign, CANARY, mutate, op, outputCampaign, runCase, sweep } from '../../hack/fuzz';
import { generateFleet } from '../../hack/fleet-generator';
import { buildApp } from '../../main';
import { loadFleet } from '../../model/loader';

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-fuzz-test-'));

describe('fuzz harness', () => {
  test('a fixed-seed campaign over the examples and clusters/ keeps the contract', () => {
    const r = campaign({ seed: 20261125, seconds: 120, runs: 80, keep: scratch() });
    expect(r.failures).toStrictEqual([]);
    expect(r.cases).toBe(80);
    expect(r.validated).toBeGreaterThan(0);
  });

  test('a slice of the exhaustive sweep (every place, every value) keeps the contract', () => {
    const r = sweep({ keep: scratch(), deadline: Date.now() + 120000, filter: (i) => i % 400 === 7 });
    expect(r.failures).toStrictEqual([]);
    expect(r.cases).toBeGreaterThan(40);
  });

  test('a fixed-seed campaign over mutated rendered output keeps verify and diff in their contract', () => {
    const r = outputCampaign({ seed: 20261126, deadline: Date.now() + 120000, runs: 30, keep: scratch() });
    expect(r.failures).toStrictEqual([]);
    expect(r.cases).toBe(30);
  });

  test('it sees a printed canary, a raw control character and a synth that fails', () => {
    const printed = runCase({ 'fleet.yaml': `config:\n  OC_OCP_VERSION: "${CANARY}"\n` }, scratch());
    expect(printed.problems).toContain('validate: the canary password is printed');
    const escaped = runCase({ 'fleet.yaml': 'config:\n  OC_OCP_VERSION: "\\e[31m"\n' }, scratch());
    expect(escaped.problems).toStrictEqual([]);
    // a valid fleet whose output folder cannot be replaced: synth exits 2, outside the contract for a valid fleet
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out/mine.txt'), 'x');
    const fleet = fs.readFileSync(path.join(__dirname, '../../examples/sno-single-nic.yaml'), 'utf8');
    expect(runCase({ 'fleet.yaml': fleet }, dir).problems).toStrictEqual([expect.stringMatching(/^synth: exit 2, not one of 0: ztpfw: refusing to replace "out"/)]);
  });
});

describe('any fleet that validates synthesizes', () => {
  test('generated fleets of every shape, mutated, render whenever they validate (property)', () => {
    let rendered = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 3 }), (size, ops) => {
        const dir = scratch();
        fs.writeFileSync(path.join(dir, 'f.yaml'), ops.reduce(mutate, generateFleet(size).text));
        const r = loadFleet('f.yaml', { cwd: dir });
        if (!r.fleet) return;
        expect(() => renderApp(buildApp(r.fleet!))).not.toThrow();
        rendered++;
      }),
      { numRuns: 40, seed: 11 },
    );
    expect(rendered).toBeGreaterThan(5);
  });
});
