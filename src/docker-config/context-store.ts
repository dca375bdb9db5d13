import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors.ts';

/** The docker endpoint of a named context, as stored by `docker context create` (cli/context/store). */
export interface ContextEndpoint {
  readonly name: string;
  readonly host: string;
  readonly skipTLSVerify: boolean;
  /** PEM material from contexts/tls/<id>/docker/, each present only when the file exists. */
  readonly tls: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer } | undefined;
}

/** Directory id of a context: the hex sha256 of its name (docker/cli store.go contextdirOf). */
export function contextDirId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError('CONFIG_INVALID', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Loads a named context's docker endpoint from `<configDir>/contexts/meta/<id>/meta.json` and its TLS files.
 * A context that does not exist is a CONTEXT_NOT_FOUND ConfigError.
 */
export async function loadContextEndpoint(configDir: string, name: string): Promise<ContextEndpoint> {
  const id = contextDirId(name);
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const raw = await readOptional(metaFile);
  if (raw === undefined) {
    throw new ConfigError('CONTEXT_NOT_FOUND', `context "${name}" does not exist (no ${metaFile}); see 'docker context ls'`);
  }
  let meta: { Name?: unknown; Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } } | null;
  try {
    meta = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new ConfigError('CONFIG_INVALID', `context "${name}": ${metaFile} is not valid JSON`, { cause: err });
  }
  const docker = typeof meta === 'object' && meta !== null ? meta.Endpoints?.docker : undefined;
  if (!docker || typeof docker !== 'object' || typeof docker.Host !== 'string' || docker.Host === '') {
    throw new ConfigError('CONFIG_INVALID', `context "${name}" has no docker endpoint (${metaFile})`);
  }
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((f) => readOptional(join(tlsDir, f))));
  const tls = ca || cert || key ? { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) } : undefined;
  return { name, host: docker.Host, skipTLSVerify: docker.SkipTLSVerify === true, tls };
}

/** The `Metadata` object of context `name` (what `docker context create` stores beside the endpoints); undefined when there is no such context. */
export async function loadContextMetadata(configDir: string, name: string): Promise<Record<string, unknown> | undefined> {
  const raw = await readOptional(join(configDir, 'contexts', 'meta', contextDirId(name), 'meta.json'));
  if (raw === undefined) return undefined;
  try {
    const meta = JSON.parse(raw.toString('utf8')) as { Metadata?: unknown } | null;
    const m = meta?.Metadata;
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
