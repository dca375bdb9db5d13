/**
 * Between docker's AuthConfig fields and RegistryCredentials: decoding config.json's `auth` value
 * (docker/cli cli/config/configfile/file.go decodeAuth) and dropping empty fields.
 */
import type { RegistryCredentials } from '../registry/keychain.ts';
import { CredentialsError } from '../shared/errors.ts';

/** Go's base64.StdEncoding alphabet with mandatory padding; \r and \n are skipped, as Go does. */
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * docker's decodeAuth for the `auths` entry `key`: strict base64 of "user:password" with a non-empty user; NULs
 * trimmed off the ends of the password. Errors never quote the value.
 */
export function decodeAuth(key: string, auth: string): { username: string; password: string } {
  const compact = auth.replace(/[\r\n]/g, '');
  if (!STD_BASE64.test(compact)) {
    throw new CredentialsError(`docker config "auths" entry for ${key}: "auth" is not valid base64`);
  }
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
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
