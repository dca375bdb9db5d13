/**
 * IP addresses as Go's net package models them (golang/go src/net/ip.go): every address is 16 bytes (IPv4 as
 * ::ffff:a.b.c.d, net.IP's To16), and the text forms are Go's: dotted decimal without leading zeros, RFC 4291
 * IPv6 without zones. Pure.
 */

/** An address as 16 bytes; `v4` when it is an IPv4 address (or IPv4-mapped IPv6, which Go treats the same). */
export interface Ip {
  readonly bytes: Uint8Array;
  readonly v4: boolean;
}

const V4_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Dotted decimal without leading zeros, as Go parses IPv4 (a part over 255 or with a leading zero fails). */
export function parseV4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

function parseV6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string, last: boolean): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const fields = half.split(':');
    for (const [i, f] of fields.entries()) {
      if (last && i === fields.length - 1 && f.includes('.')) {
        const v4 = parseV4(f);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(f)) out.push(parseInt(f, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Parses an IPv4 or IPv6 address (no brackets, no zone) like Go's net.ParseIP; undefined for anything else. */
export function parseIp(text: string): Ip | undefined {
  const v4 = parseV4(text);
  const bytes = v4 ? [...V4_PREFIX, ...v4] : parseV6(text);
  if (!bytes) return undefined;
  return { bytes: Uint8Array.from(bytes), v4: V4_PREFIX.every((b, i) => bytes[i] === b) };
}

/** True when two addresses are the same (an IPv4 address equals its IPv4-mapped form), as net.IP.Equal. */
export function ipEqual(a: Ip, b: Ip): boolean {
  return a.bytes.every((byte, i) => byte === b.bytes[i]);
}

/** True for 127.0.0.0/8 and ::1, as net.IP.IsLoopback. */
export function isLoopbackIp(ip: Ip): boolean {
  return ip.v4 ? ip.bytes[12] === 127 : ip.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}
