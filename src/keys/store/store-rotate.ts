/**
 * Key rotation as one transaction under the store lock. The old key keeps its files under its retired name
 * `<name>.<12 hex of id>` (so its signatures can still be audited), the new key takes `<name>.key` and
 * `<name>.pub`, and a single keys.json replacement switches both entries. Order: copy the old files to the
 * retired names (never over an existing file), replace the live files, write the index; any failure puts
 * the old live files back and removes the copies, leaving the store byte-identical. The rotation is journaled
 * (store-journal.ts): a crash anywhere before the index write is undone by the next holder of the store lock
 * (the old key put back from its copies), one after it is complete.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import type { KeyEntry, Rotation } from './key-store.ts';
import { retiredName } from './store-index.ts';
import { errorCode, readFileLimited } from './store-files.ts';
import { beginChange, endChange } from './store-journal.ts';
import { firstExisting, keyExists, withEntry, writeIndex, type StoreIo } from './store-updates.ts';

/** What rotate prepared before taking the lock: the key it checked, the new entry (scopes are taken under the lock) and its files. */
export interface RotationPlan {
  readonly oldId: string;
  readonly current: KeyEntry;
  readonly keyFile: string;
  readonly pubFile: string;
  /** The revocation time for the old key (kept when it was already revoked). */
  readonly now: string;
}

/**
 * Retires key `plan.current.name` (which must still have id `plan.oldId`: KEYSTORE_FAILED if it changed
 * meanwhile) and installs the new key in its place. KEY_EXISTS when the retired name is taken.
 */
export async function applyRotation(io: StoreIo, plan: RotationPlan): Promise<Rotation> {
  const { name } = plan.current;
  return withEntry(io, name, async (entry, entries) => {
    if (entry.id !== plan.oldId) throw new KeyError('KEYSTORE_FAILED', `key "${name}" changed while it was being rotated; try again`);
    const retired = retiredName(name, entry.id);
    if (entries.some((e) => e.name === retired)) throw keyExists(retired);
    const old: KeyEntry = { ...entry, name: retired, revoked: entry.revoked ?? plan.now, retiredBy: plan.current.id };
    const current: KeyEntry = { ...plan.current, scopes: entry.scopes };
    const liveFiles = [`${name}.key`, `${name}.pub`];
    const copyFiles = [`${retired}.key`, `${retired}.pub`];
    const stray = await firstExisting(io.dir, copyFiles);
    if (stray) throw new KeyError('KEY_EXISTS', `files for "${retired}" already exist in ${io.dir} but are not in the index (${stray}); move them away first`);
    const live = liveFiles.map((f) => join(io.dir, f));
    const copies = copyFiles.map((f) => join(io.dir, f));
    const before = await Promise.all(live.map(readOld));
    await beginChange(io.dir, io.write, { op: 'rotate', name, newId: current.id, live: liveFiles, copies: copyFiles });
    const created: string[] = [];
    const replaced: number[] = [];
    try {
      for (const [i, path] of copies.entries()) {
        await io.write(path, before[i] ?? '', { noClobber: true });
        created.push(path);
      }
      for (const [i, text] of [plan.keyFile, plan.pubFile].entries()) {
        await io.write(live[i] ?? '', text, { noClobber: false });
        replaced.push(i); // an atomic write that failed left the file as it was
      }
      await writeIndex(io, [...entries.filter((e) => e !== entry), old, current], name);
    } catch (err) {
      const restored = await Promise.all(
        replaced.map((i) =>
          io.write(live[i] ?? '', before[i] ?? '', { noClobber: false }).then(
            () => true,
            () => false,
          ),
        ),
      );
      // Undone here only if every live file is back; otherwise the copies and the journal stay, and the next
      // holder of the lock undoes it from them.
      if (restored.every(Boolean)) {
        await Promise.all(created.map((p) => rm(p, { force: true }).catch(() => undefined)));
        await endChange(io.dir);
      }
      if (err instanceof KeyError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new KeyError('KEY_EXISTS', `files for "${retired}" already exist in ${io.dir} but are not in the index; move them away first`, { cause: err });
      }
      throw new KeyError('KEYSTORE_FAILED', `cannot rotate key "${name}" in ${io.dir}: ${errorCode(err)}`, { cause: err });
    }
    await endChange(io.dir);
    return { old, current };
  });
}

async function readOld(path: string): Promise<string> {
  try {
    return await readFileLimited(path);
  } catch (err) {
    throw new KeyError('KEYSTORE_FAILED', `cannot read ${path}: ${errorCode(err)}`, { cause: err });
  }
}
