/**
 * A separate process for the lock tests: `node lock-worker.ts LOCK COUNTER N` does N read-increment-writes of the
 * counter file under the lock (with a pause between read and write, so an unlocked run would lose increments);
 * `node lock-worker.ts LOCK hold [STALE_MS]` takes the lock, prints "held", and waits to be killed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { withFileLock } from '../../../src/shared/file-lock.ts';

const [lock, what, times] = process.argv.slice(2);
if (what === 'hold') {
  await withFileLock(
    lock!,
    async () => {
      process.stdout.write('held\n');
      await new Promise(() => setInterval(() => undefined, 1000));
    },
    times ? { staleMs: Number(times) } : {},
  );
} else {
  for (let i = 0; i < Number(times); i++) {
    await withFileLock(
      lock!,
      async () => {
        const n = Number(await readFile(what!, 'utf8').catch(() => '0'));
        await sleep(2);
        await writeFile(what!, String(n + 1));
      },
      { timeoutMs: 30_000 },
    );
  }
}
