/**
 * Temporary files beside the files they become (`.<name>.<host>-<pid>-<random>.tmp`, `<host>` six hex digits of the
 * host name and process space), named so that the writer can be told from the name alone: a later process removes
 * those whose writer is gone (this host and process space, and the pid not running), those of other hosts after an
 * hour, and in directories trustext owns those of older trustext versions (`.<name>.<12 hex>.tmp`) after ten
 * minutes. A writer only leaves one behind when it was killed mid-write.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isRunning, processSpace } from './lock-holder.ts';

const OURS = /^\..+\.([0-9a-f]{6})-(\d{1,10})-[0-9a-f]{12}\.tmp$/;
const LEGACY = /^\..+\.[0-9a-f]{12}\.tmp$/;
const OTHER_HOST_MS = 3_600_000;
const LEGACY_MS = 600_000;

let hostTag: string | undefined;

/** Six hex digits of sha256(host name, process space): enough to tell this host's temporary files from another's on a shared disk. */
function ownHostTag(): string {
  return (hostTag ??= createHash('sha256')
    .update(`${hostname()}\n${processSpace() ?? ''}`)
    .digest('hex')
    .slice(0, 6));
}

/** A fresh temporary path beside `path` for this process. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${ownHostTag()}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** Whether the temporary file called `name` (aged `ageMs`) was left by a writer that is gone; `legacy` also judges older versions' names. */
export function isAbandonedTemp(name: string, ageMs: number, legacy = true): boolean {
  const m = OURS.exec(name);
  if (m) {
    if (m[1] !== ownHostTag()) return ageMs > OTHER_HOST_MS;
    const pid = Number(m[2]);
    return pid !== process.pid && !isRunning(pid);
  }
  return legacy && LEGACY.test(name) && ageMs > LEGACY_MS;
}

/**
 * Removes the abandoned temporary files in `dir` (see the module comment); returns their names. With `only` (a
 * directory trustext does not own, e.g. where TRUSTEXT_POLICY points), only this process's kind of temporary files
 * of that one file are judged. Never throws.
 */
export async function removeAbandonedTemps(dir: string, only?: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.startsWith(only === undefined ? '.' : `.${only}.`) && n.endsWith('.tmp'));
  } catch {
    return [];
  }
  const removed: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      try {
        const st = await lstat(join(dir, name));
        if (!st.isFile() || !isAbandonedTemp(name, Date.now() - st.mtimeMs, only === undefined)) return;
        await rm(join(dir, name), { force: true });
        removed.push(name);
      } catch {
        // gone meanwhile
      }
    }),
  );
  return removed.sort();
}
