import type { Command } from 'commander';
import { pushImage, type TrustStore } from '../../app/index.ts';
import { reportSigned } from '../signed-output.ts';
import { parseDuration } from '../../shared/duration.ts';
import { UsageError } from '../../shared/errors.ts';
import type { CliContext } from '../context.ts';
import { progressPrinter } from '../progress.ts';
import { status } from '../status.ts';
import { storeOption } from '../options.ts';

/** Collects repeated `-a KEY=VALUE` claims. */
export function collectClaim(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid claim "${value}": expected KEY=VALUE`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Parses --expires DURATION into the moment the signatures expire. */
export function expiresOption(value: string): Date {
  const ms = parseDuration(value);
  const at = ms === undefined ? undefined : new Date(Date.now() + ms);
  // A duration past Go's limit, or a moment past what a date can hold, would write a signature that never verifies.
  if (at === undefined || Number.isNaN(at.getTime()))
    throw new UsageError(`invalid --expires "${value}": use a duration such as 720h, 30d or 1h30m (at most 292 years)`);
  return at;
}

/** `docker trustext push`: docker push, signed when DOCKER_CONTENT_TRUST is on (or with --sign). */
export function registerPush(program: Command, ctx: CliContext): void {
  program
    .command('push')
    .description('Push an image to a registry, signed when content trust is on')
    .argument('<image>', 'NAME[:TAG]')
    .option('--disable-content-trust', 'skip image signing (default: on unless DOCKER_CONTENT_TRUST is on)')
    .option('--sign', 'sign even when content trust is off')
    .option('--key <name>', `signing key (default: "default", created on the first signed push)`)
    .option('-a, --annotation <key=value>', 'claim to put in the signature payload (repeatable)', collectClaim, {})
    .option('--expires <duration>', 'signatures stop verifying after this long (e.g. 720h, 30d)', expiresOption)
    .addOption(storeOption('where signatures go'))
    .option('--force', 'replace a signature manifest that cannot be read or merged (the signatures in it are lost)')
    .option('-q, --quiet', 'suppress verbose output')
    .action(
      async (
        image: string,
        opts: {
          disableContentTrust?: boolean;
          sign?: boolean;
          key?: string;
          annotation: Record<string, string>;
          expires?: Date;
          store?: TrustStore;
          force?: boolean;
          quiet?: boolean;
        },
      ) => {
        const quiet = Boolean(opts.quiet);
        const progress = progressPrinter(ctx.io.stdout, quiet);
        const step = await status(ctx.io, quiet);
        try {
          const outcome = await pushImage(await ctx.session(), {
            image,
            disableContentTrust: Boolean(opts.disableContentTrust),
            sign: Boolean(opts.sign),
            claims: opts.annotation,
            ...(opts.expires && { expiresAt: opts.expires }),
            ...(opts.key !== undefined && { keyName: opts.key }),
            ...(opts.store && { store: opts.store }),
            ...(opts.force && { force: true }),
            onProgress: progress.listener,
            onSigning: () => {
              progress.done();
              step.start('Signing and pushing trust metadata');
            },
            signal: ctx.signal,
          });
          if (outcome.signed || outcome.notary)
            reportSigned(ctx.io, step, quiet, { reference: outcome.reference, registry: outcome.signed, notary: outcome.notary });
        } catch (err) {
          step.fail();
          throw err;
        }
      },
    );
}
