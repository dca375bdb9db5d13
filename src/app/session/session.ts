import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dockerKeychain, spawnHelper, toRegistryAuth } from '../../credentials/index.ts';
import { loadConfigFile, loadContextEndpoint, resolveConfigDir, type DockerConfigFile } from '../../docker-config/index.ts';
import { DockerodeEngine, resolveEndpoint, type ClientOptions, type Endpoint, type Engine, type RegistryAuth } from '../../engine/index.ts';
import { FileKeyStore } from '../../keys/index.ts';
import { withFileLock, type LockOptions } from '../../shared/file-lock.ts';
import { TagHistory } from '../../tag-history/index.ts';
import { loadPolicy, policyLocation } from '../../policy-store/index.ts';
import { RegistryClient } from '../../registry/index.ts';
import { isLoopbackHost, type HttpSettings, type Keychain, type RegistryCredentials } from '../../http/index.ts';
import type { Policy } from '../../trust/index.ts';
import { DAEMON_DEFAULT_SETTINGS, isInsecureRegistry, type Lookup } from './insecure.ts';
import { networkSettings } from './network.ts';
import { keyStorePort } from './key-store.ts';
import type { KeyStorePort } from './keys-port.ts';
import type { RegistryPort } from './registry-port.ts';
import type { StoreName, TrustBackend } from '../stores/index.ts';
import { USER_AGENT } from '../../shared/product.ts';
import type { Settings } from '../../settings/index.ts';

/** Everything a use case may read about the process it runs in, passed in rather than read from globals. */
export interface Environment {
  /** Every variable trustext honours, read once (settings/). */
  readonly settings: Settings;
  /** The whole process environment, handed as it is to the programs we run (credential helpers); never read here. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /** The running executable: the single binary when packaged, node otherwise. */
  readonly execPath: string;
  /** True when running as the packaged single executable. */
  readonly packaged: boolean;
  /** How to run this program again (the binary, or node with its flags and script): `enforce on` starts the proxy so. */
  readonly selfCommand?: readonly string[];
  /** Asks a question on the terminal without echo; absent when there is no terminal to ask on. */
  readonly prompt?: (question: string) => Promise<string>;
  /** Tells the user, in one line on stderr, something worth knowing that did not stop the command (e.g. a lock taken over). */
  readonly notice?: (line: string) => void;
}

