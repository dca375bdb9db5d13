import { isIP } from 'node:net';
import type { RegistrySettings } from '../engine/index.ts';

/** The host part of host[:port] (IPv6 brackets removed). */
function hostOf(hostPort: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(hostPort);
  if (m) return m[1]!;
  const colon = hostPort.lastIndexOf(':');
  return colon > 0 && hostPort.indexOf(':') === colon ? hostPort.slice(0, colon) : hostPort;
}

/** True when IPv4 or IPv6 address `ip` lies in `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const family = isIP(ip);
  if (!base || family === 0 || family !== isIP(base)) return false;
  const toBig = (a: string) => family === 4
    ? a.split('.').reduce((n, o) => (n << 8n) + BigInt(Number(o)), 0n)
    : expandV6(a).reduce((n, h) => (n << 16n) + BigInt(parseInt(h, 16)), 0n);
  const width = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return toBig(ip) >> shift === toBig(base) >> shift;
}

function expandV6(a: string): string[] {
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  return tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
}

/**
 * Whether the daemon treats registry `hostPort` as insecure (docker's insecure-registries: a listed name, or an IP
 * inside a listed range), so trustext may speak plain http to it exactly where the engine does.
 */
export function isInsecureRegistry(hostPort: string, settings: RegistrySettings): boolean {
  if (settings.insecureRegistries.some((r) => r.toLowerCase() === hostPort.toLowerCase())) return true;
  const host = hostOf(hostPort);
  return isIP(host) !== 0 && settings.insecureCIDRs.some((c) => inCidr(host, c));
}
