/**
 * What messages may show of the input: never the value of a credential or key field, never raw source text of a
 * syntax error, never a raw control character; long values truncated. Each case is a mutation of an example.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';
import { escapeControls, quote, redact, secretValuesIn } from '../../model/text';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'Sup3rS3cret';
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples/three-plus-one.yaml'), 'utf8');
const GPU_EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples/policy-delivery.yaml'), 'utf8');

function fleet(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-msg-'));
  fs.writeFileSync(path.join(dir, 'f.yaml'), text);
  return path.join(dir, 'f.yaml');
}

/** The example with the first bmc_pass value replaced by `value` (as YAML source text). */
const withPass = (value: string) => EXAMPLE.replace('bmc_pass: "user-pass"', `bmc_pass: ${value}`);

function validate(text: string): { lines: string[]; ok: boolean } {
  const file = fleet(text);
  const r = loadFleet(file);
  return { lines: r.diagnostics.map(formatDiagnostic).map((l) => l.split(`${path.dirname(file)}/`).join('')), ok: r.fleet !== undefined };
}

describe('no secret value in any message', () => {
  test.each([
    ['an alias', `*${SECRET}`, 'f.yaml:29:19: error: invalid YAML: an alias (*name) refers to no anchor (&name) defined before it; quote the value if it is not meant as an alias'],
    ['an unknown tag (was a warning, and the password silently dropped)', `!${SECRET}`, 'f.yaml:29:19: error: invalid YAML: unknown tag: a value starting with "!" is read as a YAML tag; quote the value'],
    ['an unclosed quote', `"${SECRET}`, 'f.yaml:29:31: error: invalid YAML: missing closing "quote'],
    ['a bad escape', `"a\\q${SECRET}"`, 'f.yaml:29:21: error: invalid YAML: invalid escape sequence in a double-quoted string (single quotes keep backslashes as they are)'],
    ['a broken flow list', `[${SECRET}`, expect.stringMatching(/^f\.yaml:\d+:\d+: error: invalid YAML: /)],
  ])('bmc_pass with %s is a located error that does not quote it', (_what, value, first) => {
    const { lines, ok } = validate(withPass(value));
    expect(ok).toBe(false);
    expect(lines[0]).toEqual(first);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  test('a bmc_pass of the wrong type names its kind, not its value', () => {
    const { lines } = validate(withPass(`{ ${SECRET}: 1 }`));
    expect(lines.filter((l) => l.includes('error: "bmc_pass"'))).toStrictEqual(['f.yaml:29:19: error: "bmc_pass" must be a string or a number, got a map']);
    const bool = validate(EXAMPLE.replace('bmc_user: "user-bmc"', 'bmc_user: true')).lines.filter((l) => l.includes('error: "bmc_user"'));
    expect(bool).toStrictEqual(['f.yaml:28:19: error: "bmc_user" must be a string or a number, got a boolean (not shown)']);
  });

  test('an SSH_PUBLIC_KEY holding a private key is refused without echoing it', () => {
    const key = `-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA${SECRET}\\n-----END OPENSSH PRIVATE KEY-----`;
    const { lines } = validate(EXAMPLE.replace('config:\n', `config:\n  SSH_PUBLIC_KEY: "${key}"\n`));
    expect(lines).toContainEqual(expect.stringMatching(/^f\.yaml:\d+:\d+: error: "SSH_PUBLIC_KEY" holds a private key, not a public one: remove it from the file/));
    expect(lines.join('\n')).not.toMatch(/b3BlbnNzaC1rZXkt|Sup3r|BEGIN OPENSSH/);
    const wrong = validate(EXAMPLE.replace('config:\n', `config:\n  SSH_PUBLIC_KEY: "ssh-rsa ${SECRET}!!"\n`)).lines;
    expect(wrong).toContainEqual(expect.stringMatching(/error: "SSH_PUBLIC_KEY" must be one OpenSSH public key line .*, got a string of 21 characters \(not shown\)$/));
    expect(wrong.join('\n')).not.toContain(SECRET);
  });

  test('the backstop: values of secret keys are found in the text, even when it does not parse, and replaced when whole', () => {
    expect(secretValuesIn(`a:\n  bmc_pass: "${SECRET}" # c\n  - password: *${SECRET}x\n  "auth": '${SECRET}y'\n  user: plain-value\n`).sort()).toStrictEqual([SECRET, `${SECRET}x`, `${SECRET}y`]);
    expect(redact(`"${SECRET}" and "bmc_secret" and ztpfw secrets`, [SECRET, 'secret'])).toBe('"***" and "bmc_secret" and ztpfw secrets');
  });
});

describe('no raw control character in any message', () => {
  test('a value with an escape sequence and a newline cannot forge a diagnostic line or colour the terminal', () => {
    const evil = 'evil\\e[31m\\nf.yaml:1:1: error: forged';
    const { lines } = validate(EXAMPLE.replace('root_disk: /dev/sda', `root_disk: "${evil}"`));
    const printed = lines.join('\n');
    // eslint-disable-next-line no-control-regex
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(lines.filter((l) => l.startsWith('f.yaml:1:1'))).toStrictEqual([]);
    expect(printed).toContain('"evil\\e[31m\\nf.yaml:1:1: error: forged"');
  });

  test('an unknown key with control characters is escaped; a huge value is truncated', () => {
    const { lines } = validate(EXAMPLE.replace('        root_disk: /dev/sda', `        "bad\\u0007key\\r": 1\n        root_disk: /dev/sda`));
    expect(lines).toContainEqual(expect.stringContaining('unknown key "bad\\u{7}key\\r" in node "master0"'));
    const long = validate(EXAMPLE.replace('root_disk: /dev/sda', `root_disk: ${'x'.repeat(5000)}`)).lines;
    expect(long).toContainEqual(expect.stringContaining(`"${'x'.repeat(80)}… (5000 characters)"`));
    expect(Math.max(...long.map((l) => l.length))).toBeLessThan(1200);
  });

  test('escapeControls and quote', () => {
    expect(escapeControls('a\u001b[2Jb\u0000c\u009bd\u2028e\tf')).toBe('a\\e[2Jb\\u{0}c\\u{9b}d\\u{2028}e\\tf');
    expect(quote('ab', 1)).toBe('"a… (2 characters)"');
  });
});

describe('a key that is a map or a list', () => {
  test('is a located error, and Node\'s "Keys with collection values will be stringified" warning never reaches stderr', () => {
    const text = EXAMPLE.replace('        root_disk: /dev/sda', '        {{ .Name }}: x\n        root_disk: /dev/sda');
    const { lines, ok } = validate(text);
    expect(ok).toBe(false);
    expect(lines).toContain('f.yaml:30:9: error: invalid key: a key must be a plain value, not a map or list (a template such as {{ .Name }} left in the file?)');
    const file = fleet(text);
    const r = spawnSync('node', [path.join(ROOT, 'bin/ztpfw.js'), 'validate', '-i', file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/stringified|Warning|\(node:\d+\)/);
    expect(r.stderr.split('\n')).toContain(`${file}:30:9: error: invalid key: a key must be a plain value, not a map or list (a template such as {{ .Name }} left in the file?)`);
  });
});

describe('an alias inside the value its anchor names', () => {
  const RECURSIVE = 'f.yaml:%s: error: invalid YAML: an alias (*name) inside the value its anchor (&name) names makes that value contain itself; quote the value if it is not meant as an alias';
  test.each([
    // found by the fuzz harness: the loader handed a circular structure to the contrib check, which threw (exit 4)
    ['a list holding itself, in a key the loader checks', GPU_EXAMPLE.replace('version: v23.9.1', 'version: &a [*a]'), '25:24'],
    ['a list holding itself, in a node key', EXAMPLE.replace('        root_disk: /dev/sda', '        root_disk: &a [*a]'), '30:24'],
    ['a map holding itself, in a key kept verbatim', EXAMPLE.replace('config:\n', 'config:\n  note: &m { self: *m }\n'), '12:20'],
  ])('%s is a located error, never a crash', (_what, text, at) => {
    const { lines, ok } = validate(text);
    expect(ok).toBe(false);
    expect(lines).toContain(RECURSIVE.replace('%s', at));
  });

  test('an alias to a value defined before it is still read as a copy of that value', () => {
    const { ok } = validate(EXAMPLE.replace('        root_disk: /dev/sda', '        root_disk: &d /dev/sda').replace(/(master1:[\s\S]*?)root_disk: \/dev\/sda/, '$1root_disk: *d'));
    expect(ok).toBe(true);
  });
});

test('a second YAML document is located at its "---" and explained in our words, not the parser library\'s', () => {
  const { lines, ok } = validate(`${EXAMPLE}---\nconfig: {}\n`);
  expect(ok).toBe(false);
  const at = EXAMPLE.split('\n').length;
  expect(lines).toStrictEqual([`f.yaml:${at}:1: error: invalid YAML: a second YAML document starts here (a "---" line after content); a fleet file holds one document: merge them, or put each in its own file of an input folder`]);
});
