import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inCidr, isInsecureRegistry } from '../../src/app/insecure.ts';

describe('insecure registries as the daemon reports them', () => {
  const settings = { insecureRegistries: ['reg.internal:5000', 'Other.Example'], insecureCIDRs: ['127.0.0.0/8', '10.20.0.0/16', 'fd00::/8'] };
  for (const [host, expected] of [
    ['reg.internal:5000', true], ['REG.internal:5000', true], ['reg.internal', false], ['reg.internal:5001', false],
    ['other.example', true], ['10.20.3.4:5000', true], ['10.21.0.1:5000', false], ['127.0.0.1:5000', true],
    ['[fd12::1]:5000', true], ['[fe80::1]:5000', false], ['registry.example.com', false], ['10.20.3.4.example', false],
  ] as const) {
    it(`${host} → ${expected}`, () => assert.equal(isInsecureRegistry(host, settings), expected));
  }
  for (const [ip, cidr, expected] of [
    ['192.168.1.7', '192.168.1.0/24', true], ['192.168.2.7', '192.168.1.0/24', false], ['1.2.3.4', '0.0.0.0/0', true],
    ['1.2.3.4', '1.2.3.4', true], ['1.2.3.5', '1.2.3.4/32', false], ['::1', '::1/128', true], ['1.2.3.4', '::/0', false],
    ['1.2.3.4', '1.2.3.0/33', false], ['not-an-ip', '0.0.0.0/0', false],
  ] as const) {
    it(`${ip} in ${cidr} → ${expected}`, () => assert.equal(inCidr(ip, cidr), expected));
  }
});
