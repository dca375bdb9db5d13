import { UsageError } from '../shared/errors.ts';

/** The engine socket docker dials when nothing else is configured (opts/hosts.go defaultUnixSocket). */
export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
const DEFAULT_TCP_PORT = '2375';
const DEFAULT_TLS_HOST = 'tcp://localhost:2376';

/**
 * Normalises a `-H`/`DOCKER_HOST` value exactly as docker/cli `opts.ParseHost` does: empty means the default unix
 * socket (or tcp://localhost:2376 with TLS); a bare path means unix, a bare host means tcp on port 2375; ssh and
 * fd addresses pass through; anything else is "invalid bind address format".
 */
export function parseDockerHost(defaultToTLS: boolean, value: string): string {
  const host = value.trim();
  if (host === '') return defaultToTLS ? DEFAULT_TLS_HOST : `unix://${DEFAULT_UNIX_SOCKET}`;
  const sep = host.indexOf('://');
  let proto = sep >= 0 ? host.slice(0, sep) : '';
  let rest = sep >= 0 ? host.slice(sep + 3) : host;
  if (sep < 0) proto = rest.startsWith('/') || rest.startsWith('./') ? 'unix' : 'tcp';
  switch (proto) {
    case 'tcp':
      return parseTcpAddress(rest, host);
    case 'unix':
    case 'npipe':
      if (rest.includes('://')) throw new UsageError(`invalid proto, expected ${proto}: ${rest}`);
      if (rest === '') rest = proto === 'unix' ? DEFAULT_UNIX_SOCKET : '//./pipe/docker_engine';
      return `${proto}://${rest}`;
    case 'fd':
    case 'ssh':
      return host;
    default:
      throw new UsageError(`invalid bind address format: ${value}`);
  }
}

/** opts.ParseTCPAddr with default tcp://localhost:2375: fills a missing host or port, keeps a path. */
function parseTcpAddress(addr: string, original: string): string {
  if (addr === '') return `tcp://localhost:${DEFAULT_TCP_PORT}`;
  if (addr.includes('://')) throw new UsageError(`invalid proto, expected tcp: ${original}`);
  if (addr.endsWith(']:')) addr += DEFAULT_TCP_PORT;
  let url: URL;
  try {
    url = new URL(`tcp://${addr}`);
  } catch {
    throw new UsageError(`invalid bind address format: ${original}`);
  }
  const hostname = url.hostname === '' ? 'localhost' : url.hostname;
  const port = url.port === '' ? DEFAULT_TCP_PORT : url.port;
  const path = url.pathname === '/' && !addr.endsWith('/') ? '' : url.pathname;
  return `tcp://${hostname}:${port}${path}`;
}
