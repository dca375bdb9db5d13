import { type Command, Option } from 'commander';
import { exportCosignKey, exportPublicKey, generateKey, importPublicKey, loadKey, revokeKey, rotateKey, type KeyInfo } from '../../app/index.ts';
import { UsageError } from '../../shared/errors.ts';
import { isValidName } from '../../shared/names.ts';
import type { CliContext } from '../context.ts';
import { collect } from '../options.ts';
import { println } from '../io.ts';

/** docker's key and signer name rule (shared/names.ts), with docker's message (cli/command/trust/key_generate.go). */
export function checkName(name: string): string {
  if (!isValidName(name))
    throw new UsageError(`key name "${name}" must start with lowercase alphanumeric characters and can include "-" or "_" after the first character`);
  return name;
}
const short = (k: KeyInfo) => k.id.slice(0, 12);

/** `docker trustext key …`: generate, list, load/import, export, rotate and revoke signing keys. */
export function registerKey(program: Command, ctx: CliContext): void {
  const key = program.command('key').description('Manage signing keys');
  key
    .command('generate')
    .description('Generate an Ed25519 signing key and write NAME.pub')
    .argument('<name>', 'the key’s name', checkName)
    .option('--dir <dir>', 'directory for the public key file', '.')
    .action(async (name: string, opts: { dir: string }) => {
      const { key: k, publicFile } = await generateKey(await ctx.session(), name, opts.dir);
      println(ctx.io, `Successfully generated and loaded private key "${k.name}" (${short(k)}). Corresponding public key available: ${publicFile}`);
    });
  key
    .command('list')
    .description('List the keys in the store')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts: { format: string }) => {
      const keys = await (await ctx.session()).keyStore().then((s) => s.list());
      if (opts.format === 'json') return println(ctx.io, JSON.stringify(keys, null, 2));
      const rows = [
        ['NAME', 'ID', 'TYPE', 'SCOPES', 'CREATED', 'STATUS'],
        ...keys.map((k) => [
          k.name,
          short(k),
          k.type,
          k.scopes.join(',') || '-',
          k.created.slice(0, 19),
          k.revoked ? 'revoked' : k.private ? 'signing' : 'trusted',
        ]),
      ];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows)
        println(
          ctx.io,
          r
            .map((c, i) => c.padEnd(widths[i]! + 3))
            .join('')
            .trimEnd(),
        );
    });
  key
    .command('load')
    .description('Load a private key file (PEM, DCT/notary or cosign format) into the store')
    .argument('<file>')
    .option('--name <name>', 'name for the key', checkName, 'signer')
    .action(async (file: string, opts: { name: string }) => {
      const k = await loadKey(await ctx.session(), file, opts.name);
      println(ctx.io, `Successfully imported key "${k.name}" (${k.type}, ${short(k)})`);
    });
  key
    .command('import')
    .description('Import a cosign private key, or with --public trust someone else’s public key')
    .argument('<file>')
    .option('--public', 'import a public key (SPKI PEM: Ed25519 or ECDSA P-256, e.g. cosign.pub)')
    .option('--name <name>', 'name for the key')
    .option('--scope <glob>', 'with --public: repositories it is trusted for (repeatable; default: all)', collect, [])
    .action(async (file: string, opts: { public?: boolean; name?: string; scope: string[] }) => {
      if (opts.public && !opts.name) throw new UsageError('--name is required with --public');
      const name = checkName(opts.name ?? 'cosign');
      const session = await ctx.session();
      const k = opts.public ? await importPublicKey(session, file, name, opts.scope) : await loadKey(session, file, name);
      println(
        ctx.io,
        `Imported ${k.type} ${opts.public ? 'public' : 'signing'} key "${k.name}" (${short(k)})${k.scopes.length ? `, trusted for ${k.scopes.join(', ')}` : ''}`,
      );
    });
  key
    .command('export')
    .description('Print a key: --public as SPKI PEM, --cosign as cosign’s encrypted private key')
    .argument('<name>')
    .addOption(new Option('--public', 'the public key').conflicts('cosign'))
    .option('--cosign', 'the private key in cosign’s format (COSIGN_PASSWORD)')
    .action(async (name: string, opts: { public?: boolean; cosign?: boolean }) => {
      if (!opts.public && !opts.cosign) throw new UsageError('key export needs one of --public and --cosign');
      const session = await ctx.session();
      ctx.io.stdout.write(opts.public ? await exportPublicKey(session, name) : await exportCosignKey(session, name));
    });
  key
    .command('rotate')
    .description('Replace a key: new key, same name and scopes; re-sign what the old one signed; revoke the old')
    .argument('<name>')
    .action(async (name: string) => {
      const r = await rotateKey(await ctx.session(), name, new Date(), ctx.signal);
      for (const s of r.resigned) println(ctx.io, `  re-signed ${s}`);
      println(ctx.io, `Rotated key "${name}": ${short(r.old)} is now retired as "${r.old.name}" and revoked; new key ${short(r.current)}`);
    });
  key
    .command('revoke')
    .description('Revoke a key: its signatures stop verifying wherever this store and policy apply')
    .argument('<name>')
    .action(async (name: string) => {
      const k = await revokeKey(await ctx.session(), name);
      println(ctx.io, `Revoked key "${k.name}" (${short(k)})`);
    });
}
