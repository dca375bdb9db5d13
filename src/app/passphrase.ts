import { KeyError } from '../shared/errors.ts';
import type { Environment } from './session.ts';

/** The variable DCT reads for repository (targets and delegation) key passphrases; we use it for signing keys. */
export const PASSPHRASE_VARIABLE = 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE';

/**
 * The passphrase for a signing key: DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE, else a no-echo prompt on the
 * terminal (asked twice, and compared, for a new key), else a clear PASSPHRASE_REQUIRED error. Never logged.
 */
export async function passphraseFor(environment: Environment, keyName: string, isNew: boolean): Promise<string> {
  const fromEnv = environment.env[PASSPHRASE_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const prompt = environment.prompt;
  if (!prompt) {
    throw new KeyError('PASSPHRASE_REQUIRED', `no passphrase for signing key "${keyName}": set ${PASSPHRASE_VARIABLE}, or run in a terminal to be asked`);
  }
  if (!isNew) return prompt(`Enter passphrase for signing key "${keyName}": `);
  const first = await prompt(`Enter passphrase for new signing key "${keyName}": `);
  if (first.length < 8) throw new KeyError('PASSPHRASE_REQUIRED', 'passphrase is too short: use at least 8 characters');
  const again = await prompt(`Repeat passphrase for new signing key "${keyName}": `);
  if (again !== first) throw new KeyError('PASSPHRASE_REQUIRED', 'passphrases do not match');
  return first;
}
