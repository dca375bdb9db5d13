import { checkRollback, newestTimestamp, type Decision, type RollbackCheck } from '../../../trust/index.ts';
import { VerificationError } from '../../../shared/errors.ts';
import type { Session } from '../../session/index.ts';
import type { DigestReport, VerificationReport } from './verify.ts';

/** The newest timestamp among the signatures that met a checked rule (undefined when none carries one). */
function countedNewest(d: DigestReport, decision: Decision): number | undefined {
  const counted = decision.rules.filter((o) => o.checked && o.satisfied).flatMap((o) => o.counted);
  const used = d.verdicts.filter((v) => v.accepted && v.key && counted.some((c) => c.layerDigest === v.layerDigest && c.keyId === v.key!.id));
  return newestTimestamp(used.map((v) => v.payload?.optional));
}

const when = (seconds: number | undefined) => (seconds === undefined ? 'no timestamp' : new Date(seconds * 1000).toISOString());

/**
 * Checks an accepted report of a tag against the tag history: a tag now pointing at a digest whose signatures
 * (those that met a checked rule) are all older than one seen for another digest of the tag has been rolled back.
 * Under any checked enforce rule that is refused (TAG_ROLLBACK, unless `allowRollback`); when only warn rules were
 * checked it is allowed with a warning. Reports nothing checked (every rule off) and digest references are not
 * judged. When it passes, the history is brought up to date. Returns the report, with the warning when there is one.
 */
export async function guardRollback(
  session: Session,
  report: VerificationReport,
  opts: { allowRollback?: boolean; now?: Date } = {},
): Promise<VerificationReport> {
  const top = report.digests[0];
  const decision = top?.decision;
  if (report.tag === undefined || !report.accepted || !top || !decision || decision.rules.every((o) => !o.checked)) return report;
  const tag = report.tag;
  const now = opts.now ?? new Date();
  const history = session.tagHistory();
  const newest = countedNewest(top, decision);
  const recorded = await history.get(report.repository, tag);
  const check: RollbackCheck = checkRollback(recorded, report.digest, newest, now);
  let result = report;
  if (check.rolledBack && !opts.allowRollback) {
    const what =
      `tag rolled back: ${report.repository}:${tag} now points to ${report.digest} (newest signature: ${when(check.newest)}), ` +
      `but ${check.from.digest} was seen signed for it at ${when(check.from.timestamp)}`;
    if (decision.rules.some((o) => o.checked && o.rule.mode === 'enforce')) {
      throw new VerificationError('TAG_ROLLBACK', `No valid trust data for ${tag}: ${what}; if this is intended, pull with --allow-rollback`);
    }
    const warned: DigestReport = {
      ...top,
      decision: { ...decision, warnings: [...decision.warnings, `${report.repository}:${tag} allowed by warn rules: ${what}`] },
    };
    result = { ...report, digests: [warned, ...report.digests.slice(1)] };
  }
  // An accepted rollback changes nothing: the newer signature stays the floor, so each such pull needs the flag.
  // Nothing new (the usual case: the same digest seen again) takes no lock and writes nothing.
  if (check.rolledBack || check.next === recorded) return result;
  await history
    .update(report.repository, tag, (current) => {
      const again = checkRollback(current, report.digest, newest, now);
      return again.rolledBack ? current : again.next;
    })
    .catch((err: unknown) => session.environment.notice?.(`the tag history was not updated: ${err instanceof Error ? err.message : String(err)}`));
  return result;
}
