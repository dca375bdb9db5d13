import type { NotaryPublishOutcome, SignOutcome } from '../app/index.ts';
import type { Io } from './io.ts';
import type { Status } from './status.ts';

/**
 * Reports a signing as docker's trusted push does (cli/trust/trust_push.go): `Finished initializing "REPO"` for a
 * new Notary repository, then `Successfully signed REPO:TAG`; registry signatures name their key, and without -q
 * the signed digests and Notary roles follow, one per line.
 */
export function reportSigned(
  io: Io,
  step: Status,
  quiet: boolean,
  outcome: { readonly reference: string; readonly registry?: SignOutcome | undefined; readonly notary?: NotaryPublishOutcome | undefined },
): void {
  const { registry, notary } = outcome;
  if (notary?.initialized) step.succeed(`Finished initializing "${notary.gun}"`);
  if (registry) {
    if (registry.key.created)
      step.succeed(`Generated signing key "${registry.key.name}" (${registry.key.id.slice(0, 12)}), trusted for ${outcome.reference.replace(/:[^:/]*$/, '')}`);
    step.succeed(`Successfully signed ${registry.reference} with key "${registry.key.name}" (${registry.key.id.slice(0, 12)})`);
  } else if (notary) {
    step.succeed(`Successfully signed ${outcome.reference}`);
  }
  for (const w of registry?.warnings ?? []) io.stderr.write(`warning: ${w}\n`);
  if (quiet) return;
  for (const d of registry?.signed ?? []) io.stdout.write(`  ${d.kind}: ${d.digest}${d.stored === 'present' ? ' (already signed)' : ''}\n`);
  if (notary) io.stdout.write(`  notary: ${notary.roles.join(', ')} on ${notary.server}\n`);
}
