/**
 * The proxy decision against Go's own tables (golang.org/x/net http/httpproxy/proxy_test.go: proxyForURLTests,
 * UseProxyTests with its noProxy list, TestFromEnvironment*, TestInvalidNoProxy, TestAllNoProxy), ported row by
 * row, so NO_PROXY means here exactly what it means to docker, DCT's notary client and cosign.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyFunc, type ProxyEnvironment } from '../../src/http/proxy-from-env.ts';
import { settingsFrom } from '../kit/index.ts';

const cfg = (c: Partial<ProxyEnvironment>): ProxyEnvironment => ({ httpProxy: '', httpsProxy: '', noProxy: '', cgi: false, ...c });
/** Go prints a *url.URL without a trailing slash; nil as <nil>. */
const shown = (u: URL | undefined) => (u ? `${u.protocol}//${u.host}` : '<nil>');

describe('ProxyFunc: proxyForURLTests', () => {
  const rows: { cfg: Partial<ProxyEnvironment>; req?: string; want: string; wanterr?: string }[] = [
    { cfg: { httpProxy: '127.0.0.1:8080' }, want: 'http://127.0.0.1:8080' },
    { cfg: { httpProxy: 'cache.corp.example.com:1234' }, want: 'http://cache.corp.example.com:1234' },
    { cfg: { httpProxy: 'cache.corp.example.com' }, want: 'http://cache.corp.example.com' },
    { cfg: { httpProxy: 'localhost' }, want: 'http://localhost' }, // single label domain is recognized as scheme by url.Parse
    { cfg: { httpProxy: 'https://cache.corp.example.com' }, want: 'https://cache.corp.example.com' },
    { cfg: { httpProxy: 'http://127.0.0.1:8080' }, want: 'http://127.0.0.1:8080' },
    { cfg: { httpProxy: 'https://127.0.0.1:8080' }, want: 'https://127.0.0.1:8080' },
    { cfg: { httpProxy: 'socks5://127.0.0.1' }, want: 'socks5://127.0.0.1' },
    { cfg: { httpProxy: 'foo://host' }, want: 'foo://host' }, // Preserve unknown schemes.
    { cfg: { httpProxy: 'http.proxy.tld', httpsProxy: 'secure.proxy.tld' }, req: 'http://insecure.tld/', want: 'http://http.proxy.tld' }, // Don't use secure for http
    { cfg: { httpProxy: 'http.proxy.tld', httpsProxy: 'secure.proxy.tld' }, req: 'https://secure.tld/', want: 'http://secure.proxy.tld' }, // Use secure for https.
    { cfg: { httpProxy: 'http.proxy.tld', httpsProxy: 'https://secure.proxy.tld' }, req: 'https://secure.tld/', want: 'https://secure.proxy.tld' },
    { cfg: { httpProxy: 'http.proxy.tld' }, req: 'https://secure.tld/', want: '<nil>' },
    { cfg: { httpProxy: 'http.proxy.tld' }, req: 'ftp://insecure.tld/', want: '<nil>' },
    // Issue 16405: don't use HTTP_PROXY in a CGI environment, where HTTP_PROXY can be attacker-controlled.
    {
      cfg: { httpProxy: 'http://10.1.2.3:8080', cgi: true },
      want: '<nil>',
      wanterr: 'refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy',
    },
    // HTTPS proxy is still used even in CGI environment. (perhaps dubious but it's the historical behaviour).
    { cfg: { httpsProxy: 'https://secure.proxy.tld', cgi: true }, req: 'https://secure.tld/', want: 'https://secure.proxy.tld' },
    { cfg: {}, want: '<nil>' },
    { cfg: { noProxy: 'example.com', httpProxy: 'proxy' }, req: 'http://example.com/', want: '<nil>' },
    { cfg: { noProxy: '.example.com', httpProxy: 'proxy' }, req: 'http://example.com/', want: 'http://proxy' },
    { cfg: { noProxy: 'ample.com', httpProxy: 'proxy' }, req: 'http://example.com/', want: 'http://proxy' },
    { cfg: { noProxy: 'example.com', httpProxy: 'proxy' }, req: 'http://foo.example.com/', want: '<nil>' },
    { cfg: { noProxy: '.foo.com', httpProxy: 'proxy' }, req: 'http://example.com/', want: 'http://proxy' },
    { cfg: { noProxy: '.示例.com', httpProxy: 'proxy' }, req: 'http://www.示例.com', want: '<nil>' },
    { cfg: { noProxy: 'xn--fsq092h.com', httpProxy: 'proxy' }, req: 'http://www.示例.com', want: '<nil>' },
    { cfg: { noProxy: '示例.com', httpProxy: 'proxy' }, req: 'http://www.xn--fsq092h.com', want: '<nil>' },
  ];
  for (const row of rows) {
    const req = row.req ?? 'http://example.com';
    it(`${JSON.stringify(row.cfg)} req=${req} → ${row.want}${row.wanterr ? ' (error)' : ''}`, () => {
      const decide = proxyFunc(cfg(row.cfg));
      if (row.wanterr) assert.throws(() => decide(new URL(req)), { message: row.wanterr });
      else assert.equal(shown(decide(new URL(req))), row.want);
    });
  }

  it('the zone-id row (http://[1000::%25.example.com]:123) cannot reach us: WHATWG URL refuses zones', () => {
    assert.throws(() => new URL('http://[1000::%25.example.com]:123'));
  });

  it('a function made earlier is not changed by a later config (Go: "after mutating config")', () => {
    const c = { ...cfg({ httpProxy: 'proxy' }) };
    const decide = proxyFunc(c);
    Object.assign(c, { httpProxy: '' });
    assert.equal(shown(decide(new URL('http://example.com'))), 'http://proxy');
  });
});

