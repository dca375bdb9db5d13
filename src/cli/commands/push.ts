import type { Command } from 'commander';
import { pushImage, type TrustStore } from '../../app/index.ts';
import { reportSigned } from '../signed-output.ts';
import type { CliContext } from '../context.ts';
import { progressPrinter } from '../progress.ts';
import { status } from '../status.ts';
import { claimOption, expiresOption, forceOption, storeOption } from '../options.ts';

/** `docker trustext push`: docker push, signed when DOCKER_CONTENT_TRUST is on (or with --sign). */
export function registerPush(program: Command, ctx: CliContext): void {
  program
    .command('push')
    .description('Push an image to a registry, signed when content trust is on')
    .argument('<image>', 'NAME[:TAG]')
    .option('--disable-content-trust', 'skip image signing (default: on unless DOCKER_CONTENT_TRUST is on)')
    .option('--sign', 'sign even when content trust is off')
    .option('--key <name>', `signing key (default: "default", created on the first signed push)`)
    .addOption(claimOption())
    .addOption(expiresOption())
    .addOption(storeOption('where signatures go'))
    .addOption(forceOption())
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
