// jest reporter: after the summary, names every check that did not run because a tool was missing, and how to run
// it. A local `npm test` without shellcheck or kubectl passes, but never silently (test/support/tools.ts).
const fs = require('node:fs');
const path = require('node:path');

const HOW = {
  shellcheck: 'install shellcheck (apt-get install shellcheck, brew install shellcheck); CI requires it',
  kubectl: 'install kubectl 1.27+, set ZTPFW_KUBECTL, or run "npm run kubectl"; CI requires it',
};

/** The notice for the records in `dir` ('' when everything ran). */
function notice(dir) {
  if (!dir || !fs.existsSync(dir)) return '';
  const parts = [];
  for (const tool of Object.keys(HOW)) {
    const file = path.join(dir, `${tool}.txt`);
    if (!fs.existsSync(file)) continue;
    const lines = [...new Set(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean))];
    const reason = lines[0].split('\t')[1];
    parts.push(`NOT RUN: ${lines.length} check(s) need ${tool}, and ${reason}.\n  ${HOW[tool]}.\n` +
      lines.map((l) => `  - ${l.split('\t')[0]}`).join('\n'));
  }
  return parts.length ? `\n${parts.join('\n')}\n` : '';
}

class NotRunReporter {
  onRunComplete() {
    const dir = process.env.ZTPFW_NOT_RUN_DIR;
    const text = notice(dir);
    if (text) process.stderr.write(text);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = NotRunReporter;
module.exports.notice = notice;
