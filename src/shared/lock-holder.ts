/**
 * Who holds a lock or wrote a temporary file, and whether that process is gone: pid, host name and, where the
 * system tells (Linux /proc/<pid>/stat, field 22 `starttime`, proc(5)), when the process started, so that a pid
 * reused by an unrelated process after a crash is not mistaken for the holder.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** A lock holder as recorded in the lock file. `host` is absent in locks written by older trustext versions. */
export interface LockHolder {
  readonly pid: number;
  readonly host?: string;
  /** The process start time in clock ticks since boot (Linux), absent where unknown. */
  readonly start?: string;
}

let own: LockHolder | undefined;

/** This process as a lock holder. */
export function ownHolder(): LockHolder {
  if (!own) {
    const start = processStart(process.pid);
    own = { pid: process.pid, host: hostname(), ...(start !== undefined && { start }) };
  }
  return own;
}

/** The holder recorded in a lock file's text (our JSON record, or an older trustext's bare pid); undefined when unreadable. */
export function parseHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d{1,10}$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const v = JSON.parse(trimmed) as Partial<Record<keyof LockHolder, unknown>> | null;
    if (typeof v?.pid !== 'number' || !Number.isSafeInteger(v.pid) || v.pid <= 0) return undefined;
    return {
      pid: v.pid,
      ...(typeof v.host === 'string' && { host: v.host }),
      ...(typeof v.start === 'string' && { start: v.start }),
    };
  } catch {
    return undefined;
  }
}

/**
 * True when `holder` certainly no longer runs: it ran on this host (or names no host, as older trustext versions
 * did) and its pid is not running, or is running but started at another time. A holder on another host is never
 * judged here (its heartbeat decides).
 */
export function isHolderGone(holder: LockHolder): boolean {
  if (holder.host !== undefined && holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return holder.start !== undefined && holder.start !== ownHolder().start;
  if (!isRunning(holder.pid)) return true;
  const start = holder.start === undefined ? undefined : processStart(holder.pid);
  return start !== undefined && start !== holder.start;
}

/** `process 123 on host h` for messages. */
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
