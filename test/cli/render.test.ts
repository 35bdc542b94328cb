import * as YAML from 'yaml';
import { objectFileName, toYaml } from '../../cli/render';

describe('toYaml', () => {
  test('quotes every string a YAML 1.1 reader (Kubernetes) would take for another type', () => {
    const tricky = ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'null', '~', '0644', '0x1F', '1e3', '1.10', '4.14', '12', ''];
    const obj = Object.fromEntries(tricky.map((t, i) => [`k${i}`, t]));
    const text = toYaml(obj);
    // read back as YAML 1.1, every value is still the same string
    expect(YAML.parse(text, { version: '1.1' })).toStrictEqual(obj);
    expect(YAML.parse(text)).toStrictEqual(obj);
  });

  test('keeps multi-line strings (scripts, ignition) exact and lines unwrapped', () => {
    const script = '#!/bin/bash\nset -euo pipefail\necho "a very long line ' + 'x'.repeat(300) + '"\n';
    const text = toYaml({ data: { 'run.sh': script } });
    expect(YAML.parse(text).data['run.sh']).toBe(script);
    expect(text).toContain('x'.repeat(300));
  });
});

describe('objectFileName', () => {
  test('is the lower-case kind and the name', () => {
    expect(objectFileName({ kind: 'BareMetalHost', metadata: { name: 'ztpfw-a-master-0' } })).toBe('baremetalhost-ztpfw-a-master-0.yaml');
  });
});
