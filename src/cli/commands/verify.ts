import type { Command } from 'commander';
import { parseImageArgument, policyWarnings, readTrust, refusal, repositoryOf, type VerificationReport } from '../../app/index.ts';
import { parseStore } from './pull.ts';
import { UsageError } from '../../shared/errors.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';

/** Whether the policy counted an accepted signature (by payload digest and key), and if not, why. */
function policyView(decision: NonNullable<VerificationReport['digests'][number]['decision']>, layer: string, keyId: string) {
  const counted = decision.counted.some((c) => c.layerDigest === layer && c.keyId === keyId);
  const rejected = decision.rejected.find((r) => r.layerDigest === layer);
  return { Counted: counted, ...(!counted && rejected && { PolicyReason: rejected.reason }) };
}

/** The JSON form of a verification report (stable field names, docker-style capitalisation). */
export function reportJson(r: VerificationReport): object {
  return {
    Repository: r.repository,
    ...(r.tag !== undefined && { Tag: r.tag }),
    Digest: r.digest,
    PullDigest: r.pullDigest,
    Verified: r.accepted,
    Digests: r.digests.map((d) => ({
      Digest: d.digest, Kind: d.kind, Stored: d.stored, Verified: d.accepted, ...(d.problem && { Problem: d.problem }),
      ...(d.decision && {
        Policy: {
          Rule: d.decision.rule.repositories, Threshold: d.decision.rule.threshold, ...(d.decision.rule.signers && { Signers: d.decision.rule.signers }),
          Mode: d.decision.mode, Satisfied: d.decision.satisfied, Allowed: d.decision.allowed, Reason: d.decision.reason, Warnings: d.decision.warnings,
        },
      }),
      Signatures: d.verdicts.map((v) => ({
        Layer: v.layerDigest, Accepted: v.accepted, Reason: v.reason,
        ...(d.decision && v.accepted && v.key && policyView(d.decision, v.layerDigest, v.key.id)),
        ...(v.key && { Key: { ID: v.key.id, Name: v.key.name } }),
        ...(v.payload && { SignedReference: v.payload.dockerReference, Claims: v.payload.optional ?? {} }),
      })),
    })),
  };
}

/** `docker trustext verify IMAGE`: exit 0 when the image's signatures satisfy trust, 1 otherwise; nothing is pulled. */
export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description('Check an image’s signatures in the registry without pulling it (exit 0 when trusted, 1 otherwise)')
    .argument('<image>', 'NAME[:TAG|@DIGEST]')
    .option('--platform <platform>', 'for an index: the platform whose manifest is checked (default: the engine’s)')
    .option('--store <store>', 'trust data: registry, notary or both (default: both with DOCKER_CONTENT_TRUST_SERVER, else registry)')
    .option('--allow-rollback', 'accept a tag that moved back to a digest signed before the one it last pointed to')
    .option('-f, --format <format>', "output format: 'pretty' (default) or 'json'", 'pretty')
    .action(async (image: string, opts: { platform?: string; store?: string; allowRollback?: boolean; format: string }) => {
      if (opts.format !== 'pretty' && opts.format !== 'json') throw new UsageError(`unsupported --format "${opts.format}": use 'pretty' or 'json'`);
      const ref = parseImageArgument(image);
      const trust = await readTrust(await ctx.session(), ref, {
        ...(opts.store && { store: parseStore(opts.store) }), ...(opts.platform && { platform: opts.platform }), signal: ctx.signal,
        ...(opts.allowRollback && { allowRollback: true }),
      });
      if (trust.kind === 'notary') {
        const t = trust.target;
        const policy = trust.decision && { Rule: trust.decision.rule.repositories, Mode: trust.decision.mode, Satisfied: trust.decision.satisfied, Reason: trust.decision.reason };
        if (opts.format === 'json') {
          println(ctx.io, JSON.stringify({
            Repository: repositoryOf(ref), Tag: ref.tag, Digest: t.digest, Size: t.size, Store: 'notary', Role: t.role, Server: t.server, Verified: true, ...(policy && { Policy: policy }),
          }, null, 2));
        } else {
          println(ctx.io, `Verified ${repositoryOf(ref)}:${ref.tag} ${t.digest}: signed in ${t.role} on ${t.server}`);
        }
        for (const w of trust.decision?.warnings ?? []) eprintln(ctx.io, `warning: ${w}`);
        return;
      }
      const report = trust.report;
      if (opts.format === 'json') println(ctx.io, JSON.stringify(reportJson(report), null, 2));
      for (const w of policyWarnings(report)) eprintln(ctx.io, `warning: ${w}`);
      const refused = refusal(ref, report);
      if (refused) throw refused;
      if (opts.format === 'pretty') {
        for (const d of report.digests) {
          const by = d.verdicts.filter((v) => v.accepted).map((v) => v.reason.replace(/^signed by /, '')).join(', ');
          println(ctx.io, `Verified ${report.repository}${report.tag ? `:${report.tag}` : ''} ${d.kind} ${d.digest}: signed by ${by}`);
        }
      }
    });
}
