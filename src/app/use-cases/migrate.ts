import { familiarName, repositoryName, type Reference } from '../../reference/index.ts';
import { UsageError } from '../../shared/errors.ts';
import { notaryTargets } from '../stores/notary/index.ts';
import type { Session } from '../session/index.ts';
import { signImage, type SignOutcome } from '../stores/registry/index.ts';
import { prepareSigningKey } from '../stores/registry/index.ts';

/** What migrate did per tag: moved (signed in the registry), or why it could not be. */
export interface MigrateOutcome {
  readonly repository: string;
  readonly server: string;
  readonly moved: readonly { readonly tag: string; readonly digest: string; readonly role: string; readonly signed: SignOutcome }[];
  readonly failed: readonly { readonly tag: string; readonly reason: string }[];
  /** Delegations that did not verify and were left out (their tags, if only there, are not migrated). */
  readonly skipped: readonly string[];
}

/**
 * `migrate [--all-tags] REPOSITORY[:TAG]`: verifies the repository's Notary trust data (as a trusted pull does) and,
 * for each verified tag whose digest the registry still serves, writes a registry signature with our key, so the
 * repository verifies from the registry alone once the Notary server is gone.
 */
export async function migrateRepository(
  session: Session,
  ref: Reference,
  opts: { allTags: boolean; keyName?: string; signal?: AbortSignal },
): Promise<MigrateOutcome> {
  if (ref.digest !== undefined) throw new UsageError(`migrate takes REPOSITORY[:TAG], not a digest`);
  if (!opts.allTags && ref.tag === undefined) throw new UsageError(`migrate needs a tag, or --all-tags for every tag of ${familiarName(ref)}`);
  const repository = repositoryName(ref);
  const { server, targets, skipped } = await notaryTargets(session, ref, opts.signal);
  const wanted = opts.allTags ? [...targets.keys()] : [ref.tag!];
  const key = await prepareSigningKey(session, repository, opts.keyName);
  const moved: { tag: string; digest: string; role: string; signed: SignOutcome }[] = [];
  const failed: { tag: string; reason: string }[] = [];
  for (const tag of wanted) {
    const target = targets.get(tag);
    if (!target) {
      failed.push({ tag, reason: 'not in the verified Notary trust data (targets/releases or targets)' });
      continue;
    }
    try {
      // signImage re-reads the manifest and refuses when the registry serves another digest than Notary signed.
      const signed = await signImage(session, {
        ref: { ...ref, tag } as Reference & { tag: string },
        expectedDigest: target.digest,
        key,
        claims: { 'migrated-from': 'notary' },
        now: new Date(),
        ...(opts.signal && { signal: opts.signal }),
      });
      moved.push({ tag, digest: target.digest, role: target.role, signed });
    } catch (err) {
      failed.push({ tag, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { repository, server, moved, failed, skipped };
}
