/**
 * A cross-process lock around a read-modify-write of shared files (the key store, the policy file, trust caches,
 * a repository's `.sig` tag), that survives crashes. The lock file (lock-file.ts) names its holder: pid, host,
 * process space, start time and a nonce for this hold; while held it is touched every staleMs/3 (a heartbeat). A
 * waiter takes over a lock whose holder is provably gone — this host and process space, and the pid not running or
 * started at another time (reused) — or whose heartbeat it has itself watched stay still for staleMs/2 while the
 * file's own age is past staleMs (another host, a frozen process; watching it on our clock means a skewed clock on
 * the holder's host cannot make a live lock look old), and says so through `onNotice`. Within one process, callers
 * of the same lock queue in memory; taking a lock again inside its own hold is a programming error, refused.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readdir, utimes } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TrustExtError } from './errors.ts';
import { createLock, readLock, releaseLock, removeAbandoned, type SeenLock } from './lock-file.ts';
import { describeHolder, isHolderGone, newHold } from './lock-holder.ts';
import { removeAbandonedTemps } from './temp-files.ts';

/** How a lock is waited for, when a held one counts as abandoned, and what is cleaned once it is held. */
export interface LockOptions {
  /** Give up waiting after this long (default 20 s). */
  readonly timeoutMs?: number;
  /** Poll interval while waiting (default 25 ms, jittered). */
  readonly retryMs?: number;
  /** A lock whose heartbeat stopped for this long is abandoned (default 30 s). */
  readonly staleMs?: number;
  /** Told, in one line, when an abandoned lock is taken over. */
  readonly onNotice?: (line: string) => void;
  /**
   * Once the lock is held, also clear what crashed writers left beside it: 'directory' (a directory trustext owns:
   * every abandoned temporary file and lock file of ours), or 'file' (only the temporary files of the file the lock
   * is named after, `<file>.lock`: for directories trustext does not own).
   */
  readonly sweep?: 'directory' | 'file';
}

/** A lock a live holder kept past the timeout (LOCK_TIMEOUT). */
export class LockTimeoutError extends TrustExtError {
  readonly path: string;
  readonly holder: string;
  constructor(path: string, holder: string, waitedMs: number) {
    super('LOCK_TIMEOUT', `timed out after ${Math.round(waitedMs / 1000)} s waiting for ${path}, held by ${holder}`);
    this.path = path;
    this.holder = holder;
  }
}

const DEFAULTS = { timeoutMs: 20_000, retryMs: 25, staleMs: 30_000 };
const queues = new Map<string, Promise<unknown>>();
/** The locks this process holds now (resolved path → nonce): never swept as abandoned. */
const held = new Map<string, string>();
const inside = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs `fn` while holding the lock file `path` (its directory must exist), releasing it afterwards whatever
 * happens. Rejects with LockTimeoutError when a live holder keeps it past the timeout, or with the system error
 * when the lock file cannot be created at all.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = resolve(path);
  const mine = inside.getStore() ?? new Set<string>();
  if (mine.has(key)) throw new Error(`${key} is already held by this call chain: a nested lock would wait for itself`);
  const before = queues.get(key) ?? Promise.resolve();
  const turn = before.catch(() => undefined).then(() => inside.run(new Set([...mine, key]), () => locked(key, fn, options)));
  const tail = turn.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return turn;
}

async function locked<T>(path: string, fn: () => Promise<T>, options: LockOptions): Promise<T> {
  const opts = { ...DEFAULTS, ...options };
  const nonce = await acquire(path, opts);
  held.set(path, nonce);
  const beat = setInterval(
    () => {
      void utimes(path, new Date(), new Date()).catch(() => undefined);
    },
    Math.max(20, opts.staleMs / 3),
  );
  beat.unref();
  try {
    if (opts.sweep === 'directory') await sweepDirectory(dirname(path), opts);
    else if (opts.sweep === 'file') await removeAbandonedTemps(dirname(path), basename(path).replace(/\.lock$/, ''));
    return await fn();
  } finally {
    clearInterval(beat);
    held.delete(path);
    await releaseLock(path, nonce);
  }
}

/** Creates the lock file, or takes over an abandoned one; returns the nonce of our hold. */
async function acquire(path: string, opts: typeof DEFAULTS & LockOptions): Promise<string> {
  const started = Date.now();
  const hold = newHold();
  const record = `${JSON.stringify(hold)}\n`;
  let watched: { hold: string; mtimeMs: number; since: number } | undefined;
  for (;;) {
    if (await createLock(path, record)) return hold.nonce;
    const seen = await readLock(path);
    if (seen) {
      if (watched?.hold !== seen.hold || watched.mtimeMs !== seen.mtimeMs) watched = { hold: seen.hold, mtimeMs: seen.mtimeMs, since: Date.now() };
      const why = abandonment(seen, opts.staleMs, Date.now() - watched.since);
      if (why && (await removeAbandoned(path, seen))) {
        opts.onNotice?.(`taking over the lock ${path}: ${describeHolder(seen.holder)} ${why}`);
        continue;
      }
    }
    if (Date.now() - started >= opts.timeoutMs) {
      throw new LockTimeoutError(path, seen ? describeHolder(seen.holder) : 'another process', Date.now() - started);
    }
    await sleep(opts.retryMs * (0.5 + Math.random()));
  }
}

/** Why a seen lock is abandoned (see the module comment), or undefined while its holder may be alive. */
function abandonment(seen: SeenLock, staleMs: number, watchedMs: number): string | undefined {
  if (seen.holder !== undefined && isHolderGone(seen.holder)) return 'is no longer running';
  if (seen.ageMs > staleMs && watchedMs >= staleMs / 2) return `has not refreshed it for ${Math.round(seen.ageMs / 1000)} s`;
  return undefined;
}

/**
 * Clears what crashed writers left in `dir`, a directory trustext owns: temporary files of gone writers, and lock
 * files holding one of our records whose holder is provably gone (never another program's `*.lock`, never a lock
 * judged only by its age: that takes watching, which waiters do). Never throws.
 */
export async function sweepDirectory(dir: string, options: LockOptions = {}): Promise<void> {
  await removeAbandonedTemps(dir);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.lock'));
  } catch {
    return;
  }
  for (const name of names) {
    const path = resolve(dir, name);
    if (held.has(path)) continue;
    const seen = await readLock(path).catch(() => undefined);
    if (!seen?.holder?.nonce || !isHolderGone(seen.holder)) continue;
    if (await removeAbandoned(path, seen).catch(() => false)) {
      options.onNotice?.(`removed the abandoned lock ${path}: ${describeHolder(seen.holder)} is no longer running`);
    }
  }
}
