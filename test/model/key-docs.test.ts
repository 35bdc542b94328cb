import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGES } from '../../charts/common/images';
import { README, withKeyTables } from '../../hack/readme-keys';
import { fleetJsonSchema } from '../../model/json-schema';
import { CLUSTER_CONFIG_DOCS, CLUSTER_SETTINGS_DOCS, FLEET_DOCS, HUB_DOCS, NODE_DOCS } from '../../model/key-docs';
import { ClusterConfig, FleetConfig, Node } from '../../model/schema';
import type { FleetConfig as Resolved } from '../../model/types';

const ROOT = path.resolve(__dirname, '../..');

/** Every property of a JSON schema (properties and patternProperties, at any depth) with its path. */
function properties(schema: any, at = ''): Array<[string, any]> {
  const own = [...Object.entries<any>(schema.properties ?? {}), ...Object.entries<any>(schema.patternProperties ?? {})];
  const nested = [schema.items, schema.additionalProperties].filter((s) => s && typeof s === 'object');
  return [
    ...own.flatMap(([k, v]) => [[`${at}/${k}`, v] as [string, any], ...properties(v, `${at}/${k}`)]),
    ...nested.flatMap((s) => properties(s, `${at}/*`)),
  ];
}

describe('key documentation: one source for hover help and the README', () => {
  test('every key of the editor schema has a description', () => {
    const all = properties(fleetJsonSchema());
    expect(all.length).toBeGreaterThan(60);
    expect(all.filter(([, v]) => typeof v.description !== 'string' || v.description.length < 10).map(([p]) => p)).toStrictEqual([]);
  });

  test('the committed schema carries them', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'clusters/edgeclusters.schema.json'), 'utf8'));
    expect(committed.properties.config.properties.INTERNAL_NETWORK.description).toBe('The isolated internal network: machine network, node addresses and VIPs. Default: `192.168.7.0/24`.');
    expect(committed).toStrictEqual(fleetJsonSchema());
  });

  test('docs name exactly the keys of the schema', () => {
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys({ ...FLEET_DOCS, ...HUB_DOCS, ...CLUSTER_SETTINGS_DOCS, ACM_ENABLED: 0 })).toStrictEqual(keys(FleetConfig.shape));
    expect(keys({ ...CLUSTER_CONFIG_DOCS, ...CLUSTER_SETTINGS_DOCS })).toStrictEqual(keys(ClusterConfig.shape));
    expect(keys(NODE_DOCS)).toStrictEqual(keys(Node.shape));
  });

  test('the README key tables are generated from them (npm run -s docs)', () => {
    const text = fs.readFileSync(README, 'utf8');
    expect(withKeyTables(text)).toBe(text);
  });

  test('documented image defaults are the ones the charts use', () => {
    const ui = JSON.parse(fs.readFileSync(path.join(ROOT, 'ui/package.json'), 'utf8')).version;
    // A minor of the version table (the tools image follows it); the documented `<X.Y>` stands for it.
    const config = { ocpMinor: '4.14' } as unknown as Resolved;
    for (const image of IMAGES) {
      const doc = (HUB_DOCS as Record<string, { default?: string }>)[image.configKey];
      expect({ key: image.configKey, default: doc.default?.replace('<ui/package.json version>', ui).replace(/^`([^`]+)`.*$/, '$1').replace('<X.Y>', '4.14') }).toStrictEqual({ key: image.configKey, default: image.defaultFor(config) });
    }
  });
});
