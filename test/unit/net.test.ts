/**
 * src/net/ against Go: SplitHostPort and JoinHostPort (golang/go src/net/ipsock.go) on the rows of Go's own
 * TestSplitHostPort and TestJoinHostPort (src/net/ip_test.go), net/url's splitHostPort (src/net/url/url.go), and
 * the lenient split docker's registry names are compared by.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinHostPort, splitHostPort, splitRegistryHost, unbracket, urlHostPort } from '../../src/net/index.ts';

describe('splitHostPort (net.SplitHostPort)', () => {
  for (const [hostPort, host, port] of [
    ['localhost:http', 'localhost', 'http'],
    ['localhost:80', 'localhost', '80'],
    ['localhost%lo0:http', 'localhost%lo0', 'http'],
    ['localhost%lo0:80', 'localhost%lo0', '80'],
    ['[localhost%lo0]:80', 'localhost%lo0', '80'],
    ['127.0.0.1:80', '127.0.0.1', '80'],
    ['[::1]:http', '::1', 'http'],
    ['[::1]:80', '::1', '80'],
    ['[::1%lo0]:80', '::1%lo0', '80'],
    ['[fe80::1%25eth0]:443', 'fe80::1%25eth0', '443'],
    [':80', '', '80'],
    ['golang.org:', 'golang.org', ''],
    ['127.0.0.1:', '127.0.0.1', ''],
    ['[::1]:', '::1', ''],
    ['golang.org:https%foo', 'golang.org', 'https%foo'],
  ] as const) {
    it(`${hostPort} → ${JSON.stringify(host)}, ${JSON.stringify(port)}`, () => assert.deepEqual(splitHostPort(hostPort), { host, port }));
  }
  for (const [hostPort, error] of [
    ['golang.org', 'missing port in address'],
    ['127.0.0.1', 'missing port in address'],
    ['', 'missing port in address'],
    ['[::1]', 'missing port in address'],
    ['[fe80::1%lo0]', 'missing port in address'],
    ['[localhost%lo0]', 'missing port in address'],
    ['localhost%lo0', 'missing port in address'],
    ['::1', 'too many colons in address'],
    ['fe80::1%lo0', 'too many colons in address'],
    ['fe80::1%lo0:80', 'too many colons in address'],
    ['[foo:bar]', 'missing port in address'],
    ['[foo:bar]baz', 'missing port in address'],
    ['[foo]bar:baz', 'missing port in address'],
    ['[foo]:[bar]:baz', 'too many colons in address'],
    ['[::1]:80:90', 'too many colons in address'],
    ['[::1:80', "missing ']' in address"],
    ['[foo]:[bar]baz', "unexpected '[' in address"],
    ['foo[bar]:baz', "unexpected '[' in address"],
    ['foo]bar:baz', "unexpected ']' in address"],
    ['[foo]:8]0', "unexpected ']' in address"],
  ] as const) {
    it(`${JSON.stringify(hostPort)} fails: ${error}`, () => assert.deepEqual(splitHostPort(hostPort), { error }));
  }
});

describe('joinHostPort (net.JoinHostPort)', () => {
  for (const [host, port, hostPort] of [
    ['localhost', '80', 'localhost:80'],
    ['localhost%lo0', '80', 'localhost%lo0:80'],
    ['127.0.0.1', 'http', '127.0.0.1:http'],
    ['::1', '80', '[::1]:80'],
    ['::1%lo0', '80', '[::1%lo0]:80'],
    ['', '80', ':80'],
    ['golang.org', '', 'golang.org:'],
    ['::1', '', '[::1]:'],
  ] as const) {
    it(`${JSON.stringify(host)}, ${JSON.stringify(port)} → ${hostPort}`, () => {
      assert.equal(joinHostPort(host, port), hostPort);
      assert.deepEqual(splitHostPort(hostPort), { host, port }, 'and splits back');
    });
  }
});

describe("urlHostPort (net/url's splitHostPort behind URL.Hostname and URL.Port)", () => {
  for (const [hostPort, hostname, port] of [
    ['myreg:5000', 'myreg', '5000'],
    ['myreg', 'myreg', ''],
    ['myreg:', 'myreg', ''],
    ['[::1]:5000', '::1', '5000'],
    ['[::1]', '::1', ''],
    ['::1', ':', '1'],
    ['host:port', 'host:port', ''],
  ] as const) {
    it(`${hostPort} → ${JSON.stringify(hostname)}, ${JSON.stringify(port)}`, () => assert.deepEqual(urlHostPort(hostPort), { hostname, port }));
  }
  it('unbracket drops the brackets of an IPv6 literal only', () => {
    assert.equal(unbracket('[::1]'), '::1');
    assert.equal(unbracket('example.com'), 'example.com');
    assert.equal(unbracket('[::1'), '[::1');
  });
});

describe('splitRegistryHost (docker registry host[:port], compared case-insensitively)', () => {
  for (const [hostPort, hostname, port] of [
    ['Host.Example:443', 'host.example', '443'],
    ['host', 'host', ''],
    ['[::1]:80', '::1', '80'],
    ['[::1]', '::1', ''],
    ['[FE80::1%eth0]:5000', 'fe80::1%eth0', '5000'],
    ['host:', 'host:', ''],
    ['host:http', 'host:http', ''],
  ] as const) {
    it(`${hostPort} → ${JSON.stringify(hostname)}, ${JSON.stringify(port)}`, () => assert.deepEqual(splitRegistryHost(hostPort), { hostname, port }));
  }
});
