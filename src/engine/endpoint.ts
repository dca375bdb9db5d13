import { join } from 'node:path';
import { ConfigError, UsageError } from '../shared/errors.ts';
import type { DockerEnvironment } from '../settings/index.ts';
import { parseDockerHost } from './host.ts';

/** docker's global client options (cli/flags/options.go), as given on the command line before `trustext`. */
export interface ClientOptions {
  readonly configDir?: string;
  readonly context?: string;
  readonly hosts: readonly string[];
  readonly tls?: boolean;
  /** undefined when --tlsverify was not given; an explicit false still turns TLS on, as in docker. */
  readonly tlsVerify?: boolean;
  readonly tlsCaCert?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/** Where and how to reach the engine: a normalised host and the TLS material to use, if any. */
export interface Endpoint {
  readonly contextName: string;
  readonly host: string;
  readonly tls?: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer; readonly skipVerify: boolean };
  /** DOCKER_API_VERSION, when set: pins the API version instead of negotiating. */
  readonly apiVersion?: string;
}

/** A named context's stored endpoint (see docker-config's loadContextEndpoint). */
export interface StoredContext {
  readonly host: string;
  readonly skipTLSVerify: boolean;
  readonly tls: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer } | undefined;
}

/** What endpoint resolution reads besides the options: the DOCKER_* variables, config dir, current context, and files. */
export interface EndpointSources {
  readonly docker: DockerEnvironment;
  /**
   * Where the default context's ca/cert/key.pem live when DOCKER_CERT_PATH is unset: the config dir as docker
   * computes it before parsing flags ($DOCKER_CONFIG or ~/.docker), so --config does not move it.
   */
  readonly defaultCertDir: string;
  readonly currentContext: string | undefined;
  readonly loadContext: (name: string) => Promise<StoredContext>;
  /** Reads a file; resolves undefined when it does not exist. */
  readonly readFile: (path: string) => Promise<Buffer | undefined>;
}

/** The name docker gives the context built from -H, DOCKER_HOST and the TLS flags. */
export const DEFAULT_CONTEXT = 'default';

/**
 * Picks the context as docker/cli resolveContextName: --context > -H (default) > DOCKER_HOST (default) >
 * DOCKER_CONTEXT > config currentContext > default. --context with -H is a usage error, as in docker.
 */
export function resolveContextName(opts: ClientOptions, docker: DockerEnvironment, currentContext: string | undefined): string {
  if (opts.context && opts.hosts.length > 0) {
    throw new UsageError('conflicting options: cannot specify both --host and --context');
  }
  if (opts.context) return opts.context;
  if (opts.hosts.length > 0) return DEFAULT_CONTEXT;
  if (docker.host) return DEFAULT_CONTEXT;
  if (docker.context) return docker.context;
  if (currentContext) return currentContext;
  return DEFAULT_CONTEXT;
}

/** Resolves the engine endpoint exactly as the docker CLI does for the given options and sources. */
export async function resolveEndpoint(opts: ClientOptions, src: EndpointSources): Promise<Endpoint> {
  const contextName = resolveContextName(opts, src.docker, src.currentContext);
  const apiVersion = src.docker.apiVersion;
  const extra = apiVersion ? { apiVersion } : {};
  if (contextName !== DEFAULT_CONTEXT) {
    const stored = await src.loadContext(contextName);
    const useTLS = stored.tls !== undefined || stored.skipTLSVerify;
    return {
      contextName,
      host: stored.host,
      ...(useTLS && { tls: { ...stored.tls, skipVerify: stored.skipTLSVerify } }),
      ...extra,
    };
  }
  if (opts.hosts.length > 1) throw new UsageError('specify only one -H');
  const tlsVerify = opts.tlsVerify ?? src.docker.tlsVerify;
  const tlsOn = opts.tlsVerify !== undefined || tlsVerify || (opts.tls ?? src.docker.tls);
  const host = parseDockerHost(tlsOn, opts.hosts[0] ?? src.docker.host ?? '');
  if (!tlsOn) return { contextName, host, ...extra };
  return { contextName, host, tls: { ...(await readDefaultTLS(opts, src)), skipVerify: !tlsVerify }, ...extra };
}

/** TLS files of the default context: flags, else $DOCKER_CERT_PATH (else the config dir) + ca/cert/key.pem. */
async function readDefaultTLS(opts: ClientOptions, src: EndpointSources) {
  const certPath = src.docker.certPath ?? src.defaultCertDir;
  const files = {
    ca: { path: opts.tlsCaCert ?? join(certPath, 'ca.pem'), explicit: opts.tlsCaCert !== undefined },
    cert: { path: opts.tlsCert ?? join(certPath, 'cert.pem'), explicit: opts.tlsCert !== undefined },
    key: { path: opts.tlsKey ?? join(certPath, 'key.pem'), explicit: opts.tlsKey !== undefined },
  };
  const out: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  for (const [name, f] of Object.entries(files) as [keyof typeof files, { path: string; explicit: boolean }][]) {
    const data = await src.readFile(f.path);
    // docker drops a missing default cert/key silently but insists on the CA file (TLSDataFromFiles).
    if (data === undefined && (f.explicit || name === 'ca')) {
      throw new ConfigError('CONFIG_INVALID', `could not read TLS ${name === 'ca' ? 'CA certificate' : name} file ${f.path}: no such file`);
    }
    if (data !== undefined) out[name] = data;
  }
  return out;
}
