/**
 * What `ztpfw synth` learns from the committed output before replacing it: which clusters exist and which are
 * detached (their `clusters/<c>/detach/` folder), so it can refuse a silent re-attach and report removed clusters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { DETACH_FOLDER } from '../charts/common/lifecycle';
import type { RenderedFile } from './render';

export interface CommittedCluster {
  readonly name: string;
  readonly detached: boolean;
  /** The output delivers the switch to the edge's own registry (`STATE: standalone`): edge-mirror's `switch` stage. */
  readonly switched: boolean;
  /** `Kind namespace/name` of every object in the folder (sub-folders included), sorted. */
  readonly objects: readonly string[];
}

/** The cluster folders of a previous output `outDir` (empty when there is none). */
export function committedClusters(outDir: string): Map<string, CommittedCluster> {
  const out = new Map<string, CommittedCluster>();
  const root = path.join(outDir, 'clusters');
  if (!fs.existsSync(root)) return out;
  for (const name of fs.readdirSync(root).sort()) {
    const dir = path.join(root, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    // Only a removed cluster's objects are ever listed: read them on first use, not for every cluster of every synth
    // (parsing all of a 1000-cluster output cost more than rendering it).
    let objects: readonly string[] | undefined;
    out.set(name, {
      name,
      detached: fs.existsSync(path.join(dir, DETACH_FOLDER, 'kustomization.yaml')),
      switched: hasSwitchStage(path.join(dir, 'edge-mirror')),
      get objects() {
        objects ??= objectsIn(dir);
        return objects;
      },
    });
  }
  return out;
}

/** True when the folder holds the delivery object of the `switch` stage (a ManifestWork or a Policy). */
function hasSwitchStage(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /-edge-mirror-switch\.yaml$/.test(f));
}

function objectsIn(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name) && entry.name !== 'kustomization.yaml') {
        try {
          const o = YAML.parse(fs.readFileSync(full, 'utf8')) as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
          if (o?.kind) found.push(`${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`);
        } catch {
          found.push(`(unreadable ${path.basename(full)})`);
        }
      }
    }
  };
  walk(dir);
  return found.sort();
}

/** stderr lines for every previously rendered cluster folder that the new output no longer has. */
export function removedClusterWarnings(previous: ReadonlyMap<string, CommittedCluster>, files: readonly RenderedFile[], out: string): string[] {
  const kept = new Set(files.map((f) => /^clusters\/([^/]+)\//.exec(f.path)?.[1]).filter((n): n is string => n !== undefined));
  const lines: string[] = [];
  for (const c of previous.values()) {
    if (kept.has(c.name) || c.objects.length === 0) continue;
    const consequence = c.detached
      ? 'it was detached: the edge cluster keeps running and its hosts are only forgotten (ClusterDeployment preserveOnDelete, BareMetalHosts detached)'
      : 'it was NOT detached: its ManagedCluster is removed and its BareMetalHosts are deprovisioned (powered off, Agents and Nodes removed); set STATE: detach first to keep the cluster running';
    lines.push(`warning: cluster "${c.name}" is no longer in the input; Argo CD will delete its application and these ${c.objects.length} objects of ${out}/clusters/${c.name}/ (${consequence}):\n`);
    for (const o of c.objects) lines.push(`warning:   ${o}\n`);
  }
  return lines;
}
