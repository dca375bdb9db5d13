import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InstallError } from '../../shared/errors.ts';
import { BINARY_NAME } from '../../shared/product.ts';
import type { Session } from '../session/index.ts';

/** docker's system-wide plugin directories on Unix, in its search order (cli-plugins/manager/manager_unix.go). */
export const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
] as const;

/** Where `install` puts the binary: `<config dir>/cli-plugins`, or the first system directory with --system. */
export function installPath(session: Session, system: boolean): string {
  return join(system ? SYSTEM_PLUGIN_DIRS[0] : join(session.configDir, 'cli-plugins'), BINARY_NAME);
}

/** The outcome of install or uninstall; `shadowedBy` names a copy docker would run instead of ours. */
export interface InstallResult {
  readonly path: string;
  readonly changed: boolean;
  readonly shadowedBy?: string;
}

async function sha256(path: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    return hash.digest('hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The plugin binary docker would run first (docker's search order: extra dirs, config dir, system dirs). */
async function firstInSearchOrder(session: Session): Promise<string | undefined> {
  const dirs = [...(session.config.cliPluginsExtraDirs ?? []), join(session.configDir, 'cli-plugins'), ...SYSTEM_PLUGIN_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, BINARY_NAME);
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Copies the running single binary to the plugin directory atomically (temp file + rename, mode 0755).
 * Idempotent: an identical binary already there is left alone.
 */
export async function installPlugin(session: Session, system: boolean): Promise<InstallResult> {
  const source = session.environment.execPath;
  if (!session.environment.packaged) {
    throw new InstallError(
      `install copies the packaged binary, and this is ${source} running a script: run 'npm run build', then 'dist/${BINARY_NAME} install'`,
    );
  }
  const path = installPath(session, system);
  const changed = (await sha256(source)) !== (await sha256(path));
  if (changed) {
    const tmp = join(dirname(path), `.${BINARY_NAME}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o755 });
      await copyFile(source, tmp);
      await chmod(tmp, 0o755);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new InstallError(`cannot install ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
  const first = await firstInSearchOrder(session);
  return { path, changed, ...(first && first !== path && { shadowedBy: first }) };
}

/** Removes the plugin binary from the plugin directory; a missing binary is not an error. */
export async function uninstallPlugin(session: Session, system: boolean): Promise<InstallResult> {
  const path = installPath(session, system);
  const present = await exists(path);
  try {
    await rm(path, { force: true });
  } catch (err) {
    throw new InstallError(`cannot remove ${path}: ${(err as Error).message}`, { cause: err });
  }
  const first = await firstInSearchOrder(session);
  return { path, changed: present, ...(first && { shadowedBy: first }) };
}
