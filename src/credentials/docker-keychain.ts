/**
 * The docker CLI's credential lookup as a Keychain (docker/cli cli/config/configfile/file.go GetAuthConfig,
 * GetCredentialsStore, getConfiguredCredentialStore): the lookup key is the host, or the Hub key for Docker Hub;
 * `credHelpers[key]` names the helper if present (an empty name there forces `auths`), else `credsStore`, else the
 * `auths` entry. With a helper, `auths` is not consulted: a helper without credentials means anonymous.
 */
import type { DockerConfigFile } from '../docker-config/index.ts';
import type { Keychain, RegistryCredentials } from '../http/keychain.ts';
import { CredentialsError } from '../shared/errors.ts';
import { authConfigKey } from './config-key.ts';
import { fileStoreGet } from './file-store.ts';
import type { HelperRunner } from './helper-runner.ts';
import { nativeStoreGet } from './native-store.ts';
import { spawnHelper } from './spawn-helper.ts';

/** What dockerKeychain reads: the parsed config.json, and how helpers are run. */
export interface DockerKeychainOptions {
  readonly config: DockerConfigFile;
  /** Runs credential helpers; by default spawnHelper({ env }). */
  readonly runHelper?: HelperRunner;
  /** The environment helpers run with (its PATH finds them); used only by the default runner. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Aborts helper runs; lookups then reject with its reason. */
  readonly signal?: AbortSignal;
}

/**
 * A Keychain that resolves credentials exactly as the docker CLI does for the same config.json. Each lookup key
 * is resolved once per keychain (failures are retried), so make one keychain per command.
 */
export function dockerKeychain(options: DockerKeychainOptions): Keychain {
  const { config, signal } = options;
  const run = options.runHelper ?? spawnHelper(options.env === undefined ? {} : { env: options.env });
  const cache = new Map<string, Promise<RegistryCredentials | undefined>>();

  const resolve = async (key: string): Promise<RegistryCredentials | undefined> => {
    const helper = configuredHelper(config, key);
    return helper === '' ? fileStoreGet(config.auths, key) : nativeStoreGet(helper, key, run, signal);
  };

  return (registryHost) => {
    const key = authConfigKey(registryHost);
    let pending = cache.get(key);
    if (pending === undefined) {
      pending = resolve(key);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  };
}

/** getConfiguredCredentialStore: `credHelpers[key]` when the key is present (even ''), else `credsStore`, else ''. */
function configuredHelper(config: DockerConfigFile, key: string): string {
  const helpers: unknown = config.credHelpers;
  if (helpers !== undefined && helpers !== null && key !== '') {
    if (typeof helpers !== 'object' || Array.isArray(helpers)) throw new CredentialsError('docker config "credHelpers" is not an object');
    if (Object.hasOwn(helpers, key)) return helperName(`"credHelpers" entry for ${key}`, (helpers as Record<string, unknown>)[key]);
  }
  return helperName('"credsStore"', config.credsStore);
}

/** A helper name from config.json; absent or null is '' (no helper). */
function helperName(what: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new CredentialsError(`docker config ${what} is not a string`);
  return value;
}
