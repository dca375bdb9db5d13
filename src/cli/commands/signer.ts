import type { Command } from 'commander';
import { addSigner, removeSigner } from '../../app/index.ts';
import { UsageError } from '../../shared/errors.ts';
import type { CliContext } from '../context.ts';
import { println } from '../io.ts';
import { checkName } from './key.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

/** `docker trustext signer add|remove`: who must sign which repositories, as `docker trust signer` does. */
export function registerSigner(program: Command, ctx: CliContext): void {
  const signer = program.command('signer').description('Manage the signers required for repositories');
  signer.command('add').description('Trust a signer’s public key(s) and require the signer for the repositories')
    .argument('<name>').argument('<repository...>')
    .option('--key <file>', 'the signer’s public key (SPKI PEM; repeatable)', collect, [])
    .action(async (name: string, repos: string[], opts: { key: string[] }) => {
      if (opts.key.length === 0) throw new UsageError('path to a public key must be provided using the `--key` flag');
      const r = await addSigner(await ctx.session(), checkName(name), opts.key, repos);
      for (const repo of r.repositories) println(ctx.io, `Adding signer "${name}" to ${repo}...`);
      println(ctx.io, `Successfully added signer: ${name} to ${r.repositories.join(', ')}`);
    });
  signer.command('remove').description('Stop requiring a signer for the repositories').argument('<name>').argument('<repository...>')
    .option('-f, --force', 'also remove the last signer of a repository (its rule goes with it)')
    .action(async (name: string, repos: string[], opts: { force?: boolean }) => {
      const done = await removeSigner(await ctx.session(), name, repos, Boolean(opts.force));
      for (const repo of done) println(ctx.io, `Successfully removed ${name} from ${repo}`);
    });
}
