/**
 * Between docker's AuthConfig fields and RegistryCredentials: decoding config.json's `auth` value
 * (docker/cli cli/config/configfile/file.go decodeAuth) and dropping empty fields.
 */
import { decodeBase64 } from '../encoding/index.ts';
import type { RegistryCredentials } from '../http/keychain.ts';
import { CredentialsError } from '../shared/errors.ts';

/**
 * docker's decodeAuth for the `auths` entry `key`: strict base64 of "user:password" with a non-empty user; NULs
 * trimmed off the ends of the password. Errors never quote the value.
 */
export function decodeAuth(key: string, auth: string): { username: string; password: string } {
  const bytes = decodeBase64(auth.replace(/[\r\n]/g, '')); // Go's base64.StdEncoding skips \r and \n
  if (bytes === undefined) throw new CredentialsError(`docker config "auths" entry for ${key}: "auth" is not valid base64`);
  const decoded = bytes.toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new CredentialsError(`docker config "auths" entry for ${key}: "auth" does not hold "username:password"`);
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '') };
}

/**
 * RegistryCredentials from AuthConfig fields, leaving out empty ones; undefined when none is set, which is how
 * docker's empty AuthConfig (anonymous access) is expressed through the Keychain.
 */
export function credentialsOf(fields: { username: string; password: string; identityToken: string }): RegistryCredentials | undefined {
  const { username, password, identityToken } = fields;
  if (username === '' && password === '' && identityToken === '') return undefined;
  return {
    ...(username !== '' && { username }),
    ...(password !== '' && { password }),
    ...(identityToken !== '' && { identityToken }),
  };
}
