/**
 * The few changes trustext makes to docker's configuration, for `enforce on|off`: a context's docker endpoint
 * (what `docker context create NAME --docker host=…` stores: docker/cli cli/context/store metadatastore.go) and
 * config.json's `currentContext` (what `docker context use` sets: cli/command/context/use.go), every other field
 * of config.json kept as it was. Each write is atomic (a temp file renamed over the old one), so a crash leaves
 * the old file or the new one, never half of one.
 */
import { chmod, chown, mkdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-file.ts';
import { ConfigError } from '../shared/errors.ts';
import { contextDirId } from './context-store.ts';

/** Stores context `name` with a docker endpoint at `host` (no TLS) and `metadata`, replacing one of that name. */
export async function saveContext(configDir: string, name: string, host: string, metadata: Record<string, unknown>): Promise<void> {
  const dir = join(configDir, 'contexts', 'meta', contextDirId(name));
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const meta = { Name: name, Metadata: metadata, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } };
  await writeFileAtomic(join(dir, 'meta.json'), JSON.stringify(meta));
}

/** Removes context `name` (its metadata and TLS files); nothing to do when it does not exist. */
export async function removeContext(configDir: string, name: string): Promise<void> {
  const id = contextDirId(name);
  await Promise.all(['meta', 'tls'].map((kind) => rm(join(configDir, 'contexts', kind, id), { recursive: true, force: true })));
}

/**
 * Sets config.json's currentContext to `name`, or removes it (the default context) when undefined. As docker/cli
 * configfile Save does, a symlinked config.json is written where it points, keeping its mode and owner.
 */
export async function setCurrentContext(configDir: string, name: string | undefined): Promise<void> {
  const link = join(configDir, 'config.json');
  const file = await realpath(link).catch(() => link);
  const before = await stat(file).catch(() => undefined);
  let config: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    config = parsed as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ConfigError('CONFIG_INVALID', `cannot update ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (name === undefined || name === 'default') delete config.currentContext;
  else config.currentContext = name;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(config, null, '\t')}\n`);
  if (before) {
    await chmod(file, before.mode & 0o7777);
    if (process.getuid?.() === 0) await chown(file, before.uid, before.gid);
  }
}
