import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffRenders, RenderDiff } from '../../cli/diff';
import { DETAILS_MARKER, formatDiff } from '../../cli/diff-format';
import { groupFlags, RiskFlag, riskFlags } from '../../cli/diff-risks';
import { clusterRows, ClusterRow } from '../../cli/list';
import { renderApp } from '../../cli/render';
import { generateFleet } from '../../hack/fleet-generator';
import { BODY_LIMIT, commentBody, SUMMARY_LIMIT, summaryBody } from '../../hack/pr-comment';
import { buildApp } from '../../main';
import { loadFleet } from '../../model/loader';

/** The render of a generated fleet text, as `ztpfw diff` holds it (path → YAML), and the fleet's `ztpfw list` rows. */
function render(text: string): { files: Map<string, string>; rows: ClusterRow[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-scale-'));
  fs.writeFileSync(path.join(dir, 'edgeclusters.yaml'), text);
  const fleet = loadFleet(path.join(dir, 'edgeclusters.yaml')).fleet!;
  return { files: new Map(renderApp(buildApp(fleet)).files.map((f) => [f.path, f.content])), rows: clusterRows(fleet) };
}

describe('the review of an OCP z-stream bump on 1,000 clusters', () => {
  let diff: RenderDiff;
  let flags: RiskFlag[];
  let markdown: string;
  // Two renders of 1,000 clusters: about 40 s of CPU, minutes on a loaded machine.
  beforeAll(() => {
    const fleet = generateFleet(1000).text;
    expect(fleet).toContain('OC_OCP_VERSION: "4.14.12"');
    const head = render(fleet.replace('OC_OCP_VERSION: "4.14.12"', 'OC_OCP_VERSION: "4.14.13"'));
    diff = diffRenders(render(fleet).files, head.files);
    flags = riskFlags(diff);
    markdown = formatDiff(diff, flags, { format: 'markdown', baseLabel: 'dist/ at origin/main', headLabel: 'clusters', fleet: head.rows });
  }, 600_000);

  test('every cluster changes; one flag per rule and object, the blast radius first', () => {
    expect(diff.clusters).toHaveLength(1000);
    expect(groupFlags(flags).map((g) => [g.title, g.count, g.clusters])).toStrictEqual([
      ['1000 clusters changed at once', 1, 0],
      ['Install field changed on an installed cluster', 1000, 1000],
    ]);
  });

  test('the comment fits GitHub, keeps every flag and the hub change, and cuts only details', () => {
    expect(markdown.length).toBeGreaterThan(BODY_LIMIT);
    const body = commentBody(markdown);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    const head = markdown.slice(0, markdown.indexOf(DETAILS_MARKER));
    expect(head.length).toBeLessThan(8000);
    // It starts with the touched clusters (20 rows, the rest counted), then the flags.
    expect(head).toContain('| Cluster | Topology | STATE | Delivery | Bundles | Nodes | OCP |\n| --- | --- | --- | --- | --- | --- | --- |\n| `edge-0000` | sno | configure | manifestwork | nmstate,metallb,storage,registry,ui,disconnected | 1 | 4.14.13 |\n');
    expect(head).toContain('| `edge-0019` |');
    expect(head).not.toContain('| `edge-0020` |');
    expect(head).toContain('\nand 980 more (`ztpfw list` shows the whole fleet)\n\n#### ⚠️ Risk flags');
    expect(body).toContain(head);
    expect(head).toContain('#### ⚠️ Risk flags (1001 in 2 rules)\n\n- **1000 clusters changed at once**<br>');
    expect(head).toContain('- **Install field changed on an installed cluster**: 1000 objects in 1000 clusters<br>');
    expect(head).toContain('  - and 995 more\n');
    // The fleet-wide change comes before the 1,000 cluster sections, so it survives the cut.
    expect(body).toMatch(/#### `hub`\n\n\*\*ClusterImageSet\*\*\n\n- ➖ removed `openshift-v4\.14\.12`\n- ➕ added `openshift-v4\.14\.13`\n/);
    expect(body).toMatch(/> Truncated: \d+ of \d+ lines shown\. The full diff is in the job summary and in the `ztpfw-diff` artifact/);
    expect(body).not.toContain('#### `clusters/edge-0999`');
  });

  test('the job summary holds the whole report (it is within 1 MiB)', () => {
    expect(Buffer.byteLength(markdown)).toBeLessThan(SUMMARY_LIMIT);
    expect(summaryBody(markdown)).toBe(markdown);
    expect(markdown).toContain('#### `clusters/edge-0999`');
  });
});

describe('summaryBody', () => {
  test('counts UTF-8 bytes, keeps the flags and cuts the details', () => {
    const md = ['### ztpfw diff', '', '- **flag** ✏️', DETAILS_MARKER, '', ...Array.from({ length: 400 }, (_, i) => `- ✏️ changed \`o${i}\``)].join('\n');
    const body = summaryBody(md, 2000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(2000);
    expect(body.length).toBeLessThan(2000);
    expect(body.startsWith(`### ztpfw diff\n\n- **flag** ✏️\n${DETAILS_MARKER}\n`)).toBe(true);
    expect(body).toMatch(/> Truncated: \d+ of 405 lines shown\. The full diff is in the `ztpfw-diff` artifact of the workflow run\.\n$/);
  });
});
