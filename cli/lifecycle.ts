/**
 * What `ztpfw synth` learns from the committed output before replacing it: which clusters exist and which are
 * detached (their `clusters/<c>/detach/` folder), so it can refuse a silent re-attach and report removed clusters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { DETACH_FOLDER } from '../charts/common/lifecycle';
import { safeLine } from '../model/text';
import { pathsAt, readDir, readTreeAt } from './git';

export interface CommittedCluster {
  readonly name: string;
  readonly detached: boolean;
  /** The output delivers the switch to the edge's own registry (`STATE: standalone`): edge-mirror's `switch` stage. */
  readonly switched: boolean;
  /** `Kind namespace/name` of every object in the folder (sub-folders included), sorted. */
  readonly objects: readonly string[];
}

export interface CommittedOptions {
  /** Folder of the git work tree to read `HEAD` from; without it only the folder on disk is read. */
  readonly cwd?: string;
  /** The output folder as named relative to `cwd`. @default outDir */
  readonly out?: string;
}

/**
 * The cluster folders of a previous output `outDir` (empty when there is none), and those of the output as committed
 * at `HEAD` when `cwd` is in a git work tree: a cluster counts as detached (or configured) when either says so, so a
 * deleted or hand-edited output folder cannot let a detached cluster go back to install.
 */
export function committedClusters(outDir: string, options: CommittedOptions = {}): Map<string, CommittedCluster> {
  const out = onDisk(outDir);
  if (options.cwd === undefined) return out;
  for (const c of atHead(options.cwd, options.out ?? outDir).values()) {
    const disk = out.get(c.name);
    out.set(c.name, disk ? { name: c.name, detached: disk.detached || c.detached, switched: disk.switched && c.switched, get objects() { return disk.objects; } } : c);
  }
  return out;
}

/** Cluster folders of the output at `HEAD` (file names only; a removed cluster's objects are read on first use). */
function atHead(cwd: string, out: string): Map<string, CommittedCluster> {
  const found = new Map<string, CommittedCluster>();
  const paths = pathsAt(cwd, 'HEAD', path.join(out, 'clusters'));
  const byCluster = new Map<string, string[]>();
  for (const p of paths ?? []) {
    const slash = p.indexOf('/');
    if (slash > 0) byCluster.set(p.slice(0, slash), [...(byCluster.get(p.slice(0, slash)) ?? []), p.slice(slash + 1)]);
  }
  for (const [name, files] of byCluster) {
    let objects: readonly string[] | undefined;
    found.set(name, {
      name,
      detached: files.includes(`${DETACH_FOLDER}/kustomization.yaml`),
      switched: files.some((f) => /^edge-mirror\/[^/]*-edge-mirror-switch\.yaml$/.test(f)),
      get objects() {
        objects ??= objectsOf(readTreeAt(cwd, 'HEAD', path.join(out, 'clusters', name)).files);
        return objects;
      },
    });
  }
  return found;
}

function onDisk(outDir: string): Map<string, CommittedCluster> {
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
  return objectsOf(readDir(dir));
}

/** `Kind namespace/name` of every object among `files` (path → YAML text), sorted. */
function objectsOf(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    const name = path.posix.basename(file);
    if (!/\.ya?ml$/.test(name) || name === 'kustomization.yaml') continue;
    try {
      const o = YAML.parse(text) as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (o?.kind) found.push(`${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`);
    } catch {
      found.push(`(unreadable ${name})`);
    }
  }
  return found.sort();
}

/** stderr lines for every previously rendered cluster folder that the new output no longer has. */
export function removedClusterWarnings(previous: ReadonlyMap<string, CommittedCluster>, paths: readonly string[], out: string): string[] {
  const kept = new Set(paths.map((p) => /^clusters\/([^/]+)\//.exec(p)?.[1]).filter((n): n is string => n !== undefined));
  const lines: string[] = [];
  for (const c of previous.values()) {
    if (kept.has(c.name) || c.objects.length === 0) continue;
    // The ApplicationSet preserves resources on deletion and the install objects carry Delete=false (charts/argocd):
    // removing a cluster deletes its Application only, never its hosts.
    const consequence = c.detached
      ? `it was detached: the edge cluster keeps running; \`oc delete namespace ${c.name}\` on the hub forgets its hosts without touching them (ClusterDeployment preserveOnDelete, BareMetalHosts detached)`
      : `it was NOT detached: the cluster stays installed and registered, but nothing syncs its hub objects any more; to decommission it, \`oc delete managedcluster ${c.name}\` and \`oc delete namespace ${c.name}\` on the hub (its BareMetalHosts are then deprovisioned); to hand it over, set STATE: detach first`;
    lines.push(`${safeLine(`warning: cluster "${c.name}" is no longer in the input; Argo CD deletes its application only, and these ${c.objects.length} objects of ${out}/clusters/${c.name}/ stay on the hub, unmanaged (${consequence}):`, 4000)}\n`);
    for (const o of c.objects) lines.push(`warning:   ${safeLine(o)}\n`);
  }
  return lines;
}
