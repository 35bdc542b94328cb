import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderApp } from '../../cli/render';
import { buildApp } from '../../main';
import { loadFleet } from '../../model/loader';
import { EXAMPLES, ROOT, tempFleet } from './install-support';

/**
 * Every example, rewritten so each node carries distinctive legacy bmc_user/bmc_pass values: none of them (nor their
 * base64 forms) may appear anywhere in the rendered files.
 */
describe('credentials never reach the rendered output', () => {
  test.each(EXAMPLES)('%s', (example) => {
    const text = fs.readFileSync(path.join(ROOT, 'examples', example), 'utf8');
    const secrets: string[] = [];
    let i = 0;
    // Replace existing legacy keys and pre-created Secret names by unique credentials on every node.
    const rewritten = text
      .replace(/^(\s+)bmc_(user|pass): .*\n/gm, '')
      .replace(/^(\s+)bmc_secret: .*\n/gm, '')
      .replace(/^(\s+)bmc_url: (.*)$/gm, (_m, indent: string, url: string) => {
        i++;
        const user = `leak-user-${i}-Zq7`;
        const pass = `leak-pass-${i}-Xw9!`;
        secrets.push(user, pass);
        return `${indent}bmc_url: ${url}\n${indent}bmc_user: "${user}"\n${indent}bmc_pass: "${pass}"`;
      });
    const result = loadFleet(tempFleet(rewritten));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toStrictEqual([]);
    expect(i).toBeGreaterThan(0);
    expect(result.inlineCredentials).toHaveLength(i);
    const { files } = renderApp(buildApp(result.fleet!));
    const all = files.map((f) => f.content).join('\n');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const s of secrets) {
      expect(all).not.toContain(s);
      expect(all).not.toContain(b64(s));
      expect(all).not.toContain(b64(`${s}\n`));
    }
    // No Secret object at all: every secret is referenced by name.
    expect(files.filter((f) => /^kind: Secret$/m.test(f.content))).toStrictEqual([]);
  });
});
