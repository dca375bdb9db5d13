import type { Command } from 'commander';
import { signExisting, type TrustStore } from '../../app/index.ts';
import { reportSigned } from '../signed-output.ts';
import type { CliContext } from '../context.ts';
import { status } from '../status.ts';
import { collectClaim, expiresOption } from './push.ts';
import { storeOption } from '../options.ts';

/** `docker trustext sign IMAGE:TAG`: sign an image already in the registry (an index and all its platforms). */
export function registerSign(program: Command, ctx: CliContext): void {
  program
    .command('sign')
    .description('Sign an image already in the registry (for an index: the index and every platform manifest)')
    .argument('<image>', 'NAME:TAG')
    .option('--key <name>', 'signing key (default: "default", created on first use)')
    .option('-a, --annotation <key=value>', 'claim to put in the signature payload (repeatable)', collectClaim, {})
    .option('--expires <duration>', 'signatures stop verifying after this long (e.g. 720h, 30d)', expiresOption)
    .addOption(storeOption('where signatures go'))
    .option('--force', 'replace a signature manifest that cannot be read or merged (the signatures in it are lost)')
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
