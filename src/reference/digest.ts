/**
 * Digest validation with the semantics of github.com/opencontainers/go-digest v1.0.0 (`digest.Parse`) as
 * vendored by the docker CLI, with sha256, sha384 and sha512 registered: the algorithm must be one of those,
 * and the encoded part must be lower-case hex of exactly the hash size. Unknown but well-formed algorithms
 * are "unsupported"; anything else is "invalid".
 */
import { createHash } from 'node:crypto';

/** go-digest's own (more relaxed) digest shape, used only to tell "unsupported" from "invalid". */
const GO_DIGEST_REGEXP = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

const LOWER_HEX = /^[a-f0-9]+$/;

/** Hex length of each supported algorithm's encoded value. */
const ENCODED_LENGTH: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/** go-digest's message for a malformed digest. */
export const DIGEST_INVALID_FORMAT = 'invalid checksum digest format';

/** go-digest's message for a digest whose hex part has the wrong length for its algorithm. */
export const DIGEST_INVALID_LENGTH = 'invalid checksum digest length';

/** go-digest's message for a well-formed digest whose algorithm is not sha256, sha384 or sha512. */
export const DIGEST_UNSUPPORTED = 'unsupported digest algorithm';

/** Returns why `s` is not a valid digest (go-digest's message), or undefined when it is valid. */
export function digestError(s: string): string | undefined {
  const sep = s.indexOf(':');
  if (sep <= 0 || sep + 1 === s.length) return DIGEST_INVALID_FORMAT;
  const algorithm = s.slice(0, sep);
  const encoded = s.slice(sep + 1);
  const size = ENCODED_LENGTH.get(algorithm);
  if (size === undefined) return GO_DIGEST_REGEXP.test(s) ? DIGEST_UNSUPPORTED : DIGEST_INVALID_FORMAT;
  if (encoded.length !== size) return DIGEST_INVALID_LENGTH;
  return LOWER_HEX.test(encoded) ? undefined : DIGEST_INVALID_FORMAT;
}

/** True when `s` is a valid `algorithm:hex` digest: sha256 (64), sha384 (96) or sha512 (128) lower-case hex. */
export function isDigest(s: string): boolean {
  return digestError(s) === undefined;
}

/** `sha256:<hex>` of `bytes`: the canonical digest of content (go-digest FromBytes). */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
