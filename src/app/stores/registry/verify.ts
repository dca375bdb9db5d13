import { describeManifest, parsePlatform, selectPlatform, type Platform } from '../../../manifest/index.ts';
import { repositoryName, type Reference } from '../../../reference/index.ts';
import { UsageError, VerificationError } from '../../../shared/errors.ts';
import { judgeSignatures, type Verdict } from '../../../signature/index.ts';
import { evaluatePolicy, ruleLabel, summarizeReasons, type Decision } from '../../../trust/index.ts';
import type { RegistryPort } from '../../session/index.ts';
import type { Session } from '../../session/index.ts';
import { readSignatures } from './signature-store.ts';

/** The verification of one manifest digest: what the registry holds, the verdict on every signature, the policy's decision. */
export interface DigestReport {
  readonly digest: string;
  readonly kind: 'image' | 'index' | 'platform';
  /** 'none': no `.sig` at all; 'invalid': an unusable `.sig`; 'found': signatures judged below. */
  readonly stored: 'none' | 'invalid' | 'found';
  readonly problem?: string;
  readonly verdicts: readonly Verdict[];
  /**
   * The trust policy's decision on those verdicts — also with no signatures or an unusable `.sig`, which rules in
   * mode warn or off let through. Absent only when there was nothing to judge (no manifest for the platform).
   */
  readonly decision?: Decision;
  readonly accepted: boolean;
}

/** A full verification report: the repository, what the tag resolved to, and each verified digest. */
export interface VerificationReport {
  readonly repository: string;
  readonly tag?: string;
  readonly digest: string;
  /** What a pull fetches: `digest`, or for an index the manifest of the chosen platform. */
  readonly pullDigest: string;
  readonly digests: readonly DigestReport[];
  readonly accepted: boolean;
}

