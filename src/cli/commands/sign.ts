import type { Command } from 'commander';
import { signExisting } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { status } from '../status.ts';
import { collectClaim, expiresOption } from './push.ts';

/** `docker trustext sign IMAGE:TAG`: sign an image already in the registry (an index and all its platforms). */
export function registerSign(program: Command, ctx: CliContext): void {
  program
    .command('sign')
    .description('Sign an image already in the registry (for an index: the index and every platform manifest)')
    .argument('<image>', 'NAME:TAG')
    .option('--key <name>', 'signing key (default: "default", created on first use)')
    .option('-a, --annotation <key=value>', 'claim to put in the signature payload (repeatable)', collectClaim, {})
    .option('--expires <duration>', 'signatures stop verifying after this long (e.g. 720h, 30d)', expiresOption)
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (image: string, opts: { key?: string; annotation: Record<string, string>; expires?: Date; quiet?: boolean }) => {
      const step = await status(ctx.io, Boolean(opts.quiet));
      step.start('Signing and pushing trust metadata');
      try {
        const s = await signExisting(await ctx.session(), image, {
          claims: opts.annotation, ...(opts.key !== undefined && { keyName: opts.key }), ...(opts.expires && { expiresAt: opts.expires }), signal: ctx.signal,
        });
        step.succeed(`Successfully signed ${s.reference} with key "${s.key.name}" (${s.key.id.slice(0, 12)})`);
        if (!opts.quiet) for (const d of s.signed) ctx.io.stdout.write(`  ${d.kind}: ${d.digest}${d.stored === 'present' ? ' (already signed)' : ''}\n`);
      } catch (err) {
        step.fail();
        throw err;
      }
    });
}
