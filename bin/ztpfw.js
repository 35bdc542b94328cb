#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (npm run build). Kept tiny so `npx ztpfw` starts fast.
let cli;
try {
  cli = require('../build/cli/main');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('ztpfw: not built yet; run "npm run build" (npm ci does it for you)\n');
    process.exit(2);
  }
  throw e;
}
cli.main();
