import type { Command } from 'commander';
import { pullImage, type TrustStore } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';
import { progressPrinter } from '../progress.ts';
import { storeOption } from '../options.ts';

/** `docker trustext pull`: docker pull, verified first when DOCKER_CONTENT_TRUST is on. */
export function registerPull(program: Command, ctx: CliContext): void {
  program
    .command('pull')
    .description('Download an image from a registry, verified first when content trust is on')
    .argument('<image>', 'NAME[:TAG|@DIGEST]')
    .option('--disable-content-trust', 'skip image verification (default: on unless DOCKER_CONTENT_TRUST is on)')
    .option('--platform <platform>', 'set platform if server is multi-platform capable')
    .addOption(storeOption('trust data'))
    .option('--allow-rollback', 'accept a tag that moved back to a digest signed before the one it last pointed to')
    .option('-q, --quiet', 'suppress verbose output')
    .action(async (image: string, opts: { disableContentTrust?: boolean; platform?: string; store?: TrustStore; allowRollback?: boolean; quiet?: boolean }) => {
      const quiet = Boolean(opts.quiet);
      const progress = progressPrinter(ctx.io.stdout, quiet);
      const outcome = await pullImage(await ctx.session(), {
        image,
        disableContentTrust: Boolean(opts.disableContentTrust),
        ...(opts.platform && { platform: opts.platform }),
        ...(opts.allowRollback && { allowRollback: true }),
        onProgress: progress.listener,
        // DCT's trustedPull prints this before pulling by digest (cli/command/image/trust.go).
        ...(opts.store && { store: opts.store }),
        onVerified: (pullRef, warnings) => {
          for (const w of warnings) eprintln(ctx.io, `warning: ${w}`);
          if (!quiet) println(ctx.io, `Pull (1 of 1): ${pullRef}`);
        },
        signal: ctx.signal,
      });
      progress.done();
      if (outcome.tagged && !quiet) eprintln(ctx.io, `Tagging ${outcome.tagged.source} as ${outcome.tagged.target}`);
      println(ctx.io, outcome.reference);
    });
}
