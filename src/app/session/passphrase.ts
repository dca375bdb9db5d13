import { MIN_PASSPHRASE_LENGTH } from '../../keys/index.ts';
import { KeyError } from '../../shared/errors.ts';
import type { Environment } from './session.ts';
import { PASSPHRASE_ENV, ROOT_PASSPHRASE_ENV } from '../../settings/index.ts';

/**
 * The passphrase for a signing key: DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE, else a no-echo prompt on the
 * terminal (asked twice, and compared, for a new key), else a clear PASSPHRASE_REQUIRED error. Never logged.
 */
export function passphraseFor(environment: Environment, keyName: string, isNew: boolean): Promise<string> {
  const key = `signing key "${keyName}"`;
  return ask(environment, PASSPHRASE_ENV, environment.settings.passphrases.repository, isNew ? `new ${key}` : key, isNew, key);
}

/**
 * The passphrase for a Docker Content Trust key, as docker asks for it (cli/trust/trust.go GetPassphraseRetriever):
 * root keys from DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE, targets and delegation ("repository") keys from
 * DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE, else docker's prompts on the terminal (twice for a new key).
 */
export function notaryPassphrase(environment: Environment, kind: 'root' | 'repository', keyId: string, isNew: boolean): Promise<string> {
  const what = `${isNew ? 'new ' : ''}${kind} key with ID ${keyId.slice(0, 7)}`;
  const { root, repository } = environment.settings.passphrases;
  const [variable, fromEnv] = kind === 'root' ? [ROOT_PASSPHRASE_ENV, root] : [PASSPHRASE_ENV, repository];
  return ask(environment, variable, fromEnv, what, isNew, what);
}

/**
 * `fromEnv`, the value of `variable` when set and not empty; else `Enter passphrase for <what>: ` on the terminal, repeated for a new key
 * (`Repeat passphrase for <what>: `); without a terminal, PASSPHRASE_REQUIRED naming `errorWhat` and the variable.
 * A new key's passphrase has at least MIN_PASSPHRASE_LENGTH characters whichever way it came.
 */
async function ask(environment: Environment, variable: string, fromEnv: string | undefined, what: string, isNew: boolean, errorWhat: string): Promise<string> {
  const short = (p: string) => isNew && [...p].length < MIN_PASSPHRASE_LENGTH;
  if (fromEnv !== undefined) {
    if (short(fromEnv))
      throw new KeyError('PASSPHRASE_REQUIRED', `${variable} is too short for ${errorWhat}: use at least ${MIN_PASSPHRASE_LENGTH} characters`);
    return fromEnv;
  }
  const prompt = environment.prompt;
  if (!prompt) throw new KeyError('PASSPHRASE_REQUIRED', `no passphrase for ${errorWhat}: set ${variable}, or run in a terminal to be asked`);
  const first = await prompt(`Enter passphrase for ${what}: `);
  if (!isNew) return first;
  if (short(first)) throw new KeyError('PASSPHRASE_REQUIRED', `passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters`);
  if ((await prompt(`Repeat passphrase for ${what}: `)) !== first) throw new KeyError('PASSPHRASE_MISMATCH', 'passphrases do not match');
  return first;
}
