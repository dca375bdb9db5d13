import { joinHostPort, splitHostPort } from '../net/index.ts';
import { UsageError } from '../shared/errors.ts';

/** The engine socket docker dials when nothing else is configured (opts/hosts.go defaultUnixSocket). */
export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
const DEFAULT_TCP_PORT = '2375';
const DEFAULT_TLS_HOST = 'tcp://localhost:2376';

/**
 * Normalises a `-H`/`DOCKER_HOST` value as docker/cli `opts.ParseHost` does: empty means the default unix socket
 * (or tcp://localhost:2376 with TLS); a bare host means tcp on port 2375; ssh and fd addresses pass through;
 * anything else is "invalid bind address format". A bare path (`/run/x.sock`, `./x.sock`) means unix, as in
 * docker/cli v29+ (the CLIs that no longer have DCT); 28.x read it as a tcp path.
 */
export function parseDockerHost(defaultToTLS: boolean, value: string): string {
  const host = value.trim();
  if (host === '') return defaultToTLS ? DEFAULT_TLS_HOST : `unix://${DEFAULT_UNIX_SOCKET}`;
  const sep = host.indexOf('://');
  let proto = sep >= 0 ? host.slice(0, sep) : '';
  const rest = sep >= 0 ? host.slice(sep + 3) : host;
  if (sep < 0) proto = rest.startsWith('/') || rest.startsWith('./') ? 'unix' : 'tcp';
  switch (proto) {
    case 'tcp':
      return parseTcpAddress(rest);
    case 'unix':
    case 'npipe': {
      const addr = rest.startsWith(`${proto}://`) ? rest.slice(proto.length + 3) : rest;
      if (addr.includes('://')) throw new UsageError(`invalid proto, expected ${proto}: ${addr}`);
      return `${proto}://${addr || (proto === 'unix' ? DEFAULT_UNIX_SOCKET : '//./pipe/docker_engine')}`;
    }
    case 'fd':
    case 'ssh':
      return host;
    default:
      throw new UsageError(`invalid bind address format: ${value}`);
  }
}

/**
 * opts.ParseTCPAddr with default tcp://localhost:2375, step by step: strip one more tcp://, fill a missing host
 * or port, keep the host as written (IPv6 in brackets) and any path; the port only has to be numeric.
 */
function parseTcpAddress(tryAddr: string): string {
  if (tryAddr === '' || tryAddr === 'tcp://') return `tcp://localhost:${DEFAULT_TCP_PORT}`;
  let addr = tryAddr.startsWith('tcp://') ? tryAddr.slice(6) : tryAddr;
  if (addr.includes('://') || addr === '') throw new UsageError(`invalid proto, expected tcp: ${tryAddr}`);
  if (addr.endsWith(']:')) addr += DEFAULT_TCP_PORT;
  const slash = addr.startsWith('[') ? addr.indexOf('/', addr.indexOf(']')) : addr.indexOf('/');
  const hostport = slash < 0 ? addr : addr.slice(0, slash);
  const path = slash < 0 ? '' : addr.slice(slash);
  // Go's url.Parse refuses hosts with characters outside RFC 3986 (spaces, quotes, braces, …).
  if (!/^[A-Za-z0-9._~%!$&'()*+,;=:[\]-]*$/.test(hostport)) throw new UsageError(`invalid bind address format: ${tryAddr}`);
  let split = splitHostPort(hostport);
  if (split.error !== undefined) split = splitHostPort(joinHostPort(hostport, DEFAULT_TCP_PORT)); // "try port addition once"
  if (split.error !== undefined) throw new UsageError(`invalid bind address format: ${tryAddr}`);
  const host = split.host === '' ? 'localhost' : split.host;
  const port = split.port === '' ? DEFAULT_TCP_PORT : split.port;
  if (!/^[0-9]+$/.test(port)) throw new UsageError(`invalid bind address format: ${tryAddr}`);
  return `tcp://${joinHostPort(host, port)}${path}`;
}