/** What was asked for, as DCT names it in its messages: the tag, or the digest. */
function asked(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

async function judgeDigest(
  session: Session,
  registry: RegistryPort,
  ref: Reference,
  digest: string,
  kind: DigestReport['kind'],
  signal?: AbortSignal,
): Promise<DigestReport> {
  const repository = repositoryName(ref);
  const stored = await readSignatures(registry, ref, digest, signal);
  const [keys, policy] = await Promise.all([(await session.keyStore()).trustedKeys(repository), session.policy()]);
  const verdicts =
    stored.kind === 'found'
      ? judgeSignatures(stored.signatures, { repository, digest, ...(ref.digest === undefined && ref.tag !== undefined && { tag: ref.tag }) }, keys)
      : [];
  const subject = `${repository}${ref.digest !== undefined ? `@${ref.digest}` : `:${asked(ref)}`}`;
  const problem = stored.kind === 'invalid' ? stored.reason : undefined;
  const decision = evaluatePolicy({ policy, repository, verdicts, keys, now: new Date(), subject, ...(problem !== undefined && { problem }) });
  return { digest, kind, stored: stored.kind, ...(problem !== undefined && { problem }), verdicts, decision, accepted: decision.allowed };
}

/**
 * Verifies IMAGE:TAG (or @DIGEST) without pulling: resolves it by hashing the manifest bytes the registry serves,
 * then judges every signature of that digest (and, for an index, of the platform manifest a pull would take).
 */
export async function verificationReport(
  session: Session,
  ref: Reference,
  opts: { platform?: string; signal?: AbortSignal } = {},
): Promise<VerificationReport> {
  const registry = await session.registry(ref.domain);
  const signal = opts.signal;
  const manifest = await registry.getManifest(ref, asked(ref), undefined, signal ? { signal } : {});
  const kind = describeManifest(manifest.bytes, manifest.mediaType);
  const top = await judgeDigest(session, registry, ref, manifest.digest, kind.kind, signal);
  const base = { repository: repositoryName(ref), ...(ref.digest === undefined && ref.tag !== undefined && { tag: ref.tag }), digest: manifest.digest };
  if (kind.kind === 'image') return { ...base, pullDigest: manifest.digest, digests: [top], accepted: top.accepted };
  const platform = await wantedPlatform(session, opts.platform, signal);
  const child = selectPlatform(kind.children, platform);
  if (!child) {
    const none: DigestReport = {
      digest: manifest.digest,
      kind: 'platform',
      stored: 'none',
      problem: `no manifest for ${platform.os}/${platform.architecture}`,
      verdicts: [],
      accepted: false,
    };
    return { ...base, pullDigest: manifest.digest, digests: [top, none], accepted: false };
  }
  const childReport = await judgeDigest(session, registry, ref, child.digest, 'platform', signal);
  return { ...base, pullDigest: child.digest, digests: [top, childReport], accepted: top.accepted && childReport.accepted };
}

/** Every verdict of a digest, one per line: the full list a refusal carries as its cause (printed with --debug). */
function everyVerdict(d: DigestReport): string {
  return [`every signature of ${d.digest}:`, ...d.verdicts.map((v) => `  ${v.layerDigest}: ${v.reason}`)].join('\n');
}

/** Each unmet rule and what it did not count, one per line (the cause of a policy refusal, printed with --debug). */
function everyRejection(decision: Decision): string {
  return decision.rules
    .filter((o) => o.checked && !o.satisfied)
    .flatMap((o) => [`${ruleLabel(o.rule.repositories)} (${o.rule.mode}): ${o.reason}`, ...o.rejected.map((r) => `  ${r.layerDigest}: ${r.reason}`)])
    .join('\n');
}

/**
 * The DCT-style refusal for a report that was not accepted (undefined when it was): one bounded line — counts and
 * the first few reasons (summarizeReasons) — with every reason in its cause.
 */
export function refusal(ref: Reference, report: VerificationReport): VerificationError | undefined {
  const failed = report.digests.find((d) => !d.accepted);
  if (!failed) return undefined;
  if (failed.stored === 'none' && !failed.problem) {
    return new VerificationError(
      'NO_TRUST_DATA',
      `remote trust data does not exist for ${report.repository}: no signature for ${asked(ref)} (${failed.digest})`,
    );
  }
  if (failed.stored !== 'found')
    return new VerificationError('NO_VALID_SIGNATURE', `No valid trust data for ${asked(ref)}: ${failed.problem ?? 'no signatures'}`);
  const decision = failed.decision;
  if (decision && failed.verdicts.some((v) => v.accepted)) {
    const others = decision.rules
      .filter((o) => o.rule.mode === 'enforce' && !o.satisfied && o.rule.repositories !== decision.rule.repositories)
      .map((o) => o.rule.repositories);
    const also = others.length ? `; also not met: ${others.join(', ')}` : '';
    return new VerificationError(
      'NO_VALID_SIGNATURE',
      `No valid trust data for ${asked(ref)}: ${failed.digest}: policy rule ${decision.rule.repositories} not met: ${decision.reason}${also}`,
      { cause: everyRejection(decision) },
    );
  }
  const n = failed.verdicts.length;
  const why = n === 0 ? 'the signature manifest holds no signatures' : summarizeReasons(failed.verdicts.map((v) => v.reason));
  return new VerificationError(
    'NO_VALID_SIGNATURE',
    `No valid trust data for ${asked(ref)}: ${n} signature${n === 1 ? '' : 's'} for ${failed.digest}, none acceptable: ${why}`,
    { cause: everyVerdict(failed) },
  );
}

/**
 * The policy's warnings for an accepted report, each once: unmet warn rules, and images nothing checked, each
 * naming the rule that let the image through.
 */
export function policyWarnings(report: VerificationReport): string[] {
  return [...new Set(report.digests.flatMap((d) => d.decision?.warnings ?? []))];
}

/** Verifies as a trusted pull needs it: the report when accepted, else the DCT-style VerificationError. */
export async function verifyImage(session: Session, ref: Reference, opts: { platform?: string; signal?: AbortSignal } = {}): Promise<VerificationReport> {
  const report = await verificationReport(session, ref, opts);
  const error = refusal(ref, report);
  if (error) throw error;
  return report;
}

/** --platform, else the engine's own platform (what it would pull). */
async function wantedPlatform(session: Session, flag: string | undefined, signal?: AbortSignal): Promise<Platform> {
  if (flag) {
    const p = parsePlatform(flag);
    if (!p) throw new UsageError(`invalid --platform "${flag}": expected os/arch[/variant]`);
    return p;
  }
  const v = await (await session.engine()).version(signal ? { signal } : {});
  return { os: v.os, architecture: v.arch };
}
