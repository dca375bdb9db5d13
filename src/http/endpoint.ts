/**
 * Where a registry lives: the API host for a domain as docker names it, and which hosts are insecure. As the
 * docker daemon does, https is tried first everywhere; only loopback hosts and hosts the daemon treats as insecure
 * (insecure-registries by name or by address range, matched by the app) may fall back to plain http (see
 * schemes.ts) and receive credentials in clear. Pure: no I/O, no DNS.
 */
import { splitRegistryHost } from '../net/index.ts';
import { DEFAULT_DOMAIN } from '../reference/index.ts';

/** The host docker talks to for Docker Hub (distribution's DefaultV2Registry). */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** A registry as the client addresses it: the keychain name, the API host, and the base URL of /v2/. */
export interface RegistryEndpoint {
  /** The registry as docker names it (keychain key): `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  readonly domain: string;
  /** host[:port] that requests go to. */
  readonly host: string;
  /** `https://host`, or `http://host` once an insecure registry turned out not to speak TLS, as URL.origin spells it. */
  readonly origin: string;
}

/** Maps a domain as docker names it to the host its API is served from (`docker.io` → registry-1.docker.io). */
export function apiHost(domain: string): string {
  return domain === DEFAULT_DOMAIN || domain === 'index.docker.io' ? DOCKER_HUB_API_HOST : domain;
}

/** True for localhost, 127.0.0.0/8 and ::1 (with or without a port): docker treats these as insecure by default. */
export function isLoopbackHost(hostPort: string): boolean {
  const { hostname } = splitRegistryHost(hostPort);
  if (hostname === 'localhost' || hostname === '::1' || hostname === '0:0:0:0:0:0:0:1') return true;
  const octets = hostname.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** True when `hostPort` equals one of the configured insecure entries (host[:port], case-insensitive). */
function isInsecureHost(hostPort: string, insecure: readonly string[]): boolean {
  const want = splitRegistryHost(hostPort);
  return insecure.some((entry) => {
    const e = splitRegistryHost(entry.trim());
    return e.hostname === want.hostname && e.port === want.port;
  });
}

/**
 * True for hosts docker treats as insecure registries: loopback (the daemon always adds 127.0.0.0/8 and ::1/128)
 * and the `insecure` entries. Only these may be spoken to over plain http, and their certificates are not checked.
 */
export function isInsecureRegistryHost(hostPort: string, insecure: readonly string[]): boolean {
  return isLoopbackHost(hostPort) || isInsecureHost(hostPort, insecure);
}

/**
 * True when a request to `url` may carry credentials or be followed at all: https anywhere, plain http only to
 * loopback and insecure hosts (as docker sends credentials to its insecure registries and nowhere else in clear).
 */
export function isPermittedUrl(url: URL, insecure: readonly string[]): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isInsecureRegistryHost(url.host, insecure);
}

/** The endpoint for a registry domain as docker names it, over `scheme` (https unless found otherwise). */
export function registryEndpoint(domain: string, scheme: 'http' | 'https' = 'https'): RegistryEndpoint {
  const host = apiHost(domain);
  // URL's origin drops a default port and lower-cases the host, so it compares equal to request URLs' origins.
  return { domain, host, origin: new URL(`${scheme}://${host}`).origin };
}
