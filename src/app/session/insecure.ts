/**
 * Whether the docker daemon treats a registry as insecure, decided the way it does (moby
 * daemon/pkg/registry/config.go isSecureIndex and isCIDRMatch): an exact insecure-registries name first, Docker
 * Hub always secure, else the registry's addresses (an IP literal, or every address its name resolves to) matched
 * against the daemon's insecure CIDRs. A name that does not resolve matches no range.
 */
import { DEFAULT_DOMAIN } from '../../reference/index.ts';
import { type Ip, ipNetContains, parseCidr, parseIp, splitRegistryHost } from '../../net/index.ts';
import type { RegistrySettings } from '../../engine/index.ts';

/** Every address a host name resolves to (dns.lookup with `all`); rejects when it does not resolve. */
export type Lookup = (hostname: string) => Promise<readonly string[]>;

/** What the daemon always has (loadInsecureRegistries appends ::1/128 and 127.0.0.0/8): the floor without an engine to ask. */
export const DAEMON_DEFAULT_SETTINGS: RegistrySettings = { insecureRegistries: [], insecureCIDRs: ['::1/128', '127.0.0.0/8'] };

/** The address as netip.Addr.Unmap leaves it: an IPv4-mapped IPv6 address compares as IPv4. */
function addresses(texts: readonly string[]): Ip[] {
  return texts.map((t) => parseIp(t)).filter((ip): ip is Ip => ip !== undefined);
}

/**
 * Whether the daemon treats registry `hostPort` (docker's name for it: host[:port]) as insecure, so trustext may
 * try plain http and skip certificate checks exactly where the engine does. `lookup` resolves names.
 */
export async function isInsecureRegistry(hostPort: string, settings: RegistrySettings, lookup: Lookup): Promise<boolean> {
  // IndexConfigs take precedence: the listed insecure names, and the public registry (always Secure: true).
  if (settings.insecureRegistries.some((r) => r.toLowerCase() === hostPort.toLowerCase())) return true;
  if (hostPort === DEFAULT_DOMAIN) return false;
  const prefixes = settings.insecureCIDRs.map((c) => parseCidr(c)).filter((p) => p !== undefined);
  if (prefixes.length === 0) return false;
  const { hostname } = splitRegistryHost(hostPort);
  const literal = parseIp(hostname);
  let ips: Ip[];
  if (literal) ips = [literal];
  else {
    try {
      ips = addresses(await lookup(hostname));
    } catch {
      return false; // "We failed to resolve the host; assume there's no match."
    }
  }
  return ips.some((ip) => prefixes.some((p) => ipNetContains(p, ip)));
}
