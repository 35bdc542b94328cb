/**
 * Certificates for a new domain. "Automatic" (the product doc's default) generates a private CA for the domain and
 * signs the API and ingress certificates with it (the original generated one self-signed certificate per host with
 * openssl; one CA lets a site trust the domain with one file). "Manual" takes a PEM chain and key per certificate
 * and checks them before anything is written: parseable, key matching, valid now, covering the host names.
 */
import 'reflect-metadata'; // required by @peculiar/x509 (tsyringe)
import * as nodeCrypto from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(nodeCrypto.webcrypto as Crypto);

export interface CertificatePair {
  /** PEM: the leaf first, then any intermediates. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
  /** PEM of the CA(s) a client needs to trust the leaf. */
  readonly ca: string;
}

const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

function pemKey(der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  // positive, 16 random bytes
  const b = nodeCrypto.randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

/** A CA for `domain` and one certificate per entry of `leaves` (each a list of DNS names), signed by it. */
export async function generateCertificates(domain: string, leaves: readonly (readonly string[])[], now = new Date(), days = 825): Promise<CertificatePair[]> {
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + days * 86_400_000);
  const caKeys = (await nodeCrypto.webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caName = `CN=ztpfw-ui ${domain} CA`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: caName,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const out: CertificatePair[] = [];
  for (const names of leaves) {
    const keys = (await nodeCrypto.webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${names[0]}`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: RSA,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: 'dns' as const, value: n }))),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    out.push({ cert: leaf.toString('pem') + '\n', key: pemKey(await nodeCrypto.webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), ca: ca.toString('pem') + '\n' });
  }
  return out;
}

/** `*.apps.example.com` covers `console.apps.example.com` (one label), as TLS clients match (RFC 6125 §6.4.3). */
export function nameCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  const rest = h.indexOf('.');
  return rest > 0 && h.slice(rest + 1) === p.slice(2);
}

function splitPem(text: string): string[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => m[0]);
}

/**
 * Checks an uploaded certificate chain and key for `hosts`; returns the pair (with the chain's CA part for trust)
 * or the problems, worded for the page. Never echoes key material.
 */
export function checkCertificate(what: string, certPem: string, keyPem: string, hosts: readonly string[], now = new Date()): { pair?: CertificatePair; problems: string[] } {
  const pems = splitPem(certPem ?? '');
  if (!pems.length) return { problems: [`${what}: the certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----).`] };
  let leaf: nodeCrypto.X509Certificate;
  let chain: nodeCrypto.X509Certificate[];
  try {
    chain = pems.map((p) => new nodeCrypto.X509Certificate(p));
    leaf = chain[0];
  } catch {
    return { problems: [`${what}: the certificate cannot be read.`] };
  }
  let key: nodeCrypto.KeyObject;
  try {
    key = nodeCrypto.createPrivateKey(keyPem ?? '');
  } catch {
    return { problems: [`${what}: the private key cannot be read (PEM, unencrypted).`] };
  }
  const problems: string[] = [];
  if (!leaf.checkPrivateKey(key)) problems.push(`${what}: the private key does not belong to the certificate.`);
  if (new Date(leaf.validFrom) > now) problems.push(`${what}: the certificate is not valid before ${leaf.validFrom}.`);
  if (new Date(leaf.validTo) <= now) problems.push(`${what}: the certificate expired on ${leaf.validTo}.`);
  const sans = (leaf.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
  for (const h of hosts) if (!sans.some((s) => nameCovers(s, h))) problems.push(`${what}: the certificate does not cover ${h} (its names: ${sans.join(', ') || 'none'}).`);
  if (problems.length) return { problems };
  const caPart = chain.length > 1 ? chain.slice(1) : [leaf];
  const keyOut = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { problems, pair: { cert: pems.join('\n') + '\n', key: keyOut, ca: caPart.map((c) => c.toString()).join('') } };
}
