/**
 * Canonical JSON exactly as docker/go `canonical/json.MarshalCanonical` writes it for a decoded
 * `map[string]interface{}` (what notary's verifier re-derives before checking a signature, tuf/signed/verify.go):
 * object keys sorted by UTF-8 bytes, no whitespace, numbers as integers, strings with only `"` and `\` escaped.
 *
 * Escaping follows the code, not the prose of the TUF specification: at the commit notary vendors
 * (docker/go@d30aec9 canonical/json/encode.go:813) the canonical branch copies every byte except `"` and `\`
 * unchanged, control characters included. Pure.
 */
import { NotaryError } from '../../shared/errors.ts';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The canonical bytes of a JSON-shaped value (null, boolean, integer number, string, array, plain object); throws TRUST_DATA_INVALID otherwise. */
export function canonicalJson(value: unknown): Buffer {
  const parts: string[] = [];
  write(value, parts);
  return Buffer.from(parts.join(''), 'utf8');
}

/** Parses metadata bytes as Go's json.Unmarshal into interface{} would (numbers as float64, last duplicate key wins), refusing invalid UTF-8. */
export function parseJsonBytes(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(STRICT_UTF8.decode(bytes));
  } catch (cause) {
    throw new NotaryError('TRUST_DATA_INVALID', `${what} is not valid JSON`, { cause });
  }
}

/** Compares two strings by their UTF-8 bytes, as Go's `<` on strings does (differs from UTF-16 order for astral characters). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function write(value: unknown, out: string[]): void {
  if (value === null) out.push('null');
  else if (value === true || value === false) out.push(String(value));
  else if (typeof value === 'number') out.push(integer(value));
  else if (typeof value === 'string') out.push(quote(value));
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      write(v, out);
    });
    out.push(']');
  } else if (typeof value === 'object' && isPlain(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareUtf8);
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(quote(k), ':');
      write(record[k], out);
    });
    out.push('}');
  } else {
    throw new NotaryError('TRUST_DATA_INVALID', `canonical json cannot encode a ${typeof value}`);
  }
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Go: float64 that is finite and whole, written as strconv.AppendInt(int64(f)); int64 overflow refused. */
function integer(n: number): string {
  if (!Number.isFinite(n) || Math.floor(n) !== n) throw new NotaryError('TRUST_DATA_INVALID', `canonical json allows integers only, got ${n}`);
  if (n >= 2 ** 63 || n < -(2 ** 63)) throw new NotaryError('TRUST_DATA_INVALID', `integer ${n} does not fit in 64 bits`);
  return BigInt(n).toString();
}

/** Only `"` and `\` are escaped; everything else, control bytes and non-ASCII included, stays raw UTF-8. */
function quote(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
