import type { Command } from 'commander';
import { pullImage } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { println } from '../io.ts';
import { progressPrinter } from '../progress.ts';

/** `docker trustext pull`: docker pull, with content trust as DOCKER_CONTENT_TRUST says. */
export function registerPull(program: Command, ctx: CliContext): void {
  program
    .command('pull')
    .description('Download an image from a registry (verified when content trust is on)')
    .argument('<image>', 'NAME[:TAG|@DIGEST]')
    .option('--disable-content-trust', 'skip image verification (default: on unless DOCKER_CONTENT_TRUST is on)')
    .option('--platform <platform>', 'set platform if server is multi-platform capable')
    .option('-q, --quiet', 'suppress verbose output')
    .action(async (image: string, opts: { disableContentTrust?: boolean; platform?: string; quiet?: boolean }) => {
      const progress = progressPrinter(ctx.io.stdout, Boolean(opts.quiet));
      const outcome = await pullImage(await ctx.session(), {
        image,
        disableContentTrust: Boolean(opts.disableContentTrust),
        ...(opts.platform && { platform: opts.platform }),
        onProgress: progress.listener,
        signal: ctx.signal,
      });
      progress.done();
      println(ctx.io, outcome.reference);
    });
}
