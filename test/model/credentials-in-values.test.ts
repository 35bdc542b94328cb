/**
 * Credentials where a value should hold none, and credentials the YAML reading would change: found by a red-team
 * pass over fleets the fuzz harness does not write (a token in a Git URL went into dist/, a private key between two
 * CA certificates was rendered, an EC key's bytes were quoted, `password: 007` became the password "7").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Io, run } from '../../cli/main';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';
import { maskUserinfo, urlCredential } from '../../model/text';

const SECRET = 'SeKrIt9TokenXyz';
const BASE = `config:
  OC_OCP_VERSION: "4.14.25"
  OC_OCP_RELEASE_DIGEST: "sha256:a0ef946ef8ae75aef726af1d9bbaad278559ad8cab2c1ed1088928a0087990b6"
  OC_ACM_VERSION: "2.9"
  OC_ODF_VERSION: "4.14"
  BASE_DOMAIN: factory.example.com
edgeclusters:
  - sno-a:
      config: {STATE: configure}
      master0: {nic_ext_dhcp: eno1, mac_ext_dhcp: "3c:ec:ef:a0:01:01", bmc_url: "redfish-virtualmedia://10.20.0.11/redfish/v1/Systems/1", root_disk: /dev/sda, storage_disk: [/dev/sdb]}
`;
const CERT = '-----BEGIN CERTIFICATE-----\n    MIIBszCCAVmgAwIBAgIUQ\n    -----END CERTIFICATE-----';
const withConfig = (line: string) => BASE.replace('  BASE_DOMAIN: factory.example.com\n', `  BASE_DOMAIN: factory.example.com\n${line}\n`);

function cli(args: string[], cwd: string): { code: number; out: string } {
  let out = '';
  const io: Io = { stdout: (s) => { out += s; }, stderr: (s) => { out += s; }, isTty: false, cwd, env: {} };
  return { code: run(args, io), out };
}

function scratch(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-cred-'));
  fs.writeFileSync(path.join(dir, 'f.yaml'), text);
  return dir;
}

const messages = (text: string) => {
  const dir = scratch(text);
  return loadFleet('f.yaml', { cwd: dir }).diagnostics.map(formatDiagnostic);
};

describe('a credential in an address is a located error, never rendered or printed', () => {
  test.each([
    ['a Git URL with user and password', `  GIT_REPO_URL: https://oauth2:${SECRET}@git.example.com/f/fleet.git`, 'GIT_REPO_URL', 'password'],
    ['a Git URL with a token as the user', `  GIT_REPO_URL: https://${SECRET}@git.example.com/f/fleet.git`, 'GIT_REPO_URL', 'token'],
    ['an ssh Git URL with a password', `  GIT_REPO_URL: ssh://git:${SECRET}@git.example.com/f/fleet.git`, 'GIT_REPO_URL', 'password'],
    ['an RHCOS mirror URL with a password', `  RHCOS_IMAGES_URL: https://user:${SECRET}@mirror.example.com/rhcos/4.14`, 'RHCOS_IMAGES_URL', 'password'],
    ['a registry address with a password', `  REGISTRY: user:${SECRET}@registry.example.com:5000`, 'REGISTRY', 'password'],
  ])('%s', (_what, line, key, kind) => {
    const dir = scratch(withConfig(line));
    const r = cli(['synth', '-i', 'f.yaml', '-o', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^f\\.yaml:7:\\d+: error: "${key}" carries a ${kind} in the address \\(before "@"\\), which would be written into dist/ and so into git: remove it; `, 'm'));
    expect(r.out).not.toContain(SECRET);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('an ssh or scp-like Git URL with a login name only is fine', () => {
    for (const url of ['ssh://git@git.example.com/f/fleet.git', 'git@git.example.com:f/fleet.git']) {
      expect(messages(withConfig(`  GIT_REPO_URL: ${url}`)).filter((m) => m.includes('error'))).toStrictEqual([]);
    }
  });

  test('the helpers: what counts as a credential, and how it is masked', () => {
    expect(urlCredential('https://git.example.com/x.git')).toBeUndefined();
    expect(urlCredential('ssh://git@h/x')).toBeUndefined();
    expect(urlCredential('https://tok@h/x')).toBe('token');
    expect(urlCredential('u:p@h:5000')).toBe('password');
    expect(maskUserinfo(`https://u:${SECRET}@h/x`)).toBe('https://***@h/x');
    expect(maskUserinfo(`u:${SECRET}@h:5000`)).toBe('***@h:5000');
  });
});

describe('private key material in a public key field', () => {
  const EC_KEY = '-----BEGIN EC PRIVATE KEY-----\n    MHcCAQEEIPZFiVNoacibKzZnG3H6Qe5R6Bnemj95Vh979Wt3\n    -----END EC PRIVATE KEY-----';
  test.each([
    ['a key between two certificates (the old pattern let anything sit between them)', `${CERT}\n    ${EC_KEY}\n    ${CERT}`],
    ['a key alone (its bytes were quoted in the message)', EC_KEY],
  ])('REGISTRY_CA holding %s is refused without quoting it', (_what, pem) => {
    const out = messages(withConfig(`  REGISTRY: registry.example.com:5000\n  REGISTRY_CA: |\n    ${pem}`));
    expect(out).toContainEqual(expect.stringMatching(/^f\.yaml:8:\d+: error: "REGISTRY_CA" holds a private key, not only certificates: remove it from the file \(and treat the key as exposed if the file was shared or committed\); give the CA certificate\(s\) only/));
    expect(out.join('\n')).not.toMatch(/MHcCAQEE|PZFiVN/);
  });

  test('a malformed certificate is an error that does not quote the value either', () => {
    const out = messages(withConfig('  REGISTRY: registry.example.com:5000\n  REGISTRY_CA: "-----BEGIN CERTIFICATE----- not base64 !"'));
    expect(out).toContainEqual(expect.stringMatching(/error: "REGISTRY_CA" must be one or more PEM certificates .*, got a string of \d+ characters \(not shown\)$/));
  });

  test('certificates alone are accepted', () => {
    expect(messages(withConfig(`  REGISTRY: registry.example.com:5000\n  REGISTRY_CA: |\n    ${CERT}\n    ${CERT}`)).filter((m) => m.includes('error'))).toStrictEqual([]);
  });
});

describe('unquoted numbers as credentials are read as written', () => {
  test('bmc_user/bmc_pass in the fleet: 007 stays "007", 0x1F stays "0x1F" (YAML reads 7 and 31)', () => {
    const dir = scratch(BASE.replace('bmc_url: "redfish-virtualmedia://10.20.0.11/redfish/v1/Systems/1"', 'bmc_url: "redfish-virtualmedia://10.20.0.11/redfish/v1/Systems/1", bmc_user: 007, bmc_pass: 0x1F'));
    const r = loadFleet('f.yaml', { cwd: dir });
    expect(r.inlineCredentials.map((c) => [c.username, c.password])).toStrictEqual([['007', '0x1F']]);
  });

  test('the secrets file: every place a credential can be given', () => {
    const dir = scratch(BASE);
    fs.writeFileSync(path.join(dir, 's.yaml'), 'default:\n  username: 007\n  password: 1e3\nclusters:\n  sno-a:\n    master0: {username: admin, password: 0x1F}\n');
    const r = cli(['secrets', '-i', 'f.yaml', '--from', 's.yaml'], dir);
    expect(r.code).toBe(0);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(r.out).toContain(`username: ${b64('admin')}`);
    expect(r.out).toContain(`password: ${b64('0x1F')}`);
    fs.writeFileSync(path.join(dir, 's.yaml'), 'default:\n  username: 007\n  password: 1e3\n');
    const d = cli(['secrets', '-i', 'f.yaml', '--from', 's.yaml'], dir);
    expect(d.out).toContain(`username: ${b64('007')}`);
    expect(d.out).toContain(`password: ${b64('1e3')}`);
  });
});
