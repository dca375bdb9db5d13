import type { Command } from 'commander';
import { inspectTrust, parseImageArgument, parseReference, type RepositoryInspection, type TrustStore } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { println } from '../io.ts';
import { storeOption } from '../options.ts';

/** docker trust inspect's JSON: Name is the argument as given, Digest the hex without "sha256:", AdministrativeKeys (Notary's) empty for registry signatures. */
function asJson(r: RepositoryInspection, name: string): object {
  return {
    Name: name,
    SignedTags: r.signedTags.map((t) => ({ SignedTag: t.tag, Digest: t.digest.replace(/^sha256:/, ''), Signers: t.signers })),
    Signers: r.signers.map((s) => ({ Name: s.name, Keys: s.keys.map((k) => ({ ID: k.id })) })),
    AdministrativeKeys: (r.administrativeKeys ?? []).map((s) => ({ Name: s.name, Keys: s.keys.map((k) => ({ ID: k.id })) })),
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')).join('\n');
}

function pretty(r: RepositoryInspection): string {
  const tags = r.signedTags.length
    ? table([
        ['SIGNED TAG', 'DIGEST', 'SIGNERS'],
        ...r.signedTags.map((t) => [t.tag, t.digest.replace(/^sha256:/, ''), t.signers.map((s) => (s === 'Repo Admin' ? '(Repo Admin)' : s)).join(', ')]),
      ])
    : `No signatures for ${r.name}`;
  const signers = r.signers.length
    ? table([['SIGNER', 'KEYS'], ...r.signers.map((s) => [s.name, s.keys.map((k) => k.id.slice(0, 12)).join(', ')])])
    : 'No keys are trusted for it';
  const admin = (r.administrativeKeys ?? []).map((a) => `  ${a.name === 'Root' ? 'Root' : 'Repository'} Key:\t${a.keys.map((k) => k.id).join(', ')}`);
  const keys = admin.length ? `\n\nAdministrative keys for ${r.name}\n\n${[...admin].reverse().join('\n')}` : '';
  return `\nSignatures for ${r.name}\n\n${tags}\n\nList of signers and their keys for ${r.name}\n\n${signers}${keys}\n`;
}

/** `docker trustext inspect [--pretty] IMAGE[:TAG]...`: JSON by default, like docker trust inspect. */
export function registerInspect(program: Command, ctx: CliContext): void {
  program
    .command('inspect')
    .description('Show the signed tags of repositories and who signed them (JSON, or --pretty)')
    .argument('<image...>', 'NAME[:TAG]')
    .option('--pretty', 'print the information in a human friendly format')
    .addOption(storeOption('registry signatures, notary trust data, or both'))
    .action(async (images: string[], opts: { pretty?: boolean; store?: TrustStore }) => {
      const session = await ctx.session();
      const results: RepositoryInspection[] = [];
      for (const image of images) {
        // No tag means every signed tag of the repository.
        const parsed = parseReference(image);
        const ref = parsed.tag === undefined && parsed.digest === undefined ? parsed : parseImageArgument(image);
        results.push(await inspectTrust(session, ref, opts.store, ctx.signal));
      }
      if (opts.pretty) for (const r of results) println(ctx.io, pretty(r));
      else
        println(
          ctx.io,
          JSON.stringify(
            results.map((r, i) => asJson(r, images[i]!)),
            null,
            4,
          ),
        );
    });
}
