/**
 * Networks and addresses no cluster can use: special-purpose IPv4 blocks and the subnets OVN-Kubernetes uses inside
 * every cluster. They validated before and failed only on a real install (found by a red-team pass).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';
import { parseCidr, parseIpv4, RESERVED_IPV4, reservedOverlap, reservedRangeOf } from '../../model/net';

const BASE = fs.readFileSync(path.resolve(__dirname, '../../examples/sno-single-nic.yaml'), 'utf8');

function errors(text: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-net-'));
  fs.writeFileSync(path.join(dir, 'f.yaml'), text);
  return loadFleet('f.yaml', { cwd: dir }).diagnostics.map(formatDiagnostic).filter((l) => l.includes(': error: '));
}

const withConfig = (line: string) => BASE.replace(/^config:\n/m, `config:\n  ${line}\n`);

describe('reserved ranges', () => {
  test.each([
    ['INTERNAL_NETWORK: 127.0.0.0/24', /INTERNAL_NETWORK 127\.0\.0\.0\/24 overlaps 127\.0\.0\.0\/8, loopback/],
    ['INTERNAL_NETWORK: 169.254.10.0/24', /INTERNAL_NETWORK 169\.254\.10\.0\/24 overlaps 169\.254\.0\.0\/16, link-local .*masquerade/],
    ['CLUSTER_NETWORK: 100.64.0.0/14', /CLUSTER_NETWORK 100\.64\.0\.0\/14 overlaps 100\.64\.0\.0\/16, the OVN-Kubernetes join subnet/],
    ['SERVICE_NETWORK: 100.88.0.0/16', /SERVICE_NETWORK 100\.88\.0\.0\/16 overlaps 100\.88\.0\.0\/16, the OVN-Kubernetes transit switch subnet/],
    ['INTERNAL_NETWORK: 224.0.0.0/24', /overlaps 224\.0\.0\.0\/4, multicast/],
  ])('a network %s is a located error', (line, message) => {
    const out = errors(withConfig(line));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^f\.yaml:\d+:\d+: error: /);
    expect(out[0]).toMatch(message);
  });

  test('an external address in a reserved range, or in the pod or service network, is a located error', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../examples/policy-delivery.yaml'), 'utf8');
    expect(errors(text.replace('API_EXTERNAL_IP: 10.30.0.5', 'API_EXTERNAL_IP: 127.0.0.1'))).toStrictEqual([expect.stringMatching(/error: API_EXTERNAL_IP 127\.0\.0\.1 is in 127\.0\.0\.0\/8, loopback .*; it must be an address of the external \(DHCP\) network$/)]);
    expect(errors(text.replace('API_EXTERNAL_IP: 10.30.0.5', 'API_EXTERNAL_IP: 172.30.0.9'))).toStrictEqual([expect.stringMatching(/error: API_EXTERNAL_IP 172\.30\.0\.9 is inside 172\.30\.0\.0\/16, a pod or service network of the cluster/)]);
  });

  test('the defaults and the examples stay clear of them', () => {
    for (const f of fs.readdirSync(path.resolve(__dirname, '../../examples'))) {
      expect(errors(fs.readFileSync(path.resolve(__dirname, '../../examples', f), 'utf8'))).toStrictEqual([]);
    }
    expect(reservedOverlap(parseCidr('10.128.0.0/14')!)).toBeUndefined();
    expect(reservedOverlap(parseCidr('172.30.0.0/16')!)).toBeUndefined();
    expect(reservedOverlap(parseCidr('100.65.0.0/16')!)).toBeUndefined();
    expect(reservedRangeOf(parseIpv4('255.255.255.255')!)?.cidr.text).toBe('240.0.0.0/4');
    expect(RESERVED_IPV4.every((r) => parseCidr(r.cidr.text)?.text === r.cidr.text)).toBe(true);
  });
});
