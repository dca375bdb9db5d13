/**
 * Registry credentials from the docker CLI's configuration (config.json `credHelpers`, `credsStore`, `auths`),
 * resolved exactly as docker does, plus their engine form. Adapter: helpers are run through an
 * injected HelperRunner; the environment and config are passed in, nothing is read at import time.
 */
export { dockerKeychain, type DockerKeychainOptions } from './docker-keychain.ts';
export { DOCKER_HUB_AUTH_KEY, authConfigKey } from './config-key.ts';
export type { HelperResult, HelperRunner } from './helper-runner.ts';
export { spawnHelper, type SpawnHelperOptions } from './spawn-helper.ts';
export { fromRegistryAuthHeader, toRegistryAuth } from './registry-auth.ts';
