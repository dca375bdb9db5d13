/**
 * The checks between roles: bytes against the FileMeta a higher role lists for them (length, and every sha256
 * or sha512 given; at least one), versions against the last ones seen, expiry against the caller's clock
 * (notaryproject/notary tuf/data `CheckHashes`, tuf/signed `VerifyVersion`, `VerifyExpiry`). Pure.
 */
import { createHash } from 'node:crypto';
import { NotaryError } from '../../shared/errors.ts';
import { isExpired } from './go-time.ts';
import type { FileMeta, SignedCommon } from './types.ts';

/** Throws TRUST_DATA_INVALID unless `bytes` have the length and hashes `listedBy` lists for `role` (nothing listed is invalid too). */
export function checkFileMeta(bytes: Uint8Array, meta: FileMeta | undefined, role: string, listedBy: string): void {
  if (meta === undefined) throw new NotaryError('TRUST_DATA_INVALID', `${listedBy} does not list ${role}`);
  if (bytes.length !== meta.length) {
    throw new NotaryError('TRUST_DATA_INVALID', `${role} is ${bytes.length} bytes, ${listedBy} says ${meta.length}`);
  }
  let checked = 0;
  for (const alg of ['sha256', 'sha512'] as const) {
    const want = meta.hashes[alg];
    if (want === undefined) continue;
    if (createHash(alg).update(bytes).digest('base64') !== Buffer.from(want, 'base64').toString('base64')) {
      throw new NotaryError('TRUST_DATA_INVALID', `${role} does not match the ${alg} ${listedBy} lists`);
    }
    checked++;
  }
  if (checked === 0) throw new NotaryError('TRUST_DATA_INVALID', `${listedBy} lists no sha256 or sha512 for ${role}`);
}

/** Throws TRUST_DATA_ROLLBACK when `doc` is older than the version last seen for `role`. */
export function checkVersion(doc: SignedCommon, role: string, previous: ReadonlyMap<string, number> | undefined): void {
  const seen = previous?.get(role);
  if (seen !== undefined && doc.version < seen) {
    throw new NotaryError('TRUST_DATA_ROLLBACK', `${role} version ${doc.version} is older than version ${seen} seen before`);
  }
}

/** Throws TRUST_DATA_EXPIRED when `doc` expired before `now` (the freeze-attack check). */
export function checkExpiry(doc: SignedCommon, role: string, now: Date): void {
  if (isExpired(doc.expires, now)) throw new NotaryError('TRUST_DATA_EXPIRED', `${role} version ${doc.version} expired at ${doc.expires}`);
}
