/**
 * Who holds a lock or wrote a temporary file, and whether that process is certainly gone: pid, host name, the
 * "process space" (Linux boot id and pid namespace, proc(5): /proc/sys/kernel/random/boot_id, /proc/self/ns/pid, so
 * that two containers with one host name are not mistaken for each other), and when the process started (field 22
 * `starttime` of /proc/<pid>/stat), so that a pid reused after a crash is not mistaken for the holder. A `nonce`
 * tells one hold from the next, whatever inode the file system gives the new lock file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** A lock holder as recorded in the lock file. Locks of older trustext versions hold only a pid. */
export interface LockHolder {
  readonly pid: number;
  readonly host?: string;
  /** Boot id and pid namespace: pids compare only within one. */
  readonly space?: string;
  /** The process start time in clock ticks since boot (Linux). */
  readonly start?: string;
  /** Unique per hold. */
  readonly nonce?: string;
}

let space: string | undefined | null = null;

/** This machine's boot id and this process's pid namespace, where the system tells (undefined elsewhere). */
export function processSpace(): string | undefined {
  if (space === null) {
    try {
      space = `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}/${readlinkSync('/proc/self/ns/pid')}`;
    } catch {
      space = undefined;
    }
  }
  return space;
}

/** This process as the holder of a new hold (a fresh nonce each time). */
export function newHold(): LockHolder & { readonly nonce: string } {
  const start = processStart(process.pid);
  const sp = processSpace();
  return {
    pid: process.pid,
    host: hostname(),
    ...(sp !== undefined && { space: sp }),
    ...(start !== undefined && { start }),
    nonce: randomBytes(12).toString('hex'),
  };
}

/** The holder recorded in a lock file's text (our JSON record, or an older trustext's bare pid); undefined when unreadable. */
export function parseHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d{1,10}$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const v = JSON.parse(trimmed) as Partial<Record<keyof LockHolder, unknown>> | null;
    if (typeof v?.pid !== 'number' || !Number.isSafeInteger(v.pid) || v.pid <= 0) return undefined;
    const str = (k: 'host' | 'space' | 'start' | 'nonce') => (typeof v[k] === 'string' ? { [k]: v[k] as string } : {});
    return { pid: v.pid, ...str('host'), ...str('space'), ...str('start'), ...str('nonce') };
  } catch {
    return undefined;
  }
}

/**
 * True when `holder` certainly no longer runs: it ran in this process space (or names no host, as older trustext
 * versions did) and its pid is not running, or is running but started at another time. A holder elsewhere is
 * never judged here (its heartbeat decides).
 */
export function isHolderGone(holder: LockHolder): boolean {
  if (holder.host !== undefined && holder.host !== hostname()) return false;
  if (holder.space !== undefined && holder.space !== processSpace()) return false;
  if (!isRunning(holder.pid)) return true;
  const start = holder.start === undefined ? undefined : processStart(holder.pid);
  return start !== undefined && start !== holder.start;
}

/** `process 123`, or `process 123 on host h`, for messages. */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'an unknown process';
  return `process ${holder.pid}${holder.host !== undefined && holder.host !== hostname() ? ` on ${holder.host}` : ''}`;
}

/** kill(pid, 0): ESRCH means no such process; EPERM means it runs under another user. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces); undefined elsewhere. */
function processStart(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const start = fields[19];
    return start !== undefined && /^\d+$/.test(start) ? start : undefined;
  } catch {
    return undefined;
  }
}
