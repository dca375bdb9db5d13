/**
 * Tag rollback for registry signatures, which carry no versioned metadata of their own (cosign's format has
 * none; Notary/TUF closes the same hole with versions, TUF spec §5.4): per `repository:tag` the newest signature
 * timestamp seen valid, and for which digest. A tag that now points at another digest whose valid signatures
 * are all older than that — or carry no timestamp at all — has been moved back. Pure.
 */

/** What was last seen valid for one tag: the digest, its newest signature timestamp (unix seconds), when seen. */
export interface TagRecord {
  readonly digest: string;
  readonly timestamp: number;
  readonly seen: string;
}

/** The rollback decision: fine (with the record to keep), or rolled back from the recorded digest. */
export type RollbackCheck =
  | { readonly rolledBack: false; readonly next: TagRecord | undefined }
  | { readonly rolledBack: true; readonly from: TagRecord; readonly newest: number | undefined };

/**
 * Judges a tag that resolves to `digest`, whose counted signatures' newest timestamp is `newest` (undefined when
 * none has one), against `record`. Equal timestamps are not a rollback (two digests signed in the same second
 * on different hosts). `next` is the record to store: the newer of the two.
 */
export function checkRollback(record: TagRecord | undefined, digest: string, newest: number | undefined, seen: Date): RollbackCheck {
  const mine = newest === undefined ? undefined : { digest, timestamp: newest, seen: seen.toISOString() };
  if (!record) return { rolledBack: false, next: mine };
  if (record.digest === digest) return { rolledBack: false, next: mine && mine.timestamp > record.timestamp ? mine : record };
  if (mine && mine.timestamp >= record.timestamp) return { rolledBack: false, next: mine };
  return { rolledBack: true, from: record, newest };
}

/**
 * The signature timestamp to write when signing `digest` for a tag with `record`: now, but always later than a
 * timestamp seen for another digest of the tag, so that a later signature never looks older (monotonic).
 */
export function signingTimestamp(record: TagRecord | undefined, digest: string, now: Date): number {
  const seconds = Math.floor(now.getTime() / 1000);
  if (!record) return seconds;
  return Math.max(seconds, record.digest === digest ? record.timestamp : record.timestamp + 1);
}

/** The newest integer `timestamp` claim among payload `optional` objects, or undefined when none has one. */
export function newestTimestamp(optionals: readonly (Readonly<Record<string, unknown>> | null | undefined)[]): number | undefined {
  let newest: number | undefined;
  for (const o of optionals) {
    const t = o && Object.hasOwn(o, 'timestamp') ? o.timestamp : undefined;
    if (typeof t === 'number' && Number.isSafeInteger(t) && t >= 0 && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}
