import type { Command } from 'commander';
import { parseImageArgument, policyWarnings, readTrust, refusal, repositoryOf, ruleLabel, type TrustStore, type VerificationReport } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';
import { formatOption, storeOption } from '../options.ts';

type Decision = NonNullable<VerificationReport['digests'][number]['decision']>;

/**
 * Whether an accepted signature (by payload digest and key) counts under every checked applicable rule, and if
 * not, the first rule that did not count it and why.
 */
function policyView(decision: Decision, layer: string, keyId: string) {
  const checked = decision.rules.filter((o) => o.checked);
  const against = checked.find((o) => !o.counted.some((c) => c.layerDigest === layer && c.keyId === keyId));
  const rejected = against?.rejected.find((r) => r.layerDigest === layer);
  const counted = checked.length > 0 && !against;
  return {
    Counted: counted,
    ...(rejected && { PolicyReason: checked.length > 1 ? `rule ${against!.rule.repositories}: ${rejected.reason}` : rejected.reason }),
  };
}

/**
 * The JSON form of a policy decision: the deciding rule's fields (Rule, Threshold, Signers, Mode, Reason) as before,
 * plus every applicable rule, most specific first, and the broader rules an override cut off.
 */
function decisionJson(d: Decision): object {
  return {
    Rule: d.rule.repositories,
    Threshold: d.rule.threshold,
    ...(d.rule.signers && { Signers: d.rule.signers }),
    Mode: d.mode,
    Satisfied: d.satisfied,
    Allowed: d.allowed,
    Reason: d.reason,
    Warnings: d.warnings,
    Rules: d.rules.map((o) => ({
      Rule: o.rule.repositories,
      Threshold: o.rule.threshold,
      ...(o.rule.signers && { Signers: o.rule.signers }),
      ...(o.rule.requireClaims && { RequireClaims: o.rule.requireClaims }),
      Mode: o.rule.mode,
      Override: o.rule.override,
      Checked: o.checked,
      Satisfied: o.satisfied,
      Reason: o.reason,
    })),
    Overridden: d.overridden,
  };
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
      Digest: d.digest,
      Kind: d.kind,
      Stored: d.stored,
      Verified: d.accepted,
      ...(d.problem && { Problem: d.problem }),
      ...(d.decision && { Policy: decisionJson(d.decision) }),
      Signatures: d.verdicts.map((v) => ({
        Layer: v.layerDigest,
        Accepted: v.accepted,
        Reason: v.reason,
        ...(d.decision && v.accepted && v.key && policyView(d.decision, v.layerDigest, v.key.id)),
        ...(v.key && { Key: { ID: v.key.id, Name: v.key.name } }),
        ...(v.payload && { SignedReference: v.payload.dockerReference, Claims: v.payload.optional ?? {} }),
      })),
    })),
  };
}

/** The pretty line for one accepted digest: verified and by whom, or let through unverified and by which rule. */
function digestLine(r: VerificationReport, d: VerificationReport['digests'][number]): string {
  const what = `${r.repository}${r.tag ? `:${r.tag}` : ''} ${d.kind} ${d.digest}`;
  if (d.decision && !d.decision.satisfied) {
    return `Allowed ${what}: not verified (${ruleLabel(d.decision.rule.repositories)} is ${d.decision.mode})`;
  }
  const by = d.verdicts
    .filter((v) => v.accepted)
    .map((v) => v.reason.replace(/^signed by /, ''))
    .join(', ');
  return `Verified ${what}: signed by ${by}`;
}

/** `docker trustext verify IMAGE`: exit 0 when the image's signatures satisfy trust, 1 otherwise; nothing is pulled. */
export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description(
      'Check an image’s signatures in the registry without pulling it (exit 0 when trusted or let through by a warn or off policy rule, 1 otherwise)',
    )
    .argument('<image>', 'NAME[:TAG|@DIGEST]')
    .option('--platform <platform>', 'for an index: the platform whose manifest is checked (default: the engine’s)')
    .addOption(storeOption('trust data'))
    .option('--allow-rollback', 'accept a tag that moved back to a digest signed before the one it last pointed to')
    .addOption(formatOption())
    .action(async (image: string, opts: { platform?: string; store?: TrustStore; allowRollback?: boolean; format: string }) => {
      const ref = parseImageArgument(image);
      const trust = await readTrust(await ctx.session(), ref, {
        ...(opts.store && { store: opts.store }),
        ...(opts.platform && { platform: opts.platform }),
        signal: ctx.signal,
        ...(opts.allowRollback && { allowRollback: true }),
      });
      if (trust.kind === 'notary') {
        const t = trust.target;
        const policy = trust.decision && decisionJson(trust.decision);
        if (opts.format === 'json') {
          println(
            ctx.io,
            JSON.stringify(
              {
                Repository: repositoryOf(ref),
                Tag: ref.tag,
                Digest: t.digest,
                Size: t.size,
                Store: 'notary',
                Role: t.role,
                Server: t.server,
                Verified: true,
                ...(policy && { Policy: policy }),
              },
              null,
              2,
            ),
          );
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
      if (opts.format === 'pretty') for (const d of report.digests) println(ctx.io, digestLine(report, d));
    });
}
