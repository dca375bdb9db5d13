import type { Command } from 'commander';
import { signExisting, type TrustStore } from '../../app/index.ts';
import { reportSigned } from '../signed-output.ts';
import type { CliContext } from '../context.ts';
import { status } from '../status.ts';
import { claimOption, expiresOption, forceOption, storeOption } from '../options.ts';

/** `docker trustext sign IMAGE:TAG`: sign an image already in the registry (an index and all its platforms). */
export function registerSign(program: Command, ctx: CliContext): void {
  program
    .command('sign')
    .description('Sign an image already in the registry (for an index: the index and every platform manifest)')
    .argument('<image>', 'NAME:TAG')
    .option('--key <name>', 'signing key (default: "default", created on first use)')
    .addOption(claimOption())
    .addOption(expiresOption())
    .addOption(storeOption('where signatures go'))
    .addOption(forceOption())
    .option('-q, --quiet', 'print nothing but errors')
    .action(
      async (
        image: string,
        opts: { key?: string; annotation: Record<string, string>; expires?: Date; store?: TrustStore; force?: boolean; quiet?: boolean },
      ) => {
        const step = await status(ctx.io, Boolean(opts.quiet));
        step.start('Signing and pushing trust metadata');
        try {
          const s = await signExisting(await ctx.session(), image, {
            claims: opts.annotation,
            ...(opts.key !== undefined && { keyName: opts.key }),
            ...(opts.expires && { expiresAt: opts.expires }),
            ...(opts.store && { store: opts.store }),
            ...(opts.force && { force: true }),
            signal: ctx.signal,
          });
          reportSigned(ctx.io, step, Boolean(opts.quiet), s);
        } catch (err) {
          step.fail();
          throw err;
        }
      },
    );
}
