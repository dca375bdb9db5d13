import { checkRollback, newestTimestamp, type RollbackCheck } from '../trust/index.ts';
import { VerificationError } from '../shared/errors.ts';
import type { Session } from './session.ts';
import type { DigestReport, VerificationReport } from './verify.ts';

/** The newest timestamp among the signatures the policy counted for one digest (undefined when none carries one). */
function countedNewest(d: DigestReport): number | undefined {
  const counted = d.decision?.counted ?? [];
  const used = d.verdicts.filter((v) => v.accepted && v.key && counted.some((c) => c.layerDigest === v.layerDigest && c.keyId === v.key!.id));
  return newestTimestamp(used.map((v) => v.payload?.optional));
}

const when = (seconds: number | undefined) => (seconds === undefined ? 'no timestamp' : new Date(seconds * 1000).toISOString());

/**
 * Checks an accepted report of a tag against the tag history: a tag now pointing at a digest whose counted
 * signatures are all older than one seen for another digest of the tag has been rolled back (TAG_ROLLBACK,
 * unless `allowRollback`). When it passes, the history is brought up to date. Digest references, and reports the
 * policy did not check (mode off), are not judged.
 */
export async function guardRollback(session: Session, report: VerificationReport, opts: { allowRollback?: boolean; now?: Date } = {}): Promise<void> {
  const top = report.digests[0];
  if (report.tag === undefined || !report.accepted || !top?.decision?.satisfied) return;
  const tag = report.tag;
  const now = opts.now ?? new Date();
  const history = session.tagHistory();
  const newest = countedNewest(top);
  const check: RollbackCheck = checkRollback(await history.get(report.repository, tag), report.digest, newest, now);
  if (check.rolledBack && !opts.allowRollback) {
    throw new VerificationError(
      'TAG_ROLLBACK',
      `No valid trust data for ${tag}: tag rolled back: ${report.repository}:${tag} now points to ${report.digest} (newest signature: ${when(check.newest)}), `
        + `but ${check.from.digest} was seen signed for it at ${when(check.from.timestamp)}; if this is intended, pull with --allow-rollback`,
    );
  }
  // An accepted rollback changes nothing: the newer signature stays the floor, so each such pull needs the flag.
  await history.update(report.repository, tag, (current) => {
    const again = checkRollback(current, report.digest, newest, now);
    return again.rolledBack ? current : again.next;
  }).catch((err: unknown) => session.environment.notice?.(`the tag history was not updated: ${err instanceof Error ? err.message : String(err)}`));
}
