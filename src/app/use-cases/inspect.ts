import type { Reference } from '../../reference/index.ts';
import type { RepositoryInspection } from '../stores/registry/index.ts';
import { natural } from '../stores/notary/index.ts';
import type { Session } from '../session/index.ts';
import { forEachStore, type TrustStore } from '../stores/index.ts';

/**
 * `inspect` over the chosen store (stores/store-choice.ts): registry signatures, Notary trust data, or both merged
 * (a tag signed in both with the same digest is one row with both sets of signers; Notary's part is left out when
 * the repository has none).
 */
export async function inspectTrust(session: Session, ref: Reference, flag?: TrustStore, signal?: AbortSignal): Promise<RepositoryInspection> {
  const found = await forEachStore(session, 'inspect', flag, (backend) => backend.inspect(ref, signal));
  const registry = found.find((f) => f.store === 'registry')?.value;
  const notary = found.find((f) => f.store === 'notary')?.value;
  if (!registry || !notary) return (registry ?? notary)!;
  return merged(registry, notary);
}

/** Registry and Notary inspections as one: Notary's administrative keys, rows merged by tag and digest, signers by name. */
function merged(registry: RepositoryInspection, notary: RepositoryInspection): RepositoryInspection {
  const rows = new Map<string, { tag: string; digest: string; signers: string[] }>();
  for (const t of [...notary.signedTags, ...registry.signedTags]) {
    const key = `${t.tag}@${t.digest}`;
    rows.set(key, { tag: t.tag, digest: t.digest, signers: [...new Set([...(rows.get(key)?.signers ?? []), ...t.signers])] });
  }
  const names = new Set(notary.signers.map((s) => s.name));
  return {
    ...notary,
    signedTags: [...rows.values()].sort((a, b) => natural(a.tag, b.tag)),
    signers: [...notary.signers, ...registry.signers.filter((s) => !names.has(s.name))],
  };
}
