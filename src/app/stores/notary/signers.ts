import { publicKeyFromPem } from '../../../keys/index.ts';
import { tufKeyId, withDelegation, withoutDelegation } from '../../../notary/tuf/index.ts';
import { parseReference } from '../../../reference/index.ts';
import { SigningError } from '../../../shared/errors.ts';
import { tufKeyOf } from './keys.ts';
import { prepareNotaryPublish, type NotaryPublishOutcome } from './publish.ts';
import type { Session } from '../../session/index.ts';

/** docker's shared role for every signer: the one a trusted pull reads first (cli/command/trust/signer_add.go). */
const RELEASES = 'targets/releases';

/**
 * `signer add` on Notary, as `docker trust signer add` does: delegates both `targets/NAME` and `targets/releases`
 * to the signer's keys (Ed25519 keys from `docker trustext key generate`, or docker's ECDSA ones) by re-signing
 * `targets` with the repository key; a repository without trust data is initialized first.
 */
export async function addNotarySigner(
  session: Session,
  name: string,
  pems: readonly string[],
  repositories: readonly string[],
  signal?: AbortSignal,
): Promise<NotaryPublishOutcome[]> {
  if (name === 'releases') throw new SigningError('releases is a reserved keyword, please use a different signer name');
  const keys = pems.map((pem) => tufKeyOf(publicKeyFromPem(pem)));
  const outcomes: NotaryPublishOutcome[] = [];
  for (const repo of repositories) {
    const publisher = await prepareNotaryPublish(session, parseReference(repo), { scope: 'targets', ...(signal && { signal }) });
    outcomes.push(
      await publisher.publish((signed, version, expires) => {
        let next = signed as Record<string, unknown>;
        for (const role of [`targets/${name}`, RELEASES]) for (const k of keys) next = withDelegation(next, role, [tufKeyId(k), k], version, expires);
        return next;
      }, signal),
    );
  }
  return outcomes;
}

/**
 * `signer remove` on Notary, as `docker trust signer remove` does: drops the `targets/NAME` delegation and takes
 * its keys out of `targets/releases` (SIGNER_NOT_FOUND-like SigningError when the repository has no such signer).
 */
export async function removeNotarySigner(
  session: Session,
  name: string,
  repositories: readonly string[],
  signal?: AbortSignal,
): Promise<NotaryPublishOutcome[]> {
  const outcomes: NotaryPublishOutcome[] = [];
  for (const repo of repositories) {
    const publisher = await prepareNotaryPublish(session, parseReference(repo), { scope: 'targets', initialize: false, ...(signal && { signal }) });
    outcomes.push(
      await publisher.publish((signed, version, expires) => {
        const roles = (signed as { delegations?: { roles?: { name: string; keyids: string[] }[] } }).delegations?.roles ?? [];
        const role = roles.find((r) => r.name === `targets/${name}`);
        if (!role) throw new SigningError(`no signer ${name} for repository ${repo}`);
        return withoutDelegation(withoutDelegation(signed, RELEASES, role.keyids, version, expires), role.name, undefined, version, expires);
      }, signal),
    );
  }
  return outcomes;
}
