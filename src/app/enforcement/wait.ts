/** Polling for a condition with a deadline, for starting and stopping the proxy process. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves true once `ready()` does, or false after `timeoutMs`; polls every 50 ms, then every 200 ms. */
export async function waitUntil(ready: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < deadline; i++) {
    if (await ready()) return true;
    await sleep(i < 20 ? 50 : 200);
  }
  return ready();
}
