/**
 * Which proxy a request goes through, decided exactly as Go's net/http ProxyFromEnvironment does, since docker,
 * DCT's notary client and cosign all use it (golang.org/x/net/http/httpproxy proxy.go: FromEnvironment,
 * Config.ProxyFunc, useProxy, the NO_PROXY matchers). Pure: the variables come in read (settings/ reads them).
 */
import { domainToASCII } from 'node:url';
import { type Ip, ipEqual, ipNetContains, isLoopbackIp, parseCidr, parseIp, splitHostPort, unbracket } from '../net/index.ts';
import type { ProxyEnvironment } from '../settings/index.ts';

export type { ProxyEnvironment };

/** Decides the proxy for one request URL: undefined for a direct connection. Throws when HTTP_PROXY is refused under CGI. */
export type ProxyFunc = (url: URL) => URL | undefined;

/** True when the environment names any proxy at all (so proxy machinery is worth setting up). */
export function hasProxy(cfg: ProxyEnvironment): boolean {
  return cfg.httpProxy !== '' || cfg.httpsProxy !== '';
}

/** parseProxy: a value without scheme or host is taken as `http://value`; an unparsable one is ignored, as Go does. */
function parseProxy(value: string): URL | undefined {
  if (value === '') return undefined;
  const parse = (s: string) => {
    try {
      return new URL(s);
    } catch {
      return undefined;
    }
  };
  const url = parse(value);
  if (url && url.host !== '') return url;
  return parse(`http://${value}`) ?? url;
}

interface Matcher {
  match(host: string, port: string, ip: Ip | undefined): boolean;
}

/** IDNA to ASCII for non-ASCII names (idnaASCII); names that do not convert stay as they are. */
function ascii(name: string): string {
  if (!/[^\x00-\x7f]/.test(name)) return name;
  const dot = name.startsWith('.') ? '.' : '';
  const converted = domainToASCII(name.slice(dot.length));
  return converted ? `${dot}${converted}` : name;
}

/** config.init's NO_PROXY parsing: `*`, prefixes, IPs with optional port, and domain suffixes with optional port. */
function noProxyMatchers(noProxy: string): { ips: Matcher[]; domains: Matcher[] } {
  const ips: Matcher[] = [];
  const domains: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return { ips: [{ match: () => true }], domains: [{ match: () => true }] };
    const network = parseCidr(p);
    if (network) {
      ips.push({ match: (_h, _p, ip) => ip !== undefined && ipNetContains(network, ip) });
      continue;
    }
    const split = splitHostPort(p);
    if (split.error === undefined && split.host === '') continue;
    const { host: phost, port: pport } = split.error === undefined ? { host: unbracket(split.host), port: split.port } : { host: p, port: '' };
    const ip = parseIp(phost);
    if (ip) {
      ips.push({ match: (_h, port, other) => other !== undefined && ipEqual(ip, other) && (pport === '' || pport === port) });
      continue;
    }
    if (phost === '') continue;
    let suffix = phost.startsWith('*.') ? phost.slice(1) : phost;
    const matchHost = !suffix.startsWith('.');
    if (matchHost) suffix = `.${suffix}`;
    suffix = ascii(suffix);
    domains.push({ match: (host, port) => (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) && (pport === '' || pport === port) });
  }
  return { ips, domains };
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080' };

/**
 * Config.ProxyFunc: HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs (refused under CGI), nothing for other
 * schemes; never for localhost and loopback IPs, nor for hosts NO_PROXY matches (by canonical host and port).
 */
export function proxyFunc(cfg: ProxyEnvironment): ProxyFunc {
  const httpProxy = parseProxy(cfg.httpProxy);
  const httpsProxy = parseProxy(cfg.httpsProxy);
  const { ips, domains } = noProxyMatchers(cfg.noProxy);
  const useProxy = (hostname: string, port: string): boolean => {
    const host = ascii(unbracket(hostname)).toLowerCase();
    if (host === 'localhost') return false;
    const ip = parseIp(host);
    if (ip && isLoopbackIp(ip)) return false;
    if (ip && ips.some((m) => m.match(host, port, ip))) return false;
    return !domains.some((m) => m.match(host, port, ip));
  };
  return (url) => {
    let proxy: URL | undefined;
    if (url.protocol === 'https:') proxy = httpsProxy;
    else if (url.protocol === 'http:') {
      proxy = httpProxy;
      if (proxy && cfg.cgi) throw new Error('refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy');
    }
    if (!proxy || !useProxy(url.hostname, url.port || (DEFAULT_PORTS[url.protocol] ?? ''))) return undefined;
    return new URL(proxy);
  };
}
