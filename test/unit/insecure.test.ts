/**
 * Insecure registries as the daemon decides them (moby daemon/pkg/registry/config.go isSecureIndex, isCIDRMatch
 * and its config_test.go cases): exact names first, Docker Hub secure, then every resolved address against the
 * insecure CIDRs; and the IP/prefix primitives (Go's net.ParseIP, ParseCIDR, IPNet.Contains) they stand on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAEMON_DEFAULT_SETTINGS, isInsecureRegistry, type Lookup } from '../../src/app/session/insecure.ts';
import { ipNetContains, parseCidr, parseIp } from '../../src/net/index.ts';

const hosts: Record<string, string[]> = {
  'reg.example.test': ['127.0.0.1'],
  'dual.example.test': ['203.0.113.9', '10.20.1.1'],
  'public.example.test': ['203.0.113.9', '2001:db8::9'],
  'v6.example.test': ['fd12::5'],
  'mapped.example.test': ['::ffff:10.20.0.7'],
  'docker.io': ['127.0.0.1'],
};
const asked: string[] = [];
const lookup: Lookup = async (name) => {
  asked.push(name);
  const found = hosts[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found;
};

describe('insecure registries as the daemon decides them', () => {
  const settings = { insecureRegistries: ['reg.internal:5000', 'Other.Example'], insecureCIDRs: ['127.0.0.0/8', '10.20.0.0/16', 'fd00::/8'] };
  const rows: [string, boolean][] = [
    ['reg.internal:5000', true],
    ['REG.internal:5000', true],
    ['reg.internal', false],
    ['reg.internal:5001', false],
    ['other.example', true],
    ['10.20.3.4:5000', true],
    ['10.21.0.1:5000', false],
    ['127.0.0.1:5000', true],
    ['[fd12::1]:5000', true],
    ['[fe80::1]:5000', false],
    ['registry.example.com', false],
    ['10.20.3.4.example', false],
    ['reg.example.test:5000', true], // a name resolving into 127.0.0.0/8: the case docker falls back to http for
    ['dual.example.test', true], // any one resolved address in range is enough
    ['public.example.test:443', false],
    ['v6.example.test:5000', true],
    ['mapped.example.test', true], // IPv4-mapped IPv6 compared as IPv4 (netip.Addr.Unmap)
    ['docker.io', false], // IndexConfigs["docker.io"] is Secure: true, whatever it resolves to
  ];
  for (const [host, expected] of rows) {
    it(`${host} → ${expected}`, async () => assert.equal(await isInsecureRegistry(host, settings, lookup), expected));
  }

  it('matches the daemon defaults (127.0.0.0/8, ::1/128) when there is no engine to ask', async () => {
    assert.equal(await isInsecureRegistry('reg.example.test:5000', DAEMON_DEFAULT_SETTINGS, lookup), true);
    assert.equal(await isInsecureRegistry('dual.example.test', DAEMON_DEFAULT_SETTINGS, lookup), false);
  });

  it('resolves nothing when a name is listed, is an IP literal, or there are no ranges', async () => {
    asked.length = 0;
    await isInsecureRegistry('reg.internal:5000', settings, lookup);
    await isInsecureRegistry('10.20.3.4:5000', settings, lookup);
    await isInsecureRegistry('docker.io', settings, lookup);
    await isInsecureRegistry('reg.example.test:5000', { insecureRegistries: [], insecureCIDRs: [] }, lookup);
    assert.deepEqual(asked, []);
    await isInsecureRegistry('nowhere.example.test:5000', settings, lookup);
    assert.deepEqual(asked, ['nowhere.example.test'], 'the host name, without the port');
  });
});

/** Whether address text `ip` lies in network text `cidr`; a bare address stands for itself (a full-length network). */
function inCidr(ip: string, cidr: string): boolean {
  const addr = parseIp(ip);
  const single = parseIp(cidr);
  const network = cidr.includes('/') ? parseCidr(cidr) : single && { ip: single, bits: 128 };
  return addr !== undefined && network !== undefined && ipNetContains(network, addr);
}

describe('IP addresses and networks as Go parses them (net.ParseIP, net.ParseCIDR, IPNet.Contains)', () => {
  for (const [ip, cidr, expected] of [
    ['192.168.1.7', '192.168.1.0/24', true],
    ['192.168.2.7', '192.168.1.0/24', false],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['1.2.3.4', '1.2.3.4', true],
    ['1.2.3.5', '1.2.3.4/32', false],
    ['::1', '::1/128', true],
    ['1.2.3.4', '::/0', false],
    ['1.2.3.4', '1.2.3.0/33', false],
    ['not-an-ip', '0.0.0.0/0', false],
    ['::ffff:1.2.3.4', '1.2.3.0/24', true],
    ['2001:db8::52:0:1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['10.0.0.3', '10.0.0.0/30', true],
    ['10.0.0.4', '10.0.0.0/30', false],
  ] as const) {
    it(`${ip} in ${cidr} → ${expected}`, () => assert.equal(inCidr(ip, cidr), expected));
  }
  for (const text of ['1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1.2.3.4 ', ':::1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '[::1]', 'g::1', '']) {
    it(`${JSON.stringify(text)} is no IP`, () => assert.equal(parseIp(text), undefined));
  }
  for (const [text, bytes] of [
    ['::1', '00000000000000000000000000000001'],
    ['1.2.3.4', '00000000000000000000ffff01020304'],
    ['2001:db8::52:0:1', '20010db8000000000000005200000001'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['::', '00000000000000000000000000000000'],
  ] as const) {
    it(`${text} parses to ${bytes}`, () => assert.equal(Buffer.from(parseIp(text)!.bytes).toString('hex'), bytes));
  }
  for (const text of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/-1', '::/129', 'x/8']) {
    it(`${JSON.stringify(text)} is no CIDR network`, () => assert.equal(parseCidr(text), undefined));
  }
});
