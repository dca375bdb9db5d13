import { repositoryName, type Reference } from '../../../reference/index.ts';
import { judgeSignatures } from '../../../signature/index.ts';
import type { Session } from '../../session/index.ts';
import { readSignatures } from './signature-store.ts';

/** `docker trust inspect`'s shape, for registry signatures: signed tags with their signers, and the signers' keys. */
export interface RepositoryInspection {
  readonly name: string;
  readonly signedTags: readonly { readonly tag: string; readonly digest: string; readonly signers: readonly string[] }[];
  readonly signers: readonly { readonly name: string; readonly keys: readonly { readonly id: string }[] }[];
  /** Notary's root and repository (targets) keys; none for registry signatures. */
  readonly administrativeKeys?: readonly { readonly name: string; readonly keys: readonly { readonly id: string }[] }[];
}

/** Tags that hold cosign attachments rather than images. */
export const ATTACHMENT_TAG = /^sha256-[0-9a-f]{64}(\.sig|\.att|\.sbom)?$/;
const PARALLEL = 8;

/**
 * Lists the signed tags of a repository (or the one tag given): each tag's digest, by hashing the manifest the
 * registry serves, and the names of the trusted keys with a valid signature for that tag; plus the keys trusted
 * for the repository. Tags without a valid signature are left out, as docker trust inspect does.
 */
export async function inspectRepository(session: Session, ref: Reference, signal?: AbortSignal): Promise<RepositoryInspection> {
  const repository = repositoryName(ref);
  const registry = await session.registry(ref.domain);
  const opts = signal ? { signal } : {};
  const tags = ref.tag !== undefined ? [ref.tag] : (await registry.listTags(ref, opts)).filter((t) => !ATTACHMENT_TAG.test(t)).sort();
  // Revoked keys sign nothing any more: they are neither listed nor credited with signatures.
  const keys = (await (await session.keyStore()).trustedKeys(repository)).filter((k) => !k.revoked);
  const signedTags: { tag: string; digest: string; signers: string[] }[] = [];
  for (let i = 0; i < tags.length; i += PARALLEL) {
    const batch = await Promise.all(
      tags.slice(i, i + PARALLEL).map(async (tag) => {
        const manifest = await registry.getManifest(ref, tag, undefined, opts);
        const stored = await readSignatures(registry, ref, manifest.digest, signal);
        if (stored.kind !== 'found') return undefined;
        const verdicts = judgeSignatures(stored.signatures, { repository, digest: manifest.digest, tag }, keys);
        const signers = [...new Set(verdicts.filter((v) => v.accepted).map((v) => v.key!.name))].sort();
        return signers.length ? { tag, digest: manifest.digest, signers } : undefined;
      }),
    );
    for (const b of batch) if (b) signedTags.push(b);
  }
  const byName = new Map<string, string[]>();
  for (const k of keys) byName.set(k.name, [...(byName.get(k.name) ?? []), k.id]);
  return { name: repository, signedTags, signers: [...byName].sort().map(([name, ids]) => ({ name, keys: ids.map((id) => ({ id })) })) };
}
