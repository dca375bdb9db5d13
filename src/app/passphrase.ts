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

/** The variable DCT reads for root key passphrases. */
export const ROOT_PASSPHRASE_VARIABLE = 'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE';

/**
 * The passphrase for a Docker Content Trust key, as docker asks for it (cli/trust/trust.go GetPassphraseRetriever):
 * root keys from DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE, targets and delegation ("repository") keys from
 * DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE, else docker's prompts on the terminal (twice for a new key).
 */
export async function notaryPassphrase(environment: Environment, kind: 'root' | 'repository', keyId: string, isNew: boolean): Promise<string> {
  const variable = kind === 'root' ? ROOT_PASSPHRASE_VARIABLE : PASSPHRASE_VARIABLE;
  const fromEnv = environment.env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const what = `${isNew ? 'new ' : ''}${kind} key with ID ${keyId.slice(0, 7)}`;
  const prompt = environment.prompt;
  if (!prompt) throw new KeyError('PASSPHRASE_REQUIRED', `no passphrase for ${what}: set ${variable}, or run in a terminal to be asked`);
  const first = await prompt(`Enter passphrase for ${what}: `);
  if (!isNew) return first;
  if (first.length < 8) throw new KeyError('PASSPHRASE_REQUIRED', 'passphrase is too short: use at least 8 characters');
  if ((await prompt(`Repeat passphrase for ${what}: `)) !== first) throw new KeyError('PASSPHRASE_REQUIRED', 'passphrases do not match');
  return first;
}
