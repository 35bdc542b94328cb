/**
 * Shared by the nmstate and metallb bundle tests: the inputs they render (every example and `clusters/` as they are,
 * plus the same fleets switched to policy delivery through their YAML text) and the manifests a day-2 delivery
 * object carries to the edge.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadFleet } from '../../model/loader';
import type { Fleet } from '../../model/types';
import { REPO_ROOT, RenderedObject, renderFleet, Render } from '../support/render';
import { SYNTHETIC_RELEASE_DIGEST } from '../../hack/fleet-generator';

export const EXAMPLES = fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort();

/** A fleet file's text with policy delivery for every cluster (the hub runs ACM). */
export function asPolicyFleet(text: string): string {
  if (/^ {2}(ACM_ENABLED|DAY2_DELIVERY):/m.test(text)) throw new Error('fleet text already sets ACM_ENABLED or DAY2_DELIVERY');
  const switched = text.replace(/^config:\n/m, 'config:\n  ACM_ENABLED: true\n  DAY2_DELIVERY: policy\n');
  if (switched === text) throw new Error('fleet text has no top-level config:');
  return switched;
}

/** `clusters/` folder merged into one fleet text (config.yaml first, then the clusters' lists, in file order). */
export function clustersFolderText(): string {
  const dir = path.join(REPO_ROOT, 'clusters');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const config = fs.readFileSync(path.join(dir, 'config.yaml'), 'utf8');
  const lists = files.filter((f) => f !== 'config.yaml').map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/^edgeclusters:\n/m, '').replace(/^#.*\n/gm, ''));
  return `${config}\nedgeclusters:\n${lists.join('')}`;
}

export interface Input {
  readonly label: string;
  readonly mode: 'manifestwork' | 'policy' | 'as-is';
  readonly render: () => Render;
  readonly fleet: () => Fleet;
}

function fleetOf(source: string | { yaml: string }): Fleet {
  if (typeof source === 'string') return loadFleet(path.resolve(REPO_ROOT, source)).fleet!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-net-'));
  try {
    const file = path.join(dir, 'edgeclusters.yaml');
    fs.writeFileSync(file, source.yaml);
    return loadFleet(file).fleet!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every input as it is, and every input whose clusters use manifestworks switched to policies. */
export function inputs(): Input[] {
  const out: Input[] = [];
  const add = (label: string, mode: Input['mode'], source: string | { yaml: string }) =>
    out.push({ label, mode, render: () => renderFleet(source), fleet: () => fleetOf(source) });
  add('clusters', 'as-is', 'clusters');
  add('clusters (policy)', 'policy', { yaml: asPolicyFleet(clustersFolderText()) });
  for (const e of EXAMPLES) {
    add(`examples/${e}`, 'as-is', `examples/${e}`);
    const text = fs.readFileSync(path.join(REPO_ROOT, 'examples', e), 'utf8');
    if (!/DAY2_DELIVERY: policy/.test(text)) add(`examples/${e} (policy)`, 'policy', { yaml: asPolicyFleet(text) });
  }
  return out;
}

/** The objects of one bundle folder of one cluster (`clusters/<c>/<bundle>/`). */
export function bundleObjects(render: Render, cluster: string, bundle: string): RenderedObject[] {
  return render.objects.filter((o) => o.path.startsWith(`clusters/${cluster}/${bundle}/`));
}

/**
 * What a delivery object carries: a Policy's ConfigurationPolicies and the objects in their `object-templates`, a
 * ManifestWork's manifests. Anything else carries nothing.
 */
export function deliveredManifests(obj: any): any[] {
  if (obj?.kind === 'Policy') {
    return (obj.spec?.['policy-templates'] ?? []).flatMap((t: any) => {
      const cfg = t.objectDefinition;
      return [cfg, ...(cfg?.spec?.['object-templates'] ?? []).map((o: any) => o.objectDefinition)];
    });
  }
  if (obj?.kind === 'ManifestWork') return obj.spec?.workload?.manifests ?? [];
  return [];
}

/** The edge objects of a bundle, delivered in either mode (ConfigurationPolicies left out), in stage order. */
export function edgeObjects(render: Render, cluster: string, bundle: string): any[] {
  return bundleObjects(render, cluster, bundle)
    .filter((o) => o.obj.kind === 'Policy' || o.obj.kind === 'ManifestWork')
    .sort((a, b) => stageIndex(a.obj) - stageIndex(b.obj))
    .flatMap((o) => deliveredManifests(o.obj))
    .filter((m) => m.kind !== 'ConfigurationPolicy');
}

/** Both network bundles deliver `operator` then `config`; delivery objects are named `…-<stage>`. */
const STAGES = ['operator', 'config'];
function stageIndex(obj: any): number {
  const i = STAGES.findIndex((s) => obj.metadata.name.endsWith(`-${s}`));
  if (i < 0) throw new Error(`${obj.kind} ${obj.metadata.name} is no known stage`);
  return i;
}

/** Renders the network files of a render as `path → content`, for golden snapshots. */
export function networkFiles(render: Render): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of render.files) if (/^clusters\/[^/]+\/(nmstate|metallb)\//.test(f.path)) out[f.path] = f.content;
  return out;
}

/** A small policy-mode fleet: one compact dual-NIC cluster with both network bundles. */
export const FLEET = `
config:
  OC_OCP_VERSION: "4.14.12"
  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"
  OC_ACM_VERSION: "2.9"
  OC_ODF_VERSION: "4.14"
  BASE_DOMAIN: example.com
  ACM_ENABLED: true
  DAY2_DELIVERY: policy
edgeclusters:
  - net:
      config:
        DAY2_BUNDLES: [nmstate, metallb, disconnected]
        API_EXTERNAL_IP: 10.1.0.5
        INGRESS_EXTERNAL_IP: 10.1.0.6
${[0, 1, 2].map((i) => `      master${i}:
        nic_ext_dhcp: ens1
        mac_ext_dhcp: "0c:42:a1:00:00:1${i}"
        nic_int_static: ens2
        mac_int_static: "0c:42:a1:00:00:2${i}"
        bmc_url: redfish-virtualmedia://10.1.1.1${i}/redfish/v1/Systems/1
        root_disk: /dev/sda
        storage_disk: [/dev/sdb]
`).join('')}`;
