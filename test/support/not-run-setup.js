// jest globalSetup: a folder where tests record what they could not run for lack of a tool (test/support/tools.ts).
// Set before the workers start, so they inherit it; the reporter reads it at the end of the run.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
  process.env.ZTPFW_NOT_RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-not-run-'));
};
