/**
 * IP networks as Go's net package models them (golang/go src/net/ip.go ParseCIDR, IPNet.Contains): an IPv4
 * network covers only IPv4 addresses (Contains compares families after To4), an IPv6 one only IPv6. Pure.
 */
import { parseIp, parseV4, type Ip } from './ip.ts';

/** A network: its address and the number of leading bits of 128 that are fixed (an IPv4 /n is 96 + n). */
export interface IpNet {
  readonly ip: Ip;
  readonly bits: number;
}

/** Parses `ip/bits` like Go's net.ParseCIDR (no zone, bits without leading zeros); undefined for anything else. */
export function parseCidr(text: string): IpNet | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  const isV4Text = parseV4(text.slice(0, slash)) !== undefined;
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > (isV4Text ? 32 : 128)) return undefined;
  return { ip, bits: isV4Text ? 96 + bits : bits };
}

/** True when `ip` lies in `network` (same family, first bits equal), as Go's net.IPNet.Contains decides. */
export function ipNetContains(network: IpNet, ip: Ip): boolean {
  if (network.ip.v4 !== ip.v4) return false;
  for (let bit = 0; bit < network.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((network.ip.bytes[bit >> 3]! & mask) !== (ip.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}
