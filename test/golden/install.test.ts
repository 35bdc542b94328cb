import * as path from 'node:path';
import { render, EXAMPLES, ROOT } from '../charts/install-support';

/**
 * Golden files: the complete rendered output (hub + cluster folders) of every example, one topology / NIC mode per
 * example, reviewed like code when it changes (`npx jest -u` rewrites them).
 */
describe('golden install manifests', () => {
  test.each([...EXAMPLES, 'clusters'])('%s', (input) => {
    const file = input === 'clusters' ? path.join(ROOT, 'clusters') : path.join(ROOT, 'examples', input);
    const { files } = render(file);
    const byPath: Record<string, string> = {};
    for (const f of files) byPath[f.path] = f.content;
    expect(byPath).toMatchSnapshot();
  });
});
