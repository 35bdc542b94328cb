import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../build/server/main.js');

describe('the container entry point (build/server/main.js)', () => {
  test('a missing or bad setting is one located line and exit 1, never a stack trace', () => {
    expect(fs.existsSync(MAIN)).toBe(true);
    const r = spawnSync(process.execPath, [MAIN], { env: { PATH: process.env.PATH, INTERNAL_NETWORK: '192.168.7.0/33' }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: invalid configuration: FRONTEND_URL is not set; INTERNAL_NETWORK is not an IPv4 CIDR; OAUTH2_CLIENT_ID is not set; OAUTH2_CLIENT_SECRET is not set\n');
  });
});
