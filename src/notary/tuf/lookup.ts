/**
 * Docker's trusted-pull lookup (docker/cli cli/command/image/trust.go `getTrustedPullTargets` →
 * notary `GetTargetByName(tag, "targets/releases", "targets")`, tuf/tuf.go `WalkTargets`): search the
 * `targets/releases` subtree first, then `targets` and its subtree without visiting `targets/releases`; the
 * first hit wins and must sit in exactly `targets/releases` or `targets`, else there is no trust data. Pure.
 */
import { canonicalJson } from './canonical-json.ts';
import { parentRole } from './parse-roles.ts';
import { verifyTufSignature } from './signatures.ts';
import type { TufKey } from './types.ts';
import type { VerifiedRepository } from './verify-repository.ts';

/** The role docker prefers for tags. */
export const RELEASES_ROLE = 'targets/releases';

/** What a trusted pull resolves a tag to. */
export interface TrustedTarget {
  /** `sha256:<hex of the target's base64 sha256>`. */
  readonly digest: string;
  /** The manifest size in bytes. */
  readonly size: number;
  readonly role: 'targets' | 'targets/releases';
}

/** The digest and size docker would pull for `tag`, or undefined ("No valid trust data for TAG"). */
export function lookupTarget(verified: VerifiedRepository, tag: string): TrustedTarget | undefined {
  for (const [start, skip] of [
    [RELEASES_ROLE, 'targets'],
    ['targets', RELEASES_ROLE],
  ] as const) {
    const queue: string[] = [start];
    for (let role = queue.shift(); role !== undefined; role = queue.shift()) {
      const meta = role === skip ? undefined : verified.targets.get(role)?.get(tag);
      if (meta !== undefined) {
        if (role !== 'targets' && role !== RELEASES_ROLE) return undefined;
        const sha256 = meta.hashes.sha256;
        if (sha256 === undefined) return undefined;
        return { digest: `sha256:${Buffer.from(sha256, 'base64').toString('hex')}`, size: meta.length, role };
      }
      queue.push(...(verified.children.get(role) ?? []));
    }
  }
  return undefined;
}

/**
 * The keys whose signatures on `role`'s verified document are valid: the role's own keys (root's for `targets`,
 * the parent's delegation keys otherwise) that really signed it. For crediting a target to signers. Pure.
 */
export function roleSigners(verified: VerifiedRepository, role: string): TufKey[] {
  const doc = verified.documents.get(role);
  if (!doc) return [];
  let keys: ReadonlyMap<string, TufKey>;
  let keyids: readonly string[];
  if (role === 'targets') {
    keys = verified.root.signed.keys;
    keyids = verified.root.signed.roles.targets.keyids;
  } else {
    const parent = verified.documents.get(parentRole(role));
    const entry = parent?.signed.delegations.find((d) => d.name === role);
    if (!parent || !entry) return [];
    keys = parent.signed.delegationKeys;
    keyids = entry.keyids;
  }
  const message = canonicalJson(doc.signedValue);
  const out = new Map<string, TufKey>();
  for (const sig of doc.signatures) {
    const key = keyids.includes(sig.keyid) ? keys.get(sig.keyid) : undefined;
    if (key && verifyTufSignature(key, sig, message)) out.set(sig.keyid, key);
  }
  return [...out.values()];
}
