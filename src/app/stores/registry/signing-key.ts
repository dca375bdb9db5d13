import { KeyError } from '../../../shared/errors.ts';
import { passphraseFor } from '../../session/index.ts';
import type { Session } from '../../session/index.ts';

/** The key trustext creates on the first signed push without --key, as DCT creates keys on its first push. */
export const DEFAULT_KEY = 'default';

/** A decrypted signing key, ready before anything is pushed. */
export interface SigningKey {
  readonly name: string;
  readonly id: string;
  readonly created: boolean;
  sign(payload: Uint8Array): Uint8Array;
}

/**
 * Gets the signing key for a repository: --key NAME (must exist), else `default`, created on first use (as DCT
 * creates keys on its first push; decided under the store lock, so concurrent first pushes share one key). Asks
 * for the passphrase and decrypts now, so a push never starts when signing cannot follow. The key is trusted for
 * the repository it is about to sign; when that widens its scopes, a notice says so.
 */
export async function prepareSigningKey(session: Session, repository: string, keyName?: string): Promise<SigningKey> {
  const keys = await session.keyStore();
  const name = keyName ?? DEFAULT_KEY;
  const exists = await keys.has(name);
  if (!exists && keyName !== undefined)
    throw new KeyError('KEY_NOT_FOUND', `no signing key named "${name}": create it with 'docker trustext key generate ${name}'`);
  const passphrase = await passphraseFor(session.environment, name, !exists);
  const { entry, signer, created } = exists
    ? { entry: await keys.get(name), signer: await keys.signer(name, passphrase), created: false }
    : await keys.createOrOpenSigning(name, passphrase, { scopes: [repository] });
  if (!(await keys.isTrustedFor(name, repository))) {
    await keys.addScope(name, repository);
    session.environment.notice?.(`key "${name}" (${entry.id.slice(0, 12)}) is now trusted for ${repository} too (it was not before)`);
  }
  return { name, id: entry.id, created, sign: (p) => signer.sign(p) };
}
