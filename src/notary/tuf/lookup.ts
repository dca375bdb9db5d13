/**
 * Docker's trusted-pull lookup (docker/cli cli/command/image/trust.go `getTrustedPullTargets` →
 * notary `GetTargetByName(tag, "targets/releases", "targets")`, tuf/tuf.go `WalkTargets`): search the
 * `targets/releases` subtree first, then `targets` and its subtree without visiting `targets/releases`; the
 * first hit wins and must sit in exactly `targets/releases` or `targets`, else there is no trust data. Pure.
 */
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
  for (const [start, skip] of [[RELEASES_ROLE, 'targets'], ['targets', RELEASES_ROLE]] as const) {
    const queue: string[] = [start];
    for (let role = queue.shift(); role !== undefined; role = queue.shift()) {
      const meta = role === skip ? undefined : verified.targets.get(role)?.get(tag);
      if (meta !== undefined) {
        if (role !== 'targets' && role !== RELEASES_ROLE) return undefined;
        const sha256 = meta.hashes['sha256'];
        if (sha256 === undefined) return undefined;
        return { digest: `sha256:${Buffer.from(sha256, 'base64').toString('hex')}`, size: meta.length, role };
      }
      queue.push(...(verified.children.get(role) ?? []));
    }
  }
  return undefined;
}
