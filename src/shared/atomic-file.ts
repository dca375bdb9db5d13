/**
 * Crash-safe file writes for every store (keys, policy, trust cache): a temporary file in the same directory
 * (mode 0600, fsync), then renamed over the target, or hard-linked to it when the target must not be replaced,
 * then an fsync of the directory. Readers see the old file or the new one, never a torn one; a failure leaves
 * nothing behind.
 */
import { access, link, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempPathFor } from './temp-files.ts';

/** How writeFileAtomic treats an existing target. */
export interface AtomicWriteOptions {
  /** Fail with EEXIST instead of replacing an existing file (a new key never overwrites another). */
  readonly noClobber?: boolean;
}

/**
 * Writes `data` to `path` atomically with mode 0600: a temp file beside it (temp-files.ts names it), fsync,
 * then rename (or link, with noClobber), then fsync of the directory. Any failure removes the temp file
 * and rethrows the system error (EEXIST when noClobber finds the target).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  const tmp = tempPathFor(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', 0o600);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.noClobber) await linkNoClobber(tmp, path);
    else await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/** link(2) fails with EEXIST atomically; where hard links are unsupported, check then rename (callers hold the store lock). */
async function linkNoClobber(tmp: string, path: string): Promise<void> {
  try {
    await link(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
    if (await exists(path)) throw Object.assign(new Error(`EEXIST: file already exists, '${path}'`), { code: 'EEXIST' });
    await rename(tmp, path);
    return;
  }
  await rm(tmp, { force: true }).catch(() => undefined);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Makes the rename durable; directories cannot be fsync'd on every platform (Windows), so failures are ignored. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
