/**
 * Writes the README's "Supported versions" table from the version table (model/versions.ts), between the markers
 * `<!-- versions:begin -->` and `<!-- versions:end -->`. test/model/versions.test.ts fails when they differ.
 * Run: npm run -s versions
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaceVersionsSection } from '../model/versions';

const file = path.resolve(__dirname, '..', 'README.md');
const before = fs.readFileSync(file, 'utf8');
const after = replaceVersionsSection(before);
if (after !== before) fs.writeFileSync(file, after);
process.stdout.write(after === before ? 'README.md: version table up to date\n' : 'README.md: version table rewritten\n');