describe('useProxy: UseProxyTests', () => {
  const noProxy =
    'foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64';
  const rows: [string, boolean][] = [
    // Never proxy localhost:
    ['localhost', false],
    ['127.0.0.1', false],
    ['127.0.0.2', false],
    ['[::1]', false],
    ['[::2]', true], // not a loopback address
    ['192.168.1.1', false], // matches exact IPv4
    ['192.168.1.2', true], // ports do not match
    ['192.168.1.3', false], // matches exact IPv4:port
    ['192.168.1.4', true], // no match
    ['10.0.0.2', false], // matches IPv4/CIDR
    ['[2001:db8::52:0:1]', false], // matches exact IPv6
    ['[2001:db8::52:0:2]', true], // no match
    ['[2001:db8::52:0:3]', false], // matches exact [IPv6]:port
    ['[2002:db8:a::123]', false], // matches IPv6/CIDR
    ['[fe80::424b:c8be:1643:a1b6]', true], // no match
    ['barbaz.net', true], // does not match as .barbaz.net
    ['www.barbaz.net', false], // does match as .barbaz.net
    ['foobar.com', false], // does match as foobar.com
    ['www.foobar.com', false], // match because NO_PROXY includes "foobar.com"
    ['foofoobar.com', true], // not match as a part of foobar.com
    ['baz.com', true], // not match as a part of barbaz.com
    ['localhost.net', true], // not match as suffix of address
    ['local.localhost', true], // not match as prefix as address
    ['barbarbaz.net', true], // not match, wrong domain
    ['wildcard.io', true], // does not match as *.wildcard.io
    ['nested.wildcard.io', false], // match as *.wildcard.io
    ['awildcard.io', true], // not a match because of '*'
  ];
  /** ExportUseProxy(cfg, host+":80"), asked through ProxyFunc with an http proxy set. */
  const useProxy = (noProxyList: string, host: string) =>
    proxyFunc(cfg({ httpProxy: 'proxy', noProxy: noProxyList }))(new URL(`http://${host}:80/`)) !== undefined;
  for (const [host, match] of rows) {
    it(`${host} → ${match ? 'proxied' : 'direct'}`, () => assert.equal(useProxy(noProxy, host), match));
    it(`${host} with NO_PROXY=* → direct (TestAllNoProxy)`, () => assert.equal(useProxy('*', host), false));
  }
  it('an invalid NO_PROXY entry (":1") is ignored (TestInvalidNoProxy)', () => assert.equal(useProxy(':1', 'example.com'), true));
  it('entries are case-insensitive and may carry a port that must match', () => {
    assert.equal(useProxy('Registry.Example.COM', 'registry.example.com'), false);
    assert.equal(useProxy('registry.example.com:5000', 'registry.example.com'), true);
    assert.equal(proxyFunc(cfg({ httpsProxy: 'proxy', noProxy: 'registry.example.com:5000' }))(new URL('https://registry.example.com:5000/v2/')), undefined);
  });
});

describe('FromEnvironment', () => {
  const rows: { env: Record<string, string>; want: ProxyEnvironment }[] = [
    {
      env: { HTTP_PROXY: 'httpproxy', HTTPS_PROXY: 'httpsproxy', NO_PROXY: 'noproxy', REQUEST_METHOD: '' },
      want: cfg({ httpProxy: 'httpproxy', httpsProxy: 'httpsproxy', noProxy: 'noproxy' }),
    },
    {
      env: { HTTP_PROXY: 'httpproxy', HTTPS_PROXY: 'httpsproxy', NO_PROXY: 'noproxy', REQUEST_METHOD: 'PUT' },
      want: cfg({ httpProxy: 'httpproxy', httpsProxy: 'httpsproxy', noProxy: 'noproxy', cgi: true }),
    },
    {
      env: { http_proxy: 'httpproxy', https_proxy: 'httpsproxy', no_proxy: 'noproxy', REQUEST_METHOD: '' },
      want: cfg({ httpProxy: 'httpproxy', httpsProxy: 'httpsproxy', noProxy: 'noproxy' }),
    },
    { env: { HTTPS_PROXY: 'upper', https_proxy: 'lower', NO_PROXY: 'UPPER', no_proxy: 'lower' }, want: cfg({ httpsProxy: 'upper', noProxy: 'UPPER' }) },
    { env: { HTTPS_PROXY: '', https_proxy: 'lower' }, want: cfg({ httpsProxy: 'lower' }) },
  ];
  for (const row of rows) it(JSON.stringify(row.env), () => assert.deepEqual(settingsFrom(row.env).proxy, row.want));
});
