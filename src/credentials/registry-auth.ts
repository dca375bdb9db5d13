/**
 * The forms credentials leave the keychain in: the engine's X-Registry-Auth, as the docker CLI sends it for push
 * and pull (cli/command/registry.go RetrieveAuthTokenFromImage, api/types/registry EncodeAuthConfig), and text
 * with the secrets taken out, for messages.
 */
import type { RegistryAuth } from '../engine/engine.ts';
import type { RegistryCredentials } from '../http/keychain.ts';
import { authConfigKey } from './config-key.ts';

/** What a secret is replaced with by redact. */
export const REDACTED = '[redacted]';

/**
 * The engine's auth for `registryHost`: username, password and identitytoken when present, and serveraddress
 * set to the host, or to "https://index.docker.io/v1/" for Docker Hub. Anonymous (no credentials) is `{}`.
 */
export function toRegistryAuth(registryHost: string, creds: RegistryCredentials | undefined): RegistryAuth {
  const { username, password, identityToken } = creds ?? {};
  if (!username && !password && !identityToken) return {};
  return {
    ...(username && { username }),
    ...(password && { password }),
    ...(identityToken && { identitytoken: identityToken }),
    serveraddress: authConfigKey(registryHost),
  };
}

/**
 * `text` with the secrets of `creds` replaced by "[redacted]": the password and identity token as written,
 * JSON-escaped and percent-encoded, and the base64 "user:password" of a Basic Authorization header.
 * The username is not a secret and stays.
 */
export function redact(text: string, creds: RegistryCredentials | undefined): string {
  if (creds === undefined) return text;
  const secrets = new Set<string>();
  for (const secret of [creds.password, creds.identityToken]) {
    if (!secret) continue;
    secrets.add(secret);
    secrets.add(JSON.stringify(secret).slice(1, -1));
    secrets.add(encodeURIComponent(secret));
  }
  if (creds.password) secrets.add(Buffer.from(`${creds.username ?? ''}:${creds.password}`).toString('base64'));
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...secrets].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  return ordered.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}
