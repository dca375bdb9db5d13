import type { Command } from 'commander';
import { parseImageArgument, parseReference, revokeTrust, type TrustStore } from '../../app/index.ts';
import { confirm } from '../confirm.ts';
import type { CliContext } from '../context.ts';
import { println } from '../io.ts';
import { storeOption } from '../options.ts';

/** `docker trustext revoke [-y] IMAGE[:TAG]`: remove our signatures for a tag (or every tag), as `docker trust revoke` does. */
export function registerRevoke(program: Command, ctx: CliContext): void {
  program
    .command('revoke')
    .description('Remove your signatures for a tag (registry and/or Notary); a trusted pull of it then fails')
    .argument('<image>', 'NAME[:TAG] (without a tag: every signed tag)')
    .option('-y, --yes', 'do not prompt for confirmation')
    .addOption(storeOption('registry signatures, notary trust data, or both'))
    .action(async (image: string, opts: { yes?: boolean; store?: TrustStore }) => {
      const parsed = parseReference(image);
      // Without a tag: every signed tag of the repository, as docker trust revoke does.
      const ref = parsed.tag === undefined && parsed.digest === undefined ? parsed : parseImageArgument(image);
      if (!opts.yes && !(await confirm(ctx.io, `Please confirm you would like to delete all signature data for ${image}?`))) {
        println(ctx.io, '\nAborting action.');
        return;
      }
      const outcome = await revokeTrust(await ctx.session(), ref, opts.store, ctx.signal);
      const removed = outcome.digests.reduce((n, d) => n + d.removed, 0);
      if (outcome.notary) println(ctx.io, `  notary: removed from ${outcome.notary.roles.join(', ')} on ${outcome.notary.server}`);
      if (removed === 0 && !outcome.notary) {
        println(ctx.io, `No signature of yours for ${outcome.reference} was found`);
        return;
      }
      for (const d of outcome.digests) if (d.removed) println(ctx.io, `  ${d.digest}: removed ${d.removed}, kept ${d.kept} by other signers`);
      println(ctx.io, `Successfully deleted signature for ${outcome.reference}`);
    });
}
