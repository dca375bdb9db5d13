/**
 * The keys docker files credentials under. Docker Hub's credentials live under the historical index URL
 * (docker/cli cli/config/configfile/file.go getAuthConfigKey); every other registry under its host[:port].
 * `auths` keys written as URLs by old docker versions match through ConvertToHostname
 * (cli/config/credentials/file_store.go), ported here with the parts of Go's net/url it relies on. Pure.
 */
import { joinHostPort, urlHostPort, validOptionalPort } from '../net/index.ts';

/** The key Docker Hub credentials are stored under, in `auths` and in credential helpers. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/**
 * Host names that mean Docker Hub. docker maps `docker.io` and `index.docker.io`; trustext also maps
 * `registry-1.docker.io`, the API host its registry client talks to, so the same credentials apply.
 */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The key docker looks a registry host up by: the Hub key for Docker Hub aliases, else the host unchanged. */
export function authConfigKey(registryHost: string): string {
  return DOCKER_HUB_HOSTS.has(registryHost) ? DOCKER_HUB_AUTH_KEY : registryHost;
}

/** docker's ConvertToHostname: "https://myreg:5000/v2/" → "myreg:5000"; a value without "://" is cut at '/'. */
export function convertToHostname(maybeURL: string): string {
  if (maybeURL.includes('://')) {
    const parsed = goUrlHost(maybeURL);
    if (parsed !== undefined) {
      const { hostname, port } = urlHostPort(parsed);
      if (hostname !== '') return port === '' ? hostname : joinHostPort(hostname, port);
    }
    const fallback = hostFromURLFallback(maybeURL);
    if (fallback !== '') return fallback;
  }
  return maybeURL.split('/')[0]!;
}

/**
 * The host[:port] part of a URL as Go's url.Parse finds it, or undefined where url.Parse fails. Percent-escapes
 * in the host are treated as a failure (Go accepts a few); docker then falls back to plain string cutting.
 */
function goUrlHost(raw: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(raw)) return undefined;
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:(.*)$/s.exec(raw.split('#')[0]!);
  if (!m) return undefined;
  const rest = m[1]!.split('?')[0]!;
  if (!rest.startsWith('//')) return '';
  let authority = rest.slice(2).split('/')[0]!;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) return undefined;
    authority = authority.slice(at + 1);
  }
  if (authority.startsWith('[')) {
    const close = authority.lastIndexOf(']');
    if (close < 0 || !validOptionalPort(authority.slice(close + 1))) return undefined;
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0 && !validOptionalPort(authority.slice(colon))) return undefined;
  }
  if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"\u0080-\u{10ffff}]*$/u.test(authority)) return undefined;
  return authority;
}

/** docker's hostFromURLFallback for URLs Go cannot parse: what follows "://" up to the next '/'. */
function hostFromURLFallback(maybeURL: string): string {
  const sep = maybeURL.indexOf('://');
  if (sep < 0) return '';
  const host = maybeURL.slice(sep + 3).split('/')[0]!;
  if (host === '') return '';
  if ((host.match(/:/g) ?? []).length > 1 && !host.startsWith('[')) {
    const portStart = host.lastIndexOf(':');
    const addr = host.slice(0, portStart);
    const port = host.slice(portStart + 1);
    if (addr !== '' && /^[0-9]+$/.test(port)) return joinHostPort(addr, port);
  }
  return host;
}
