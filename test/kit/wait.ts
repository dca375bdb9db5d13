/**
 * Waiting on what a test waits for, instead of a fixed sleep: an event (a promise) bounded by a deadline, or, only
 * where nothing reports the condition, polling it until a deadline. Neither throws on the deadline: the assertion
 * that follows says what did not happen, as it did after a sleep.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves true as soon as `event` settles, or false after `timeoutMs`. */
export async function waitFor(event: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  const deadline = new AbortController();
  const settled = event.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, sleep(timeoutMs, false, { signal: deadline.signal })]);
  } finally {
    deadline.abort();
  }
}

/** Checks `condition` every `intervalMs` until it holds (true) or `timeoutMs` has passed (false). */
export async function pollUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= end) return false;
    await sleep(intervalMs);
  }
}
