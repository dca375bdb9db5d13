/**
 * host:port text as Go's net and net/url packages split and join it (golang/go src/net/ipsock.go SplitHostPort,
 * JoinHostPort; src/net/url/url.go splitHostPort behind URL.Hostname and URL.Port), and as docker compares a
 * registry's host[:port]. Pure.
 */

/** Why Go's net.SplitHostPort refuses an address (the Err of its *AddrError). */
export type AddrErrorReason =
  | 'missing port in address'
  | 'too many colons in address'
  | "missing ']' in address"
  | "unexpected '[' in address"
  | "unexpected ']' in address";

/** What net.SplitHostPort returns: host and port, or the reason it refused the address. */
export type SplitHostPort = { readonly host: string; readonly port: string; readonly error?: undefined } | { readonly error: AddrErrorReason };

/**
 * Go's net.SplitHostPort: `host:port`, `[host]:port` or `[host%zone]:port` around the last colon; a host with a
 * colon must be in brackets, and the port must be there (it may be empty and need not be numeric).
 */
export function splitHostPort(hostport: string): SplitHostPort {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return { error: 'missing port in address' };
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    // Expect the first ']' just before the last ':'.
    const end = hostport.indexOf(']');
    if (end < 0) return { error: "missing ']' in address" };
    if (end + 1 === hostport.length) return { error: 'missing port in address' };
    if (end + 1 !== i) return { error: hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address' };
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return { error: 'too many colons in address' };
  }
  if (hostport.indexOf('[', j) >= 0) return { error: "unexpected '[' in address" };
  if (hostport.indexOf(']', k) >= 0) return { error: "unexpected ']' in address" };
  return { host, port: hostport.slice(i + 1) };
}

/** Go's net.JoinHostPort: `host:port`, with brackets around a host that contains a colon (IPv6, with any zone). */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The host without the brackets around an IPv6 literal (`[::1]` → `::1`), as Go's URL.Hostname gives it. */
export function unbracket(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Go's net/url splitHostPort, behind URL.Hostname() and URL.Port() of a URL's Host: the port is what follows the
 * last colon when that is digits (or nothing), the host loses its brackets; it never fails.
 */
export function urlHostPort(hostPort: string): { hostname: string; port: string } {
  let hostname = hostPort;
  let port = '';
  const colon = hostPort.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(hostPort.slice(colon))) {
    hostname = hostPort.slice(0, colon);
    port = hostPort.slice(colon + 1);
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** Go's net/url validOptionalPort: empty, or ':' followed by digits only. */
export function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

/**
 * A registry's host[:port] as docker names it (an image reference's domain, an insecure-registries entry) split
 * for comparison: the host name lower-case and without IPv6 brackets, the port string ('' when there is none).
 * Unlike net.SplitHostPort it never fails: a trailing part that is not a numeric port stays in the host.
 */
export function splitRegistryHost(hostPort: string): { hostname: string; port: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  if (v6) return { hostname: v6[1]!.toLowerCase(), port: v6[2] ?? '' };
  const colon = hostPort.lastIndexOf(':');
  if (colon > -1 && /^\d+$/.test(hostPort.slice(colon + 1))) {
    return { hostname: hostPort.slice(0, colon).toLowerCase(), port: hostPort.slice(colon + 1) };
  }
  return { hostname: hostPort.toLowerCase(), port: '' };
}
