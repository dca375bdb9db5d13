/**
 * docker's per-registry TLS configuration (certs.d): for a registry host[:port], every `<dir>/<host>/` holds
 * `*.crt` files (extra CAs, added to the system roots) and `*.cert`/`*.key` pairs (client certificates), read
 * with the rules of moby/moby registry.ReadCertsDirectory (a .cert without its .key, or the reverse, is an error).
 * https://docs.docker.com/engine/security/certificates/
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors.ts';

/** TLS material for one host: extra CAs (PEM) and at most one client certificate and key (the first pair found). */
export interface HostTls {
  readonly ca: readonly string[];
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** The directory under a certs.d directory that holds the files for `host` (host[:port]): path separators become '_'. */
export function certsDirName(host: string): string {
  return host.replace(/[/\\]/g, '_');
}

/**
 * Reads certs.d material for `host` (host[:port] as in the image reference) from each directory in order;
 * resolves undefined when no directory has an entry for it. Throws ConfigError on unreadable or unpaired files.
 */
export async function loadHostTls(certsDirs: readonly string[], host: string): Promise<HostTls | undefined> {
  const ca: string[] = [];
  let pair: { cert: Buffer; key: Buffer } | undefined;
  let found = false;
  for (const dir of certsDirs) {
    const hostDir = join(dir, certsDirName(host));
    const names = await listDir(hostDir);
    if (names === undefined) continue;
    found = true;
    for (const name of names.sort()) {
      if (name.endsWith('.crt')) ca.push(await read(hostDir, name));
      else if (name.endsWith('.cert')) {
        const keyName = `${name.slice(0, -'.cert'.length)}.key`;
        if (!names.includes(keyName)) throw invalid(hostDir, `missing key ${keyName} for client certificate ${name}`);
        pair ??= { cert: Buffer.from(await read(hostDir, name)), key: Buffer.from(await read(hostDir, keyName)) };
      } else if (name.endsWith('.key')) {
        const certName = `${name.slice(0, -'.key'.length)}.cert`;
        if (!names.includes(certName)) throw invalid(hostDir, `missing client certificate ${certName} for key ${name}`);
      }
    }
  }
  if (!found) return undefined;
  return { ca, ...pair };
}

async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw invalid(dir, `cannot read the directory (${code ?? 'error'})`, err);
  }
}

async function read(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (err) {
    throw invalid(dir, `cannot read ${name} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
  }
}

function invalid(dir: string, what: string, cause?: unknown): ConfigError {
  return new ConfigError('CONFIG_INVALID', `registry certificates in ${dir}: ${what}`, { cause });
}
