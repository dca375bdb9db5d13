import type { Command } from 'commander';
import { addSigner, removeSigner, type TrustStore } from '../../app/index.ts';
import { UsageError } from '../../shared/errors.ts';
import type { CliContext } from '../context.ts';
import { println } from '../io.ts';
import { checkName } from './key.ts';
import { collect, storeOption } from '../options.ts';

const STORE_HELP = 'registry (the trust policy), notary (targets/NAME and targets/releases delegations) or both';

/** `docker trustext signer add|remove`: who must sign which repositories, as `docker trust signer` does. */
export function registerSigner(program: Command, ctx: CliContext): void {
  const signer = program.command('signer').description('Manage the signers required for repositories');
  signer
    .command('add')
    .description('Trust a signer’s public key(s) and require the signer for the repositories')
    .argument('<name>', 'the signer’s name', checkName)
    .argument('<repository...>')
    .option('--key <file>', 'the signer’s public key (SPKI PEM; repeatable)', collect, [])
    .addOption(storeOption(STORE_HELP))
    .action(async (name: string, repos: string[], opts: { key: string[]; store?: TrustStore }) => {
      if (opts.key.length === 0) throw new UsageError('path to a public key must be provided using the `--key` flag');
      const r = await addSigner(await ctx.session(), name, opts.key, repos, { ...(opts.store && { store: opts.store }), signal: ctx.signal });
      for (const n of r.notary) if (n.initialized) println(ctx.io, `Initializing signed repository for ${n.gun}...`);
      for (const repo of r.repositories) println(ctx.io, `Adding signer "${name}" to ${repo}...`);
      println(ctx.io, `Successfully added signer: ${name} to ${r.repositories.join(', ')}`);
    });
  signer
    .command('remove')
    .description('Stop requiring a signer for the repositories')
    .argument('<name>')
    .argument('<repository...>')
    .option('-f, --force', 'also remove the last signer of a repository (its rule goes with it)')
    .addOption(storeOption(STORE_HELP))
    .action(async (name: string, repos: string[], opts: { force?: boolean; store?: TrustStore }) => {
      const done = await removeSigner(await ctx.session(), name, repos, Boolean(opts.force), { ...(opts.store && { store: opts.store }), signal: ctx.signal });
      for (const repo of done) println(ctx.io, `Successfully removed ${name} from ${repo}`);
    });
}
