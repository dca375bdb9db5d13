/**
 * The forms credentials leave the keychain in: the engine's X-Registry-Auth, as the docker CLI sends it for push
 * and pull (cli/command/registry.go RetrieveAuthTokenFromImage, api/types/registry EncodeAuthConfig).
 */
import type { RegistryAuth } from '../engine/engine.ts';
import type { RegistryCredentials } from '../http/keychain.ts';
import { authConfigKey } from './config-key.ts';

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
 * The credentials an Engine API request's X-Registry-Auth carries: base64url JSON (padded or not) of an
 * AuthConfig, as moby/moby api/pkg/authconfig Decode reads it; undefined when it carries none or cannot be read
 * (the daemon ignores an unreadable header on pull, moby/moby daemon/server/router/image image_routes.go).
 */
export function fromRegistryAuthHeader(value: string | undefined): RegistryCredentials | undefined {
  if (!value || !/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof config !== 'object' || config === null) return undefined;
  // Go matches JSON keys to fields case-insensitively, the last one winning.
  const fields = new Map(Object.entries(config).map(([k, v]) => [k.toLowerCase(), v]));
  const field = (name: string) => {
    const v = fields.get(name);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const username = field('username');
  const password = field('password');
  const identityToken = field('identitytoken');
  if (!username && !password && !identityToken) return undefined;
  return { ...(username && { username }), ...(password && { password }), ...(identityToken && { identityToken }) };
}
