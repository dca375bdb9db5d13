/**
 * Credentials kept in config.json `auths`, read as docker's file store does (cli/config/credentials/file_store.go
 * Get, cli/config/configfile/file.go LoadFromReader).
 */
import type { DockerConfigFile } from '../docker-config/index.ts';
import type { RegistryCredentials } from '../http/keychain.ts';
import { CredentialsError } from '../shared/errors.ts';
import { credentialsOf, decodeAuth } from './auth-config.ts';
import { convertToHostname } from './config-key.ts';

type Auths = DockerConfigFile['auths'];

/**
 * The `auths` entry for `key`: the exact key first, else the first key whose ConvertToHostname equals `key`
 * (docker iterates a Go map, so with several such keys its pick is random; ours is the first in file order).
 * Undefined when there is no entry or the entry holds no credentials.
 */
export function fileStoreGet(auths: Auths, key: string): RegistryCredentials | undefined {
  if (auths === undefined || auths === null) return undefined;
  if (typeof auths !== 'object' || Array.isArray(auths)) throw new CredentialsError('docker config "auths" is not an object');
  let found: string | undefined;
  if (Object.hasOwn(auths, key)) found = key;
  else found = Object.keys(auths).find((k) => convertToHostname(k) === key);
  return found === undefined ? undefined : entryCredentials(found, (auths as Record<string, unknown>)[found]);
}

/** One `auths` entry: `auth` (base64 "user:password") wins over `username`/`password`; `identitytoken` kept. */
function entryCredentials(key: string, entry: unknown): RegistryCredentials | undefined {
  if (entry === null) return undefined;
  if (typeof entry !== 'object' || Array.isArray(entry)) {
    throw new CredentialsError(`docker config "auths" entry for ${key} is not an object`);
  }
  const field = (name: string): string => {
    const value = (entry as Record<string, unknown>)[name];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw new CredentialsError(`docker config "auths" entry for ${key}: "${name}" is not a string`);
    return value;
  };
  let username = field('username');
  let password = field('password');
  const auth = field('auth');
  if (auth !== '') ({ username, password } = decodeAuth(key, auth));
  return credentialsOf({ username, password, identityToken: field('identitytoken') });
}
