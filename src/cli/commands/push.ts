import type { Command } from 'commander';
import { pushImage } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { progressPrinter } from '../progress.ts';

/** `docker trustext push`: docker push, with content trust as DOCKER_CONTENT_TRUST says. */
export function registerPush(program: Command, ctx: CliContext): void {
  program
    .command('push')
    .description('Push an image to a registry (signed when content trust is on)')
    .argument('<image>', 'NAME[:TAG]')
    .option('--disable-content-trust', 'skip image signing (default: on unless DOCKER_CONTENT_TRUST is on)')
    .option('-q, --quiet', 'suppress verbose output')
    .action(async (image: string, opts: { disableContentTrust?: boolean; quiet?: boolean }) => {
      const progress = progressPrinter(ctx.io.stdout, Boolean(opts.quiet));
      await pushImage(await ctx.session(), {
        image,
        disableContentTrust: Boolean(opts.disableContentTrust),
        onProgress: progress.listener,
        signal: ctx.signal,
      });
      progress.done();
    });
}
