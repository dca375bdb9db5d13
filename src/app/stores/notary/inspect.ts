import { RELEASES_ROLE, type VerifiedRepository } from '../../../notary/tuf/index.ts';
import type { Reference } from '../../../reference/index.ts';
import type { RepositoryInspection } from '../registry/index.ts';
import { fetchVerified } from '../../../notary/client/index.ts';
import { notaryContext } from './trust.ts';
import type { Session } from '../../session/index.ts';

/** docker's name for signatures by `targets` or `targets/releases` alone. */
const REPO_ADMIN = 'Repo Admin';

const released = (role: string) => role === 'targets' || role === RELEASES_ROLE;
const signerOf = (role: string) => role.replace(/^targets\//, '');
/** Tags in docker's order: natural (numeric-aware) order. */
export const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/**
 * `docker trust inspect` over verified Notary trust data, as docker CLI 28 builds it (cli/command/trust/inspect.go
 * `getRepoTrustInfo`, common.go `matchReleasedSignatures`): tags signed into `targets` or `targets/releases`, each
 * with the delegations that signed the same digest (`Repo Admin` when none did); signers are the delegations other
 * than releases with their key ids; administrative keys are root's (as root.json lists them) and targets'.
 */
export async function inspectNotary(session: Session, ref: Reference, signal?: AbortSignal): Promise<RepositoryInspection> {
  const repo = await fetchVerified(notaryContext(session, ref), signal);
  return inspection(repo, ref.tag);
}

/** The inspection of a verified repository, for one tag or (tag undefined) all of them. */
export function inspection(repo: VerifiedRepository, tag?: string): RepositoryInspection {
  const all = [...repo.targets].flatMap(([role, targets]) =>
    [...targets]
      .filter(([name]) => tag === undefined || name === tag)
      .map(([name, meta]) => ({ role, name, digest: `sha256:${Buffer.from(meta.hashes.sha256 ?? '', 'base64').toString('hex')}` })),
  );
  const rows = new Map<string, { tag: string; digest: string; signers: string[] }>();
  for (const t of all) if (released(t.role)) rows.set(`${t.name}@${t.digest}`, { tag: t.name, digest: t.digest, signers: [] });
  for (const t of all) {
    const row = rows.get(`${t.name}@${t.digest}`);
    if (row && !released(t.role)) row.signers.push(signerOf(t.role));
  }
  const signedTags = [...rows.values()].map((r) => ({ ...r, signers: r.signers.length ? r.signers : [REPO_ADMIN] })).sort((a, b) => natural(a.tag, b.tag));
  const delegations = [...repo.documents.values()].flatMap((d) => d.signed.delegations).filter((d) => d.name !== RELEASES_ROLE);
  const signers = new Map(delegations.map((d) => [signerOf(d.name), d.keyids] as const));
  return {
    name: repo.gun,
    signedTags,
    // docker sorts signers and administrative keys by name, descending.
    signers: [...signers].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0)).map(([name, ids]) => ({ name, keys: ids.map((id) => ({ id })) })),
    administrativeKeys: [
      { name: 'Root', keys: repo.rootKeyIds.map((id) => ({ id })) },
      { name: 'Repository', keys: repo.root.signed.roles.targets.keyids.map((id) => ({ id })) },
    ],
  };
}
