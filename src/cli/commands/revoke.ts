import type { Command } from 'commander';
import { parseImageArgument, revokeSignatures } from '../../app/index.ts';
import { confirm } from '../confirm.ts';
import type { CliContext } from '../context.ts';
import { println } from '../io.ts';

/** `docker trustext revoke [-y] IMAGE[:TAG]`: remove our signatures for a tag, as `docker trust revoke` does. */
export function registerRevoke(program: Command, ctx: CliContext): void {
  program
    .command('revoke')
    .description('Remove your signatures for a tag from the registry; a trusted pull of it then fails')
    .argument('<image>', 'NAME[:TAG]')
    .option('-y, --yes', 'do not prompt for confirmation')
    .action(async (image: string, opts: { yes?: boolean }) => {
      const ref = parseImageArgument(image);
      if (!opts.yes && !(await confirm(ctx.io, `Please confirm you would like to delete all signature data for ${image}?`))) {
        println(ctx.io, '\nAborting action.');
        return;
      }
      const outcome = await revokeSignatures(await ctx.session(), ref, ctx.signal);
      const removed = outcome.digests.reduce((n, d) => n + d.removed, 0);
      if (removed === 0) {
        println(ctx.io, `No signature of yours for ${outcome.reference} was found`);
        return;
      }
      for (const d of outcome.digests) if (d.removed) println(ctx.io, `  ${d.digest}: removed ${d.removed}, kept ${d.kept} by other signers`);
      println(ctx.io, `Successfully deleted signature for ${outcome.reference}`);
    });
}
