import type { Command } from 'commander';
import { migrateRepository, parseReference } from '../../app/index.ts';
import { VerificationError } from '../../shared/errors.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';

/** `docker trustext migrate`: move a repository's DCT (Notary) signatures into registry signatures. */
export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('Verify a repository’s Notary trust data and sign every verified tag in the registry (off Notary before it shuts down)')
    .argument('<repository>', 'NAME[:TAG]')
    .option('--all-tags', 'every tag in the Notary trust data')
    .option('--key <name>', 'signing key (default: "default")')
    .action(async (repository: string, opts: { allTags?: boolean; key?: string }) => {
      const r = await migrateRepository(await ctx.session(), parseReference(repository), {
        allTags: Boolean(opts.allTags),
        ...(opts.key !== undefined && { keyName: opts.key }),
        signal: ctx.signal,
      });
      for (const m of r.moved) println(ctx.io, `Migrated ${r.repository}:${m.tag} ${m.digest} (from ${m.role}) → signed with key "${m.signed.key.name}"`);
      for (const f of r.failed) eprintln(ctx.io, `Not migrated ${r.repository}:${f.tag}: ${f.reason}`);
      for (const s of r.skipped) eprintln(ctx.io, `Skipped delegation ${s}: it did not verify`);
      println(ctx.io, `${r.moved.length} tag(s) migrated from ${r.server}, ${r.failed.length} not`);
      if (r.failed.length) throw new VerificationError('NO_VALID_SIGNATURE', `${r.failed.length} tag(s) of ${r.repository} could not be migrated`);
    });
}
