import type { Command } from 'commander';
import { exportPublicKey, importPublicKey } from '../../app/index.ts';
import { UsageError } from '../../shared/errors.ts';
import type { CliContext } from '../context.ts';
import { eprintln } from '../io.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

/** `docker trustext key …`: export our public keys, trust other people's. */
export function registerKey(program: Command, ctx: CliContext): void {
  const key = program.command('key').description('Manage signing keys');
  key
    .command('export')
    .description('Print a key as SPKI PEM (the format cosign, podman and Kyverno take)')
    .argument('<name>', 'key name')
    .requiredOption('--public', 'export the public key')
    .action(async (name: string) => {
      ctx.io.stdout.write(await exportPublicKey(await ctx.session(), name));
    });
  key
    .command('import')
    .description('Trust a public key (SPKI PEM: Ed25519 or ECDSA P-256, e.g. cosign.pub)')
    .argument('<file>', 'PEM file')
    .requiredOption('--public', 'import a public key')
    .requiredOption('--name <name>', 'name for the key')
    .option('--scope <glob>', 'repositories it is trusted for, e.g. registry.example/team/* (repeatable; default: all)', collect, [])
    .action(async (file: string, opts: { name: string; scope: string[] }) => {
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(opts.name)) throw new UsageError(`invalid key name "${opts.name}": use lower-case letters, digits, - and _`);
      const info = await importPublicKey(await ctx.session(), file, opts.name, opts.scope);
      eprintln(ctx.io, `Imported ${info.type} public key "${info.name}" (${info.id.slice(0, 12)}), trusted for ${info.scopes.join(', ')}`);
    });
}
