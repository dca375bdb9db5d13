/**
 * The primitives of one lock file: creating it whole (a complete temporary file link(2)ed into place, so it exists
 * with its holder record or not at all), reading who holds it (a regular file only, never followed through a
 * symlink, at most 4 KiB), removing an abandoned one — under a short guard file `<lock>.takeover`, after reading
 * it again, so that of several waiters only one removes it and none removes a lock taken meanwhile — and
 * releasing one's own (by nonce, not inode: file systems reuse inodes at once).
 */
import { constants } from 'node:fs';
import { type FileHandle, link, open, rm } from 'node:fs/promises';
import { isHolderGone, newHold, parseHolder, type LockHolder } from './lock-holder.ts';
import { tempPathFor } from './temp-files.ts';

/** A lock file as seen once: who holds it, its age by its own clock, and a key that changes with every hold or refresh. */
export interface SeenLock {
  readonly holder: LockHolder | undefined;
  readonly ageMs: number;
  /** The hold (nonce, or the whole text of a record without one) — same key, same hold. */
  readonly hold: string;
  readonly mtimeMs: number;
}

/** A guard whose holder has not finished within this long is presumed dead (taking over takes milliseconds). */
const GUARD_STALE_MS = 10_000;

/** Creates the lock file at `path` holding `record` (JSON text); false when it already exists. */
export async function createLock(path: string, record: string): Promise<boolean> {
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(record);
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The lock file at `path` as it is now; undefined when there is none. A non-regular file is an error (never ours). */
export async function readLock(path: string): Promise<SeenLock | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EINVAL' });
    const text = st.size <= 4096 ? await handle.readFile('utf8') : '';
    const holder = parseHolder(text);
    return { holder, ageMs: Date.now() - st.mtimeMs, mtimeMs: st.mtimeMs, hold: holder?.nonce ?? `${st.ino}:${st.mtimeMs}:${text}` };
  } finally {
    await handle.close();
  }
}

/**
 * Removes the lock at `path` if it is still the hold `seen` was (true), under the guard `<path>.takeover`; false when
 * another process is taking it over now, or the lock changed. A guard left by a crashed taker is removed.
 */
export async function removeAbandoned(path: string, seen: SeenLock): Promise<boolean> {
  const guard = `${path}.takeover`;
  const mine = newHold();
  if (!(await createLock(guard, `${JSON.stringify(mine)}\n`))) {
    const other = await readLock(guard).catch(() => undefined);
    if (other && (other.ageMs > GUARD_STALE_MS || (other.holder !== undefined && isHolderGone(other.holder)))) await releaseLock(guard, other.hold);
    return false;
  }
  try {
    const again = await readLock(path);
    // Same hold and not refreshed since (a frozen holder that woke up would have touched it): still abandoned.
    if (!again || again.hold !== seen.hold || again.mtimeMs !== seen.mtimeMs) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    await releaseLock(guard, mine.nonce);
  }
}

/** Removes the lock at `path` only while it is the hold `hold` (a hold that was taken over is someone else's now). */
export async function releaseLock(path: string, hold: string): Promise<void> {
  const now = await readLock(path).catch(() => undefined);
  if (now?.hold === hold) await rm(path, { force: true });
}
