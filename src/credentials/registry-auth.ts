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