/** A command's view of docker's configuration: config dir and file, trust switch, and the engine on demand. */
export interface Session {
  readonly environment: Environment;
  readonly configDir: string;
  readonly config: DockerConfigFile;
  /** DOCKER_CONTENT_TRUST as docker reads it. */
  readonly contentTrust: boolean;
  endpoint(): Promise<Endpoint>;
  engine(): Promise<Engine>;
  /**
   * The registry client for a registry host, with docker's credentials (config.json, credential helpers), certs.d
   * CAs, the network settings, and, where the daemon treats the registry as insecure (by name, or by the addresses
   * its name resolves to), unverified https and then plain http.
   */
  registry(registryHost: string): Promise<RegistryPort>;
  /** docker's credentials (config.json, credential helpers), for registries and trust servers. */
  readonly keychain: Keychain;
  /** Deadlines, minimum rate, retries and proxies for every registry and Notary client (TRUSTEXT_HTTP_*, HTTP(S)_PROXY). */
  readonly http: HttpSettings;
  /** X-Registry-Auth for the engine, from the same credentials. */
  registryAuth(registryHost: string): Promise<RegistryAuth>;
  /** The signing key store (TRUSTEXT_KEYS_DIR, else the user data directory; never under DOCKER_CONFIG). */
  keyStore(): Promise<KeyStorePort>;
  /** What each tag last resolved to with a valid registry signature (rollback checks), beside the key store. */
  tagHistory(): TagHistory;
  /**
   * Runs `fn` holding this user's crash-safe lock called `name` (e.g. the `.sig` of one repository digest), kept
   * under the key store directory in locks/.
   */
  withLock<T>(name: string, fn: () => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  /**
   * This session with `creds` in place of docker's own credentials for `registryHost` (the Engine API proxy
   * verifies with the credentials a request carries); every other host keeps this session's.
   */
  withCredentials(registryHost: string, creds: RegistryCredentials): Session;
  /** Where the trust policy file is: TRUSTEXT_POLICY, else policy.json in the key store directory. */
  policyFile(): string;
  /**
   * The trust policy: the empty policy when the default file does not exist; a PolicyError when the file
   * TRUSTEXT_POLICY names does not exist, or a file is broken.
   */
  policy(): Promise<Policy>;
  /** Trust stores standing in for the real ones (tests of the use cases); unset, stores/backends.ts builds them. */
  readonly backends?: Partial<Record<StoreName, TrustBackend>>;
}

/**
 * Every address `hostname` resolves to, as the daemon's net.LookupIP finds them. node:dns is loaded only when a
 * name needs resolving (getBuiltinModule: a dynamic import() of a builtin does not work in the single binary).
 */
const lookupAll: Lookup = async (hostname) => (await process.getBuiltinModule('node:dns/promises').lookup(hostname, { all: true })).map((a) => a.address);

/**
 * [host] when the daemon treats it as an insecure registry. Loopback needs no asking (the registry client always
 * treats it so, as the daemon does); without an engine to ask, the daemon's own defaults (loopback ranges) apply.
 */
async function insecureFor(session: Session, host: string): Promise<string[]> {
  if (isLoopbackHost(host)) return [];
  let daemon = DAEMON_DEFAULT_SETTINGS;
  try {
    daemon = await (await session.engine()).registrySettings();
  } catch {
    // no engine to ask: only what every daemon has
  }
  return (await isInsecureRegistry(host, daemon, lookupAll)) ? [host] : [];
}

/** Where registry CAs live, as for the docker daemon (certs.d/<host[:port]>/*.crt) and per user. */
export function certsDirs(configDir: string): string[] {
  return ['/etc/docker/certs.d', join(configDir, 'certs.d')];
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** How every store of this session takes its locks: abandoned ones are taken over with a notice. */
export function lockOptions(environment: Environment): LockOptions {
  return environment.notice ? { onNotice: environment.notice } : {};
}

/** Opens a session: reads config.json now, resolves the endpoint and builds the engine client only when asked. */
export async function openSession(options: ClientOptions, environment: Environment): Promise<Session> {
  const { settings } = environment;
  const configDir = resolveConfigDir(options.configDir, settings.dockerConfig, environment.home);
  const config = await loadConfigFile(configDir);
  const network = networkSettings(settings);
  let endpoint: Promise<Endpoint> | undefined;
  let engine: Promise<Engine> | undefined;
  const keychain = dockerKeychain({ config, runHelper: spawnHelper({ env: environment.env, timeoutMs: network.helperTimeoutMs }) });
  const registries = new Map<string, Promise<RegistryPort>>();
  let keys: KeyStorePort | undefined;
  let tags: TagHistory | undefined;
  const registryClient = (chain: Keychain, host: string): Promise<RegistryPort> =>
    insecureFor(session, host).then(
      (insecure) => new RegistryClient({ keychain: chain, userAgent: USER_AGENT, certsDirs: certsDirs(configDir), insecure, http: network.http }),
    );
  const session: Session = {
    environment,
    configDir,
    config,
    contentTrust: settings.contentTrust,
    keychain,
    http: network.http,
    endpoint: () =>
      (endpoint ??= resolveEndpoint(options, {
        docker: settings.docker,
        defaultCertDir: resolveConfigDir(undefined, settings.dockerConfig, environment.home),
        currentContext: config.currentContext,
        loadContext: (name) => loadContextEndpoint(configDir, name),
        readFile: readIfExists,
      })),
    engine: () => (engine ??= session.endpoint().then((e) => new DockerodeEngine({ endpoint: e, userAgent: USER_AGENT }))),
    registry: (host) => {
      let client = registries.get(host);
      if (!client) {
        client = registryClient(keychain, host);
        registries.set(host, client);
      }
      return client;
    },
    withCredentials: (registryHost, creds) => {
      const own: Keychain = async (host) => (host === registryHost ? creds : keychain(host));
      let client: Promise<RegistryPort> | undefined;
      return {
        ...session,
        keychain: own,
        registry: (host) => (host === registryHost ? (client ??= registryClient(own, host)) : session.registry(host)),
        registryAuth: async (host) => toRegistryAuth(host, await own(host)),
      };
    },
    registryAuth: async (host) => toRegistryAuth(host, await keychain(host)),
    keyStore: async () => {
      return (keys ??= keyStorePort(settings.keysDir, new FileKeyStore(settings.keysDir, { lock: lockOptions(environment) })));
    },
    tagHistory: () => (tags ??= new TagHistory(join(settings.keysDir, 'tags'), lockOptions(environment))),
    withLock: async (name, fn, opts = {}) => {
      const dir = join(settings.keysDir, 'locks');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = `${createHash('sha256').update(name).digest('hex').slice(0, 40)}.lock`;
      return withFileLock(join(dir, file), fn, { ...lockOptions(environment), ...opts, sweep: 'directory' });
    },
    policyFile: () => policyLocation(settings.policyFile, settings.keysDir).path,
    policy: () => {
      const { path, namedBy } = policyLocation(settings.policyFile, settings.keysDir);
      return loadPolicy(path, namedBy ? { namedBy } : {});
    },
  };
  return session;
}
