import { ed25519PublicKey, spkiKeyId, publicKeyFromSpki } from '../../../keys/index.ts';
import type { TufKey } from '../../../notary/tuf/index.ts';
import { repositoryName, type Reference } from '../../../reference/index.ts';
import type { Verdict } from '../../../signature/index.ts';
import { applicableRules, DEFAULT_RULE, evaluatePolicy, type Decision } from '../../../trust/index.ts';
import type { NotaryTarget } from './trust.ts';
import type { Session } from '../../session/index.ts';

/** The key store's id (sha256 of the SPKI) of a notary KEY, or undefined for keys the store cannot hold (x509, rsa). */
function storeIdOf(key: TufKey): string | undefined {
  try {
    if (key.keytype === 'ed25519') return spkiKeyId(ed25519PublicKey(Buffer.from(key.public, 'base64')));
    if (key.keytype === 'ecdsa') return spkiKeyId(publicKeyFromSpki(Buffer.from(key.public, 'base64')));
  } catch {
    // A key the store could never hold is credited to nobody.
  }
  return undefined;
}

/**
 * The trust policy's decision on a verified Notary target, when explicit rules apply to the repository: evaluated
 * as for registry signatures (every applicable rule, override, modes; evaluate.ts), where each key that validly
 * signed the target's role counts as a signature by the key-store key with the same public key (so the rules'
 * signers, thresholds and revocations apply; Notary carries no claims, so required claims are never met).
 * Undefined when only the default rule applies: there, as with DCT, the pinned root of trust is the anchor.
 */
export async function notaryDecision(session: Session, ref: Reference, target: NotaryTarget): Promise<Decision | undefined> {
  const repository = repositoryName(ref);
  const policy = await session.policy();
  if (applicableRules(policy, repository).rules[0]!.repositories === DEFAULT_RULE) return undefined;
  const keys = await (await session.keyStore()).trustedKeys(repository);
  const verdicts: Verdict[] = target.signedBy.map((k) => {
    const id = storeIdOf(k);
    const key = id === undefined ? undefined : keys.find((s) => s.id === id);
    const layerDigest = `notary:${target.role}`;
    return key
      ? { layerDigest, accepted: true, reason: `valid ${target.role} signature in Notary`, key: { id: key.id, name: key.name } }
      : { layerDigest, accepted: false, reason: `the ${target.role} key in Notary is not in the key store` };
  });
  return evaluatePolicy({ policy, repository, verdicts, keys, now: new Date(), subject: `${repository}:${ref.tag ?? 'latest'}` });
}
