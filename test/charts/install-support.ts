/**
 * Renders a fleet the way `ztpfw synth` does (all families) and reads the objects back from the rendered files, so
 * the install tests look at exactly what reaches dist/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { renderApp, RenderedFile } from '../../cli/render';
import { buildApp } from '../../main';
import { loadFleet } from '../../model/loader';
import { outOfBandSecrets } from '../../model/secrets';
import type { Fleet } from '../../model/types';
import type { ExternalRef, K8sObject } from '../support/references';

export const ROOT = path.resolve(__dirname, '../..');
export const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort();

export interface Rendered {
  readonly fleet: Fleet;
  readonly files: readonly RenderedFile[];
  readonly objects: readonly (K8sObject & { readonly file: string })[];
}

export function loadOrThrow(input: string): Fleet {
  const result = loadFleet(input);
  if (!result.fleet) throw new Error(`fixture ${input} is invalid:\n${result.diagnostics.map((d) => d.message).join('\n')}`);
  return result.fleet;
}

export function render(input: string): Rendered {
  const fleet = loadOrThrow(input);
  const { files } = renderApp(buildApp(fleet));
  const objects = files
    .filter((f) => !f.path.endsWith('/kustomization.yaml'))
    .map((f) => ({ ...(YAML.parse(f.content) as K8sObject), file: f.path }));
  return { fleet, files, objects };
}

/** Writes `text` as a fleet file in a fresh temp folder and returns its path. */
export function tempFleet(text: string, name = 'fleet.yaml'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-install-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The Secrets the fleet declares out of band: the only names a rendered object may reference without rendering. */
export function externalSecrets(fleet: Fleet): ExternalRef[] {
  return outOfBandSecrets(fleet).map((s) => ({ kind: 'Secret', namespace: s.namespace, name: s.name }));
}

export function get(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const hit = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!hit) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return hit;
}
