/**
 * Every pinned CRD schema must compile, so a chart family that starts rendering a new kind never meets a schema
 * the validator cannot read. Its own file: compiling all of them takes seconds, and jest runs files in parallel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { schemaDir, validateManifest } from './support/schemas';

describe('pinned CRD schemas', () => {
  test('every served version of every pinned CRD compiles; a bare object of it lacks only required fields', () => {
    const dir = path.join(schemaDir(), 'crds');
    const versions = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => {
        const crd = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
        return crd.spec.versions.filter((v: { served: boolean }) => v.served).map((v: { name: string }) => ({ apiVersion: `${crd.spec.group}/${v.name}`, kind: crd.spec.names.kind }));
      });
    expect(versions.length).toBeGreaterThanOrEqual(35);
    const unexpected = versions.flatMap(({ apiVersion, kind }: { apiVersion: string; kind: string }) => {
      const findings = validateManifest({ apiVersion, kind, metadata: { name: 'x', namespace: 'y' } });
      return findings.filter((f) => !f.startsWith('missing required field ')).map((f) => `${apiVersion} ${kind}: ${f}`);
    });
    expect(unexpected).toStrictEqual([]);
  });
});
