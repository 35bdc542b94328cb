import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_DIFFERENCES, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, Io, run } from '../../cli/main';
import { generateFleet, SYNTHETIC_RELEASE_DIGEST } from '../../hack/fleet-generator';

const ROOT = path.resolve(__dirname, '../..');

interface Captured { code: number; stdout: string; stderr: string }

function cli(args: string[], cwd: string, isTty = false): Captured {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, isTty, cwd };
  const code = run(args, io);
  return { code, stdout, stderr };
}

/** A scratch project folder holding a copy of the demonstration fleet. */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-cli-'));
  fs.cpSync(path.join(ROOT, 'clusters'), path.join(dir, 'clusters'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  return dir;
}

/** Every file under `dir` with its content hash, so "left untouched" can be asserted byte for byte. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('ztpfw validate', () => {
  test('exits 0 with a one-line summary for a valid fleet', () => {
    const ws = workspace();
    const r = cli(['validate'], ws);
    expect(r).toStrictEqual({ code: EXIT_OK, stdout: 'clusters: 3 clusters (1 sno, 1 compact, 1 standard (3+N))\n', stderr: '' });
  });

  test('exits 1 and prints every problem as FILE:LINE:COL: error: MESSAGE', () => {
    const ws = workspace();
    fs.appendFileSync(path.join(ws, 'clusters/sno-01.yaml'), '        bmc_secrett: x\n');
    fs.writeFileSync(path.join(ws, 'clusters/config.yaml'), fs.readFileSync(path.join(ws, 'clusters/config.yaml'), 'utf8').replace('"4.14.25"', '"4.14"'));
    const r = cli(['validate', '--input', 'clusters'], ws);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toStrictEqual([
      'clusters/config.yaml:6:19: error: "OC_OCP_VERSION" must be a version like "4.14.12", got "4.14"',
      'clusters/sno-01.yaml:14:9: error: unknown key "bmc_secrett" in node "master0"; did you mean "bmc_secret"?',
      '2 errors, 0 warnings',
      '',
    ]);
  });

  test('a disconnected fleet without OC_OCP_RELEASE_DIGEST exits 1 with the located error and the command that prints the digest', () => {
    const ws = workspace();
    const config = path.join(ws, 'clusters/config.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^ {2}OC_OCP_RELEASE_DIGEST: .*\n/m, ''));
    const r = cli(['validate'], ws);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^clusters\/config\.yaml:6:19: error: OC_OCP_RELEASE_DIGEST is required: the fleet is disconnected .*; set OC_OCP_RELEASE_DIGEST to the output of: oc adm release info -o 'jsonpath=\{\.digest\}' quay\.io\/openshift-release-dev\/ocp-release:4\.14\.25-x86_64 \(or set DISCONNECTED: false for a fleet whose clusters reach quay\.io\)$/);
    expect(lines.slice(1)).toStrictEqual(['1 error, 0 warnings', '']);
  });

  test('repeated warnings are one line; --quiet means errors only', () => {
    const ws = workspace();
    expect(cli(['validate', '-q'], ws)).toStrictEqual({ code: 0, stdout: '', stderr: '' });
    const r = cli(['validate', '-i', 'examples/three-plus-one.yaml'], ws);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toStrictEqual([
      expect.stringMatching(/^examples\/three-plus-one.yaml:29:9: warning: plaintext "bmc_pass" .* \(4 warnings like this: at examples\/three-plus-one.yaml:29:9, examples\/three-plus-one.yaml:42:9, examples\/three-plus-one.yaml:55:9 and 1 more\)$/),
    ]);
    expect(r.stdout).toBe('examples/three-plus-one.yaml: 1 cluster (1 standard (3+N)), 4 warnings\n');
    expect(cli(['validate', '-q', '-i', 'examples/three-plus-one.yaml'], ws)).toStrictEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a 1,000-cluster fleet with a legacy bmc_pass on every node: one warning line', () => {
    const ws = workspace();
    const text = generateFleet(1000).text.replace(/^( +)bmc_url: (.*)$/gm, '$1bmc_url: $2\n$1bmc_user: admin\n$1bmc_pass: S3cr3tPw');
    const nodes = text.match(/bmc_pass:/g)!.length;
    expect(nodes).toBeGreaterThan(2000);
    fs.writeFileSync(path.join(ws, 'fleet.yaml'), text);
    const r = cli(['validate', '-i', 'fleet.yaml'], ws);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stderr.split('\n').filter(Boolean)).toStrictEqual([expect.stringMatching(new RegExp(`^fleet\\.yaml:\\d+:\\d+: warning: plaintext "bmc_pass" .*\\(${nodes} warnings like this: at (fleet\\.yaml:\\d+:\\d+, ){2}fleet\\.yaml:\\d+:\\d+ and ${nodes - 3} more\\)$`))]);
    expect(r.stderr).not.toContain('S3cr3tPw');
    expect(JSON.parse(cli(['validate', '-i', 'fleet.yaml', '--format', 'json'], ws).stdout).warnings).toBe(nodes);
  });

  test('--format json: one report on stdout with every diagnostic, exit 1 when invalid', () => {
    const ws = workspace();
    fs.appendFileSync(path.join(ws, 'clusters/sno-01.yaml'), '        bmc_secrett: x\n');
    const r = cli(['validate', '--format', 'json'], ws);
    expect([r.code, r.stderr]).toStrictEqual([EXIT_INVALID, '']);
    expect(JSON.parse(r.stdout)).toStrictEqual({
      input: 'clusters',
      ok: false,
      clusters: 0,
      topologies: { sno: 0, compact: 0, standard: 0 },
      errors: 1,
      warnings: 0,
      diagnostics: [{ file: 'clusters/sno-01.yaml', line: 14, col: 9, severity: 'error', message: 'unknown key "bmc_secrett" in node "master0"; did you mean "bmc_secret"?' }],
    });
    const ok = JSON.parse(cli(['validate', '-f', 'json', '-i', 'examples/three-plus-one.yaml'], ws).stdout);
    expect([ok.ok, ok.clusters, ok.topologies, ok.errors, ok.warnings, ok.diagnostics.length]).toStrictEqual([true, 1, { sno: 0, compact: 0, standard: 1 }, 0, 4, 4]);
  });

  test('--format github: workflow annotations on stdout at the offending line', () => {
    const ws = workspace();
    fs.appendFileSync(path.join(ws, 'clusters/sno-01.yaml'), '        bmc_secrett: x\n');
    const r = cli(['validate', '--format', 'github'], ws);
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stdout).toBe('::error file=clusters/sno-01.yaml,line=14,col=9::unknown key "bmc_secrett" in node "master0"; did you mean "bmc_secret"?\n');
    expect(r.stderr).toBe('1 error, 0 warnings\n');
    expect(cli(['validate', '--format', 'yaml'], ws)).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringMatching(/^ztpfw: --format must be text, json or github, got "yaml"\n/) });
  });
});

describe('usage errors exit 2', () => {
  test.each([
    [[], /^Usage: ztpfw <command>/],
    [['frobnicate'], /^ztpfw: unknown command "frobnicate"; commands: validate, synth, schema/],
    [['validate', '--inptu', 'x'], /^ztpfw: Unknown option '--inptu'/],
    [['synth', 'extra'], /^ztpfw: Unexpected argument 'extra'/],
    [['synth', '--out'], /^ztpfw: Option '-o, --out <value>' argument missing/],
    // a repeated value option took the last one silently; an empty one meant the current folder
    [['synth', '-o', 'a', '--out', 'b'], /^ztpfw: --out is given more than once\n/],
    [['diff', '--format', 'json', '-f', 'text'], /^ztpfw: --format is given more than once\n/],
    [['validate', '-i', ''], /^ztpfw: --input is empty\n/],
    [['schema', '--out', ''], /^ztpfw: --out is empty\n/],
    [['schema', '--out', 'clusters/config.yaml'], /^ztpfw: refusing to overwrite "clusters\/config\.yaml": it is not a fleet schema written by ztpfw schema\n/],
  ])('%j', (args, message) => {
    const r = cli(args as string[], workspace());
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test.each(['validate', 'synth', 'schema'])('%s --help prints its usage and exits 0', (command) => {
    const r = cli([command, '--help'], workspace());
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(new RegExp(`^Usage: ztpfw ${command}`));
  });

  test.each(['validate', 'synth', 'schema', 'secrets', 'verify', 'diff'])('help %s prints what %s --help prints', (command) => {
    const r = cli(['help', command], workspace());
    expect(r).toStrictEqual({ ...cli([command, '--help'], workspace()), code: EXIT_OK });
    expect(r.stdout).toMatch(new RegExp(`^Usage: ztpfw ${command}`));
  });

  test('help of an unknown command, or of two, is a usage error', () => {
    for (const args of [['help', 'nope'], ['help', 'synth', 'diff'], ['help', 'main']]) {
      const r = cli(args, workspace());
      expect(r.code).toBe(EXIT_USAGE);
      expect(r.stderr).toMatch(/^ztpfw: help takes one command; commands: validate, synth/);
    }
  });

  test('--version prints the version of package.json', () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(cli(['--version'], workspace())).toStrictEqual({ code: EXIT_OK, stdout: `ztpfw ${version}\n`, stderr: '' });
    expect(cli(['-V'], workspace()).stdout).toBe(`ztpfw ${version}\n`);
  });

  test('the main help names every command and every exit code', () => {
    const help = cli(['--help'], workspace()).stdout;
    for (const command of ['validate', 'synth', 'schema', 'secrets', 'verify', 'diff']) expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
    const exits = /Exit codes: ([\s\S]*)$/.exec(help)?.[1] ?? '';
    for (const [code, name] of [[EXIT_OK, 'ok'], [EXIT_INVALID, 'invalid'], [EXIT_USAGE, 'usage'], [EXIT_DIFFERENCES, 'differences'], [EXIT_INTERNAL, 'internal']] as const) {
      expect(exits).toMatch(new RegExp(`\\b${code} ${name}`));
    }
  });
});

describe('ztpfw synth', () => {
  test('renders into dist/ and prints a summary', () => {
    const ws = workspace();
    const r = cli(['synth'], ws);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^synthesized 3 clusters \(1 sno, 1 compact, 1 standard \(3\+N\)\) into dist\/: \d+ objects? in \d+ files?, \d+\.\d\ds\n$/);
    expect(fs.existsSync(path.join(ws, 'dist/hub/kustomization.yaml'))).toBe(true);
  });

  test('is deterministic: two renders are byte-identical', () => {
    const ws = workspace();
    cli(['synth', '--out', 'a'], ws);
    cli(['synth', '--out', 'b'], ws);
    expect(snapshot(path.join(ws, 'b'))).toStrictEqual(snapshot(path.join(ws, 'a')));
  });

  test('replaces the output folder: files that are no longer rendered disappear', () => {
    const ws = workspace();
    cli(['synth'], ws);
    fs.mkdirSync(path.join(ws, 'dist/clusters/removed-cluster'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'dist/clusters/removed-cluster/namespace-removed-cluster.yaml'), 'stale');
    fs.writeFileSync(path.join(ws, 'dist/hub/stale.yaml'), 'stale');
    expect(cli(['synth', '-q'], ws)).toStrictEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.existsSync(path.join(ws, 'dist/clusters/removed-cluster'))).toBe(false);
    expect(fs.existsSync(path.join(ws, 'dist/hub/stale.yaml'))).toBe(false);
    expect(fs.readdirSync(ws).filter((f) => f.startsWith('.dist'))).toStrictEqual([]);
  });

  test('a failed synth leaves the output folder byte-for-byte as it was', () => {
    // GIVEN a rendered dist/ with a hand-made file in it
    const ws = workspace();
    cli(['synth'], ws);
    fs.writeFileSync(path.join(ws, 'dist/marker.txt'), 'keep me');
    const before = snapshot(path.join(ws, 'dist'));

    // WHEN the input becomes invalid
    fs.writeFileSync(path.join(ws, 'clusters/sno-01.yaml'), fs.readFileSync(path.join(ws, 'clusters/sno-01.yaml'), 'utf8').replace('3c:ec:ef:a0:01:01', 'not-a-mac'));
    const r = cli(['synth'], ws);

    // THEN
    expect(r.code).toBe(EXIT_INVALID);
    expect(r.stderr).toMatch(/^clusters\/sno-01.yaml:10:23: error: "mac_ext_dhcp" must be a MAC address/);
    expect(r.stderr).toMatch(/1 error; dist\/ left unchanged\n$/);
    expect(snapshot(path.join(ws, 'dist'))).toStrictEqual(before);
    expect(fs.readdirSync(ws).filter((f) => f.startsWith('.dist'))).toStrictEqual([]);
  });

  test('unchanged files are carried over, not rewritten; changed ones are written anew', () => {
    const ws = workspace();
    cli(['synth'], ws);
    const ino = (f: string) => fs.statSync(path.join(ws, 'dist', f)).ino;
    const before = { set: ino('hub/clusterimageset-openshift-v4.14.25.yaml'), kust: ino('hub/kustomization.yaml') };
    cli(['synth'], ws);
    expect({ set: ino('hub/clusterimageset-openshift-v4.14.25.yaml'), kust: ino('hub/kustomization.yaml') }).toStrictEqual(before);
    const config = path.join(ws, 'clusters/config.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/OC_OCP_RELEASE_DIGEST: "[^"]+"/, `OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"`));
    cli(['synth'], ws);
    expect(ino('hub/clusterimageset-openshift-v4.14.25.yaml')).not.toBe(before.set);
    expect(fs.readFileSync(path.join(ws, 'dist/hub/clusterimageset-openshift-v4.14.25.yaml'), 'utf8')).toContain(`ocp-release@${SYNTHETIC_RELEASE_DIGEST}`);
    expect(ino('hub/kustomization.yaml')).toBe(before.kust);
  });

  test('refuses an output folder that would destroy the input or the project', () => {
    const ws = workspace();
    expect(cli(['synth', '--out', 'clusters'], ws)).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringMatching(/refusing to replace "clusters": it contains the input/) });
    expect(cli(['synth', '--out', '.'], ws)).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringMatching(/refusing to replace "\.": it contains the current folder/) });
    expect(fs.existsSync(path.join(ws, 'clusters/config.yaml'))).toBe(true);
    // inside the input folder: a folder named *.yaml there would break the next run's input, any other folder is litter
    for (const out of ['clusters/out', 'clusters/edge.yaml']) {
      expect(cli(['synth', '--out', out], ws)).toMatchObject({ code: EXIT_USAGE, stderr: `ztpfw: refusing to write "${out}": it is inside the input folder "clusters", whose files the next run would read as input\n` });
      expect(fs.existsSync(path.join(ws, out))).toBe(false);
    }
    // an output beside an input file is fine
    fs.writeFileSync(path.join(ws, 'one.yaml'), fs.readFileSync(path.join(ROOT, 'examples/sno-single-nic.yaml'), 'utf8'));
    expect(cli(['synth', '-q', '--input', 'one.yaml', '--out', 'one-out'], ws).code).toBe(0);
  });

  test('paths the user names are printed escaped in every summary and note (they went out raw)', () => {
    const ws = workspace();
    const evil = 'e\u001b[31mv';
    fs.copyFileSync(path.join(ws, 'examples/sno-single-nic.yaml'), path.join(ws, `${evil}.yaml`));
    const lines = [
      cli(['validate', '-i', `${evil}.yaml`], ws),
      cli(['synth', '-i', `${evil}.yaml`, '-o', `o${evil}`], ws),
      cli(['diff', '-i', `${evil}.yaml`, '--base-dir', `o${evil}`], ws),
      cli(['diff', '-i', `${evil}.yaml`, '--base-dir', `o${evil}`, '--format', 'markdown'], ws),
      cli(['list', '-i', `${evil}.yaml`, '--format', 'markdown'], ws),
    ].map((r) => r.stdout + r.stderr).join('');
    // eslint-disable-next-line no-control-regex
    expect(lines).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(lines).toContain('e\\e[31mv.yaml: 1 cluster');
    expect(lines).toContain('into oe\\e[31mv/');
  });

  test('a folder fleet reads .YAML and .YML files too (a renamed file made its cluster vanish silently)', () => {
    const ws = workspace();
    const file = fs.readdirSync(path.join(ws, 'clusters')).find((f) => f.startsWith('sno'))!;
    const before = cli(['validate', '-i', 'clusters'], ws).stdout;
    fs.renameSync(path.join(ws, 'clusters', file), path.join(ws, 'clusters', file.replace(/\.yaml$/, '.YAML')));
    expect(cli(['validate', '-i', 'clusters'], ws).stdout).toBe(before.replace(`clusters/${file}`, `clusters/${file.replace(/\.yaml$/, '.YAML')}`));
  });

  test('keeps the mode of the output folder (it was reset to 0700 on every run); a new one gets the usual mode', () => {
    const ws = workspace();
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    expect(fs.statSync(path.join(ws, 'dist')).mode & 0o777).toBe(0o777 & ~process.umask());
    fs.chmodSync(path.join(ws, 'dist'), 0o750);
    expect(cli(['synth', '-q'], ws).code).toBe(EXIT_OK);
    expect(fs.statSync(path.join(ws, 'dist')).mode & 0o777).toBe(0o750);
  });

  test('shows progress only on a terminal', () => {
    const ws = workspace();
    const many = [`config:\n  OC_OCP_VERSION: "4.14.12"\n  OC_OCP_RELEASE_DIGEST: "${SYNTHETIC_RELEASE_DIGEST}"\n  OC_ACM_VERSION: "2.9"\n  OC_ODF_VERSION: "4.14"\n  BASE_DOMAIN: f.example.com\nedgeclusters:`];
    for (let i = 0; i < 30; i++) {
      const hex = i.toString(16).padStart(2, '0');
      many.push(`  - c${i}:\n      master0: {nic_ext_dhcp: eno1, mac_ext_dhcp: "52:54:00:00:00:${hex}", bmc_url: "redfish-virtualmedia://10.0.0.1/redfish/v1/Systems/${i}", root_disk: /dev/sda, storage_disk: [/dev/sdb]}`);
    }
    fs.writeFileSync(path.join(ws, 'many.yaml'), `${many.join('\n')}\n`);
    expect(cli(['synth', '-i', 'many.yaml'], ws, false).stderr).toBe('');
    const tty = cli(['synth', '-i', 'many.yaml', '-o', 'dist2'], ws, true);
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/^synthesized 30 clusters \(30 sno\)/);
    expect(cli(['synth', '-q', '-i', 'many.yaml'], ws, true)).toStrictEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('ztpfw schema', () => {
  test('the committed editor schema is the one the CLI writes', () => {
    const r = cli(['schema'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(ROOT, 'clusters/edgeclusters.schema.json'), 'utf8'));
    const schema = JSON.parse(r.stdout);
    expect(Object.keys(schema.properties.config.properties)).toEqual(expect.arrayContaining(['OC_OCP_VERSION', 'BASE_DOMAIN', 'REGISTRY', 'INTERNAL_NETWORK']));
    expect(schema.properties.config.required).toEqual(expect.arrayContaining(['OC_OCP_VERSION', 'OC_ACM_VERSION', 'OC_ODF_VERSION', 'BASE_DOMAIN']));
  });
});

describe('the compiled binary', () => {
  test('npx-style invocation runs the built CLI with the same exit codes', () => {
    const bin = path.join(ROOT, 'bin/ztpfw.js');
    expect(execFileSync('node', [bin, 'validate', '-i', 'examples/sno-single-nic.yaml'], { cwd: ROOT, encoding: 'utf8' })).toBe('examples/sno-single-nic.yaml: 1 cluster (1 sno)\n');
    const bad = spawnSync('node', [bin, 'validate', '-i', 'test/fixtures/invalid/placeholder-mac.yaml'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(spawnSync('node', [bin, 'nope'], { cwd: ROOT, encoding: 'utf8' }).status).toBe(2);
  });
});
