/**
 * The key store's lock (keys.json.lock, shared/file-lock.ts), held around every change to the store's files:
 * keys.json, key files, the signing log. Taking it also clears what crashed writers left behind — their
 * temporary files and abandoned locks in the directory — and finishes or undoes a change a crashed process left
 * in the journal (store-journal.ts), so a `kill -9` at any point never needs a person to clean up.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError, TrustExtError } from '../../shared/errors.ts';
import { LockTimeoutError, withFileLock, type LockOptions } from '../../shared/file-lock.ts';
import { errorCode, writeFileAtomic } from './store-files.ts';
import { JOURNAL_FILE, recoverChange } from './store-journal.ts';

export type { LockOptions } from '../../shared/file-lock.ts';

/** The lock file's name inside the store directory. */
export const LOCK_FILE = 'keys.json.lock';

/**
 * Runs `fn` while holding the store lock of `dir` (which must exist), after recovering any interrupted change.
 * KEYSTORE_FAILED when a live process keeps the lock past the timeout (default 20 s) or it cannot be created.
 */
export async function withStoreLock<T>(dir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  try {
    return await withFileLock(
      join(dir, LOCK_FILE),
      async () => {
        const recovered = await recoverChange(dir, writeFileAtomic);
        if (recovered) options.onNotice?.(recovered);
        return fn();
      },
      { ...options, sweep: 'directory' },
    );
  } catch (err) {
    if (err instanceof LockTimeoutError) {
      throw new KeyError('KEYSTORE_FAILED', `the key store ${dir} is busy: ${err.message}; try again when it finishes`, { cause: err });
    }
    if (err instanceof TrustExtError) throw err;
    if (typeof (err as NodeJS.ErrnoException).code === 'string')
      throw new KeyError('KEYSTORE_FAILED', `cannot lock the key store ${dir}: ${errorCode(err)}`, { cause: err });
    throw err;
  }
}

/**
 * Makes sure no change is half done before reading the store without the lock: when a journal is present (a
 * change in progress, or one a crashed process left), waits for the lock, which recovers it. One stat otherwise.
 */
export async function settleStore(dir: string, options: LockOptions = {}): Promise<void> {
  const pending = await access(join(dir, JOURNAL_FILE)).then(
    () => true,
    () => false,
  );
  if (pending) await withStoreLock(dir, async () => undefined, options);
}
