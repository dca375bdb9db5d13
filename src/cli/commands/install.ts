import type { Command } from 'commander';
import { installPlugin, uninstallPlugin } from '../../app/index.ts';
import { VERSION } from '../../shared/product.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';

/** `install` and `uninstall`: put the running binary where the docker CLI finds plugins, or take it away. */
export function registerInstall(program: Command, ctx: CliContext): void {
  program
    .command('install')
    .description('Install this binary as the docker CLI plugin (docker trustext) in $DOCKER_CONFIG/cli-plugins')
    .option('--system', 'install for all users in /usr/local/lib/docker/cli-plugins')
    .action(async (opts: { system?: boolean }) => {
      const result = await installPlugin(await ctx.session(), Boolean(opts.system));
      println(
        ctx.io,
        result.changed ? `Installed docker-trustext ${VERSION} as ${result.path}` : `docker-trustext ${VERSION} is already installed as ${result.path}`,
      );
      if (result.shadowedBy) eprintln(ctx.io, `warning: the docker CLI will run ${result.shadowedBy} instead, which comes first in its plugin search order`);
    });
  program
    .command('uninstall')
    .description('Remove the docker CLI plugin installed by install')
    .option('--system', 'remove the copy in /usr/local/lib/docker/cli-plugins')
    .action(async (opts: { system?: boolean }) => {
      const result = await uninstallPlugin(await ctx.session(), Boolean(opts.system));
      println(ctx.io, result.changed ? `Removed ${result.path}` : `docker-trustext is not installed as ${result.path}`);
      if (result.shadowedBy) eprintln(ctx.io, `note: the docker CLI still finds ${result.shadowedBy}`);
    });
}
