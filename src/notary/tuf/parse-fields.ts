/**
 * Field readers for the strict metadata parsers: each returns the typed value or throws TRUST_DATA_INVALID
 * naming the field. Unknown fields are tolerated as Go's json.Unmarshal does; they still count in signatures. Pure.
 */
import { decodeBase64 } from '../../encoding/index.ts';
import { NotaryError } from '../../shared/errors.ts';
import type { FileMeta, TufKeyType, RoleKeys, TufKey } from './types.ts';

const KEY_TYPES: readonly string[] = ['ecdsa', 'ecdsa-x509', 'ed25519', 'rsa', 'rsa-x509'];

/** Throws the parsers' one error. */
export function invalid(message: string): never {
  throw new NotaryError('TRUST_DATA_INVALID', message);
}

/** A JSON object (not an array, not null). */
export function object(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(`${field} is not an object`);
  return v as Record<string, unknown>;
}

/** A JSON array. */
export function array(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) invalid(`${field} is not an array`);
  return v;
}

/** A JSON string. */
export function string(v: unknown, field: string): string {
  if (typeof v !== 'string') invalid(`${field} is not a string`);
  return v;
}

/** A non-negative safe integer, at least `min`. */
export function integer(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) invalid(`${field} is not an integer >= ${min}`);
  return v;
}

/** Decodes standard padded base64, as notary stores []byte fields, refusing anything else (decodeBase64). */
export function base64(v: unknown, field: string): Buffer {
  return decodeBase64(string(v, field)) ?? invalid(`${field} is not base64`);
}

/** A KEY: `{"keytype":K,"keyval":{"private":null|absent,"public":b64}}`. */
export function key(v: unknown, field: string): TufKey {
  const o = object(v, field);
  const keytype = string(o.keytype, `${field}.keytype`);
  if (!KEY_TYPES.includes(keytype)) invalid(`${field}.keytype ${JSON.stringify(keytype)} is not supported`);
  const keyval = object(o.keyval, `${field}.keyval`);
  if (keyval.private !== undefined && keyval.private !== null) invalid(`${field} carries a private key`);
  const pub = string(keyval.public, `${field}.keyval.public`);
  if (base64(pub, `${field}.keyval.public`).length === 0) invalid(`${field}.keyval.public is empty`);
  return { keytype: keytype as TufKeyType, public: pub };
}

/** A map of key id → KEY. */
export function keys(v: unknown, field: string): Map<string, TufKey> {
  return new Map(Object.entries(object(v, field)).map(([id, k]) => [id, key(k, `${field}.${id}`)]));
}

/** `{"keyids":[…],"threshold":n}` with threshold ≥ 1 and no repeated key id. */
export function roleKeys(v: unknown, field: string): RoleKeys {
  const o = object(v, field);
  const keyids = array(o.keyids, `${field}.keyids`).map((k, i) => string(k, `${field}.keyids[${i}]`));
  if (new Set(keyids).size !== keyids.length) invalid(`${field}.keyids repeats a key id`);
  return { keyids, threshold: integer(o.threshold, `${field}.threshold`, 1) };
}

/** FileMeta: base64 hashes by algorithm (sha256 must be 32 bytes, sha512 64 when present) and a length. */
export function fileMeta(v: unknown, field: string): FileMeta {
  const o = object(v, field);
  const hashes = object(o.hashes, `${field}.hashes`);
  const out: Record<string, string> = {};
  for (const [alg, h] of Object.entries(hashes)) {
    const bytes = base64(h, `${field}.hashes.${alg}`);
    const want = alg === 'sha256' ? 32 : alg === 'sha512' ? 64 : bytes.length;
    if (bytes.length !== want) invalid(`${field}.hashes.${alg} has ${bytes.length} bytes, not ${want}`);
    out[alg] = h as string;
  }
  return { hashes: out, length: integer(o.length, `${field}.length`) };
}
