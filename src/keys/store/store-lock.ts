/**
 * A cross-process lock around read-modify-write of the store index, so two trustext processes adding keys
 * or scopes at once cannot lose each other's entries. The lock is a file created with O_EXCL; it holds the
 * owner's pid for the error message. A crashed holder leaves it behind: the error says which file to remove.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyError } from '../../shared/errors.ts';
import { errorCode, readFileLimited } from './store-files.ts';

/** The lock file's name inside the store directory. */
export const LOCK_FILE = 'keys.json.lock';

/** How long to wait for the lock, and how often to retry. */
export interface LockOptions {
  readonly timeoutMs?: number;
  readonly retryMs?: number;
}

/**
 * Runs `fn` while holding the store lock of `dir`, releasing it afterwards whatever happens.
 * KEYSTORE_FAILED when the lock cannot be taken within the timeout (default 10 s) or created at all.
 */
export async function withStoreLock<T>(dir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`).catch(() => undefined);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new KeyError('KEYSTORE_FAILED', `cannot lock the key store ${dir}: ${errorCode(err)}`, { cause: err });
      }
      if (Date.now() >= deadline) {
        const owner = (await readFileLimited(path, 64).catch(() => '')).trim();
        throw new KeyError('KEYSTORE_FAILED', `the key store ${dir} is locked${owner ? ` by process ${owner}` : ''}; if no trustext is running, remove ${path}`);
      }
      await sleep(options.retryMs ?? 50);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
