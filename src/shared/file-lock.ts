/**
 * A cross-process lock around a read-modify-write of shared files (the key store, the policy file, trust caches,
 * a repository's `.sig` tag), that survives crashes. The lock is a file created atomically with its contents
 * (written to a temporary file, then link(2)ed into place: it exists whole or not at all), naming its holder:
 * pid, host and the process's start time. While held it is touched every staleMs/3 (a heartbeat). A waiter takes
 * over a lock whose holder is provably gone — same host and the pid is not running, or running but started at
 * another time (a reused pid) — or whose heartbeat stopped for staleMs (another host, a frozen process), and says
 * so through `onNotice`. Within one process, callers of the same lock queue in memory. Not re-entrant.
 */
import { link, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeHolder, isHolderGone, ownHolder, parseHolder, type LockHolder } from './lock-holder.ts';
import { removeAbandonedTemps, tempPathFor } from './temp-files.ts';

/** How a lock is waited for and when a held one counts as abandoned. */
export interface LockOptions {
  /** Give up waiting after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Poll interval while waiting (default 25 ms, jittered). */
  readonly retryMs?: number;
  /** A lock whose heartbeat is older than this is abandoned (default 30 s). */
  readonly staleMs?: number;
  /** Told, in one line, when an abandoned lock is taken over. */
  readonly onNotice?: (line: string) => void;
  /** Once the lock is held, also clear what crashed writers left in its directory (temporary files, other abandoned locks). */
  readonly sweep?: boolean;
}

/** Why a lock could not be taken: its path, and who holds it. */
export class LockTimeoutError extends Error {
  readonly path: string;
  readonly holder: string;
  constructor(path: string, holder: string, waitedMs: number) {
    super(`timed out after ${Math.round(waitedMs / 1000)} s waiting for ${path}, held by ${holder}`);
    this.path = path;
    this.holder = holder;
  }
}

const DEFAULTS = { timeoutMs: 10_000, retryMs: 25, staleMs: 30_000, sweep: false };
const queues = new Map<string, Promise<unknown>>();
/** The locks this process holds now (resolved paths): never swept as abandoned. */
const held = new Set<string>();

/**
 * Runs `fn` while holding the lock file `path` (its directory must exist), releasing it afterwards whatever
 * happens. Rejects with LockTimeoutError when a live holder keeps it past the timeout, or with the system error
 * when the lock file cannot be created at all.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = resolve(path);
  const before = queues.get(key) ?? Promise.resolve();
  const turn = before.catch(() => undefined).then(() => locked(key, fn, options));
  const tail = turn.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => { if (queues.get(key) === tail) queues.delete(key); });
  return turn;
}

async function locked<T>(path: string, fn: () => Promise<T>, options: LockOptions): Promise<T> {
  const opts = { ...DEFAULTS, ...options };
  const ino = await acquire(path, opts);
  held.add(path);
  const beat = setInterval(() => { void utimes(path, new Date(), new Date()).catch(() => undefined); }, Math.max(50, opts.staleMs / 3));
  beat.unref();
  try {
    if (opts.sweep) await sweep(dirname(path), opts);
    return await fn();
  } finally {
    clearInterval(beat);
    held.delete(path);
    await release(path, ino);
  }
}

/** Creates the lock file (or takes over an abandoned one) and returns its inode, which identifies our hold. */
async function acquire(path: string, opts: typeof DEFAULTS & LockOptions): Promise<number> {
  const started = Date.now();
  const record = `${JSON.stringify(ownHolder())}\n`;
  for (;;) {
    const ino = await tryCreate(path, record);
    if (ino !== undefined) return ino;
    const seen = await inspect(path);
    if (seen && isAbandoned(seen, opts.staleMs)) {
      if (await takeOver(path, seen.ino)) opts.onNotice?.(`taking over the lock ${path}: ${describeHolder(seen.holder)} ${whyAbandoned(seen, opts.staleMs)}`);
      continue;
    }
    if (Date.now() - started >= opts.timeoutMs) {
      throw new LockTimeoutError(path, seen ? describeHolder(seen.holder) : 'another process', Date.now() - started);
    }
    await sleep(opts.retryMs * (0.5 + Math.random()));
  }
}

/** link(2) of a complete temporary file: the lock appears whole, or EEXIST says it is held. */
async function tryCreate(path: string, record: string): Promise<number | undefined> {
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(record);
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, path);
    return (await stat(path)).ino;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

interface Seen {
  readonly ino: number;
  readonly ageMs: number;
  readonly holder: LockHolder | undefined;
}

/** What the lock file says about its holder now; undefined when it just went away. */
async function inspect(path: string): Promise<Seen | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      const text = st.size <= 4096 ? await handle.readFile('utf8') : '';
      return { ino: st.ino, ageMs: Date.now() - st.mtimeMs, holder: parseHolder(text) };
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isAbandoned(seen: Seen, staleMs: number): boolean {
  return seen.ageMs > staleMs || (seen.holder !== undefined && isHolderGone(seen.holder));
}

function whyAbandoned(seen: Seen, staleMs: number): string {
  if (seen.holder !== undefined && isHolderGone(seen.holder)) return 'is no longer running';
  return `has not refreshed it for ${Math.round(staleMs / 1000)} s`;
}

/**
 * Removes the abandoned lock with inode `ino`, and only that one: it is renamed away (atomic: of several waiters
 * only one gets it), then checked; a fresh lock taken by mistake (the abandoned one was replaced meanwhile) is
 * linked back at once. True when this call removed the abandoned lock.
 */
async function takeOver(path: string, ino: number): Promise<boolean> {
  const aside = tempPathFor(path);
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    if ((await stat(aside)).ino === ino) return true;
    await link(aside, path).catch(() => undefined);
    return false;
  } finally {
    await rm(aside, { force: true });
  }
}

/** Removes the lock file if it is still ours (a holder presumed dead may have had its lock taken over). */
async function release(path: string, ino: number): Promise<void> {
  try {
    if ((await stat(path)).ino === ino) await rm(path, { force: true });
  } catch {
    // already gone
  }
}

/**
 * Removes the abandoned lock files (`*.lock`) in `dir` — left by holders that crashed and that no waiter has
 * taken over since — with a notice each; locks held by live processes, or by this one, are left alone.
 */
export async function removeAbandonedLocks(dir: string, options: LockOptions = {}): Promise<void> {
  const staleMs = options.staleMs ?? DEFAULTS.staleMs;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.lock'));
  } catch {
    return;
  }
  for (const name of names) {
    const path = resolve(dir, name);
    if (held.has(path)) continue;
    const seen = await inspect(path).catch(() => undefined);
    if (seen && isAbandoned(seen, staleMs) && (await takeOver(path, seen.ino).catch(() => false))) {
      options.onNotice?.(`removed the abandoned lock ${path}: ${describeHolder(seen.holder)} ${whyAbandoned(seen, staleMs)}`);
    }
  }
}

async function sweep(dir: string, options: LockOptions): Promise<void> {
  await removeAbandonedTemps(dir);
  await removeAbandonedLocks(dir, options);
}
