import { readFile } from 'node:fs/promises';
import { loadConfigFile, loadContextEndpoint, resolveConfigDir, type DockerConfigFile } from '../docker-config/index.ts';
import { DockerodeEngine, resolveEndpoint, type ClientOptions, type Endpoint, type Engine } from '../engine/index.ts';
import { USER_AGENT } from '../shared/product.ts';
import { contentTrustEnabled } from '../trust/index.ts';

/** Everything a use case may read about the process it runs in, passed in rather than read from globals. */
export interface Environment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /** The running executable: the single binary when packaged, node otherwise. */
  readonly execPath: string;
  /** True when running as the packaged single executable. */
  readonly packaged: boolean;
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
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Opens a session: reads config.json now, resolves the endpoint and builds the engine client only when asked. */
export async function openSession(options: ClientOptions, environment: Environment): Promise<Session> {
  const configDir = resolveConfigDir(options.configDir, environment.env, environment.home);
  const config = await loadConfigFile(configDir);
  let endpoint: Promise<Endpoint> | undefined;
  let engine: Promise<Engine> | undefined;
  const session: Session = {
    environment,
    configDir,
    config,
    contentTrust: contentTrustEnabled(environment.env['DOCKER_CONTENT_TRUST']),
    endpoint: () =>
      (endpoint ??= resolveEndpoint(options, {
        env: environment.env,
        defaultCertDir: resolveConfigDir(undefined, environment.env, environment.home),
        currentContext: config.currentContext,
        loadContext: (name) => loadContextEndpoint(configDir, name),
        readFile: readIfExists,
      })),
    engine: () => (engine ??= session.endpoint().then((e) => new DockerodeEngine({ endpoint: e, userAgent: USER_AGENT }))),
  };
  return session;
}
