/**
 * Text that reaches a terminal or a CI log from the input: escaped so it can neither move the cursor, colour the
 * screen nor start a line of its own (a value with a newline could forge a `FILE:LINE:COL: error:` line), and
 * truncated so one huge value cannot flood the output. And the secret-bearing fields whose values never appear.
 */

/** Longest quoted value in a message, in characters (before escaping). */
export const QUOTE_MAX = 80;
/** Longest message, in characters: a backstop for messages that quote several things. */
export const MESSAGE_MAX = 1000;

/**
 * Escapes C0 and C1 control characters, DEL, and the Unicode line and paragraph separators as `\n`, `\t`, `\r`,
 * `\e` or `\u{XX}`; everything else is kept as is.
 */
export function escapeControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n': return '\\n';
      case '\t': return '\\t';
      case '\r': return '\\r';
      case '\u001b': return '\\e';
      default: return `\\u{${c.charCodeAt(0).toString(16)}}`;
    }
  });
}

/** `s` cut to `max` characters with an ellipsis and the full length when it is longer. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max)}… (${s.length} characters)`;
}

/** A value from the input as a message shows it: in double quotes, escaped, truncated. */
export function quote(v: string, max = QUOTE_MAX): string {
  return `"${escapeControls(truncate(v, max))}"`;
}

/**
 * What a message says it got in place of the expected value: a scalar quoted (escaped, truncated), a collection only
 * by its kind (never serialized: it may be large, or hold a secret further down).
 */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return quote(maskUserinfo(v));
  return `${typeof v} ${quote(String(v)).slice(1, -1)}`;
}

/**
 * `s` with the credentials a URL or registry address may carry replaced by `***`: the user information of
 * `scheme://user:password@host` or `scheme://token@host`, and `user:password@` in front of a host.
 */
export function maskUserinfo(s: string): string {
  return s.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s]+@/, '$1***@').replace(/^[^/:@\s]+:[^/@\s]*@/, '***@');
}

/**
 * What the user information of a URL holds, when it holds a credential: `password` for `user:password@`, `token`
 * for an http(s) `token@` (Git hosts take tokens as the user name); undefined for none or an ssh `user@` (a login
 * name, the key is elsewhere). Also for a scheme-less `user:password@host`.
 */
export function urlCredential(url: string): 'password' | 'token' | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/@\s]+)@/.exec(url) ?? /^()([^/:@\s]+:[^/@\s]*)@/.exec(url);
  if (!m) return undefined;
  if (m[2].includes(':')) return 'password';
  return /^https?$/i.test(m[1]) ? 'token' : undefined;
}

/** A whole message or file name made safe for a terminal line. */
export function safeLine(s: string, max = MESSAGE_MAX): string {
  return escapeControls(truncate(s, max));
}

/**
 * Keys whose values are credentials or key material, in the fleet files and the secrets file. Their values are
 * never quoted: messages about them name the key and the kind of problem only. `SSH_PUBLIC_KEY` and `REGISTRY_CA`
 * are public when right, but a wrong one is often a private key pasted by mistake.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['bmc_pass', 'bmc_user', 'password', 'username', 'SSH_PUBLIC_KEY', 'REGISTRY_CA', 'auth', 'auths', 'pullSecret', 'pull_secret', '.dockerconfigjson']);

/** Keys holding public key material, and what belongs there instead of a private key. */
export const PUBLIC_KEY_MATERIAL: Readonly<Record<string, string>> = {
  SSH_PUBLIC_KEY: 'give the matching public key line (ssh-ed25519 AAAA… comment)',
  REGISTRY_CA: 'give the CA certificate(s) only (-----BEGIN CERTIFICATE----- …)',
};

/** Values shorter than this are not searched for in messages (a short one would garble ordinary words). */
const REDACT_MIN = 6;

/**
 * The values written after a secret key in YAML `text` (`bmc_pass: x`, `"password": 'x'`), found line by line
 * without parsing, so they are known even when the file does not parse: messages are searched for them and they are
 * replaced by `***` (a backstop under the rule that no message quotes such a value).
 */
export function secretValuesIn(text: string): string[] {
  const found = new Set<string>();
  const keys = [...SECRET_KEYS].map((k) => k.replace(/[.]/g, '\\.')).join('|');
  const line = new RegExp(`^[\\s-]*["']?(?:${keys})["']?\\s*:[ \\t]*(.*)$`, 'gm');
  for (const m of text.matchAll(line)) {
    let v = m[1].replace(/\s+#.*$/, '').trim();
    // anchors, aliases and tags in front of the value, then the quotes around it
    v = v.replace(/^(?:[&*!][^\s]*\s*)+/, (props) => {
      for (const p of props.trim().split(/\s+/)) if (p.length > REDACT_MIN) found.add(p.slice(1));
      return '';
    });
    v = v.replace(/^["'](.*)["']?$/, '$1').replace(/["',}\]]+$/, '');
    if (v.length >= REDACT_MIN) found.add(v);
  }
  // a password inside a URL (redfish://user:password@host/…)
  for (const m of text.matchAll(/:\/\/[^/\s:@]+:([^@\s/]+)@/g)) if (m[1].length >= REDACT_MIN) found.add(m[1]);
  return [...found];
}

/**
 * `message` with every whole occurrence of one of `secrets` replaced by `***`: not inside a longer word, so a
 * password `secret` leaves the words `secrets` and `bmc_secret` of a message alone.
 */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) {
    if (s.length < REDACT_MIN || !out.includes(s)) continue;
    out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g'), '***');
  }
  return out;
}
