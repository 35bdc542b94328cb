/**
 * Writes the key tables of README.md from model/key-docs.ts, the source of the JSON schema's hover help, between
 * `<!-- keys:NAME -->` and `<!-- /keys:NAME -->` markers. test/model/key-docs.test.ts fails when they differ.
 *
 *   npm run -s docs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { CLUSTER_CONFIG_DOCS, CLUSTER_ITEM_DOCS, CLUSTER_SETTINGS_DOCS, FLEET_DOCS, HUB_DOCS, KeyDoc, NODE_DOCS } from '../model/key-docs';
import { ClusterConfig, FleetConfig, Node } from '../model/schema';

export const README = path.resolve(__dirname, '..', 'README.md');

/** A markdown table of `docs`; Required (from the schema unless the doc says more) and Default only when informative. */
function table(docs: Readonly<Record<string, KeyDoc>>, shape?: Readonly<Record<string, z.ZodType>>): string {
  const rows = Object.entries(docs).map(([key, doc]) => ({
    key: key.endsWith(' …') ? `\`${key.slice(0, -2)}\` …` : `\`${key}\``,
    required: doc.required ?? (shape && !shape[key].safeParse(undefined).success ? 'yes' : 'no'),
    default: doc.default ?? '—',
    meaning: doc.meaning,
  }));
  const withRequired = rows.some((r) => r.required !== 'no');
  const withDefault = rows.some((r) => r.default !== '—');
  const columns = ['Key', ...(withRequired ? ['Required'] : []), ...(withDefault ? ['Default'] : []), 'Meaning'];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns),
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => line([r.key, ...(withRequired ? [r.required] : []), ...(withDefault ? [r.default] : []), r.meaning])),
  ].join('\n');
}

/** Every generated table by marker name. */
export function keyTables(): Record<string, string> {
  return {
    fleet: table({ ...FLEET_DOCS, ...CLUSTER_SETTINGS_DOCS }, FleetConfig.shape),
    hub: table(HUB_DOCS, FleetConfig.shape),
    cluster: table(CLUSTER_CONFIG_DOCS, ClusterConfig.shape),
    item: table(CLUSTER_ITEM_DOCS),
    node: table(NODE_DOCS, Node.shape),
  };
}

/** `text` with each marked table replaced by the generated one; throws when a marker is missing. */
export function withKeyTables(text: string): string {
  let out = text;
  for (const [name, body] of Object.entries(keyTables())) {
    const open = `<!-- keys:${name} -->\n`;
    const close = `\n<!-- /keys:${name} -->`;
    const a = out.indexOf(open);
    const b = out.indexOf(close, a);
    if (a < 0 || b < 0) throw new Error(`README.md has no ${open.trim()} … ${close.trim()} section`);
    out = `${out.slice(0, a + open.length)}${body}${out.slice(b)}`;
  }
  return out;
}

if (require.main === module) {
  fs.writeFileSync(README, withKeyTables(fs.readFileSync(README, 'utf8')));
}
