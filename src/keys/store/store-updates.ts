/**
 * The simple ways the store changes, each a small transaction under the store lock: adding a key (its files
 * first, each never over an existing file, then keys.json; the files are removed again if a later step
 * fails), changing one entry (keys.json only) and removing a key (keys.json first, then its files, so a
 * crash never leaves an entry without its key). Adding and removing are journaled (store-journal.ts), so a
 * crash in between is finished or undone by the next holder of the lock. keys.json is always replaced
 * atomically. Rotation, which touches several files, is store-rotate.ts.
 */
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import type { KeyEntry } from './key-store.ts';
import { ensurePrivateDir } from './keys-dir.ts';
import { INDEX_FILE, readIndex, serializeIndex } from './store-index.ts';
import { errorCode, type AtomicWriter } from './store-files.ts';
import { beginChange, endChange } from './store-journal.ts';
import { withStoreLock, type LockOptions } from './store-lock.ts';

/** Where and how a store writes: its directory, the atomic writer and the lock settings. */
export interface StoreIo {
  readonly dir: string;
  readonly write: AtomicWriter;
  readonly lock: LockOptions;
}

/** What addKey does when the name is taken: fail with KEY_EXISTS, or hand back the entry already there. */
export type WhenTaken = 'fail' | 'use';

/**
 * Adds `entry` with its key `files` ([file name, contents]). KEY_EXISTS when the name (unless `whenTaken` is
 * 'use': then the existing entry is returned, `added` false) or the key (same id) is already in the index, or a
 * key file already exists; KEYSTORE_FAILED when writing fails. Either the entry and all its files are stored,
 * or none of them, a crash included.
 */
export async function addKey(
  io: StoreIo,
  entry: KeyEntry,
  files: readonly (readonly [string, string])[],
  whenTaken: WhenTaken = 'fail',
): Promise<{ entry: KeyEntry; added: boolean }> {
  await ensurePrivateDir(io.dir);
  return withStoreLock(
    io.dir,
    async () => {
      const { entries } = await readIndex(io.dir);
      const taken = entries.find((e) => e.name === entry.name);
      if (taken && whenTaken === 'use') return { entry: taken, added: false };
      // The key itself already stored (under any name) is named, so a caller can reuse it; else a taken name.
      const twin = entries.find((e) => e.id === entry.id);
      if (twin) throw alreadyStored(twin.name);
      if (taken) throw keyExists(entry.name);
      const stray = await firstExisting(
        io.dir,
        files.map(([f]) => f),
      );
      if (stray)
        throw new KeyError(
          'KEY_EXISTS',
          `files for key "${entry.name}" already exist in ${io.dir} but are not in ${INDEX_FILE} (${stray}); move them away first`,
        );
      await beginChange(io.dir, io.write, { op: 'add', name: entry.name, id: entry.id, files: files.map(([f]) => f) });
      const written: string[] = [];
      try {
        for (const [file, text] of files) {
          const path = join(io.dir, file);
          await io.write(path, text, { noClobber: true });
          written.push(path);
        }
        await writeIndex(io, [...entries, entry], entry.name);
      } catch (err) {
        await Promise.all(written.map((p) => rm(p, { force: true }).catch(() => undefined)));
        await endChange(io.dir);
        if (err instanceof KeyError) throw err;
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new KeyError('KEY_EXISTS', `files for key "${entry.name}" already exist in ${io.dir} but are not in ${INDEX_FILE}; move them away first`, {
            cause: err,
          });
        }
        throw new KeyError('KEYSTORE_FAILED', `cannot write key "${entry.name}" to ${io.dir}: ${errorCode(err)}`, { cause: err });
      }
      await endChange(io.dir);
      return { entry, added: true };
    },
    io.lock,
  );
}

/** The first of `files` (names in `dir`) that exists, or undefined. */
export async function firstExisting(dir: string, files: readonly string[]): Promise<string | undefined> {
  for (const f of files) {
    if (
      await lstat(join(dir, f)).then(
        () => true,
        () => false,
      )
    )
      return f;
  }
  return undefined;
}

/** Replaces the entry called `name` with `change(entry)` (nothing is written when it returns the same object). */
export async function updateKey(io: StoreIo, name: string, change: (entry: KeyEntry) => KeyEntry): Promise<KeyEntry> {
  return withEntry(io, name, async (entry, entries) => {
    const updated = change(entry);
    if (updated !== entry)
      await writeIndex(
        io,
        entries.map((e) => (e === entry ? updated : e)),
        name,
      );
    return updated;
  });
}

/**
 * Runs `change` under the store lock with the index and the entry called `name` (KEY_NOT_FOUND when there is none):
 * the shape of every transaction on one existing key.
 */
export async function withEntry<T>(io: StoreIo, name: string, change: (entry: KeyEntry, entries: readonly KeyEntry[]) => Promise<T>): Promise<T> {
  await ensurePrivateDir(io.dir);
  return withStoreLock(
    io.dir,
    async () => {
      const { entries } = await readIndex(io.dir);
      const entry = entries.find((e) => e.name === name);
      if (!entry) throw keyNotFound(name, io.dir);
      return change(entry, entries);
    },
    io.lock,
  );
}

/** Removes the entry called `name` from the index, then its key files; KEY_NOT_FOUND when there is none. */
export async function removeKey(io: StoreIo, name: string): Promise<KeyEntry> {
  return withEntry(io, name, async (entry, entries) => {
    const files = [`${name}.key`, `${name}.pub`];
    await beginChange(io.dir, io.write, { op: 'remove', name, id: entry.id, files });
    await writeIndex(
      io,
      entries.filter((e) => e !== entry),
      name,
    );
    await Promise.all(files.map((f) => rm(join(io.dir, f), { force: true }).catch(() => undefined)));
    await endChange(io.dir);
    return entry;
  });
}

/** KEY_EXISTS for a key that is already in the store (under `name`, which the error carries). */
function alreadyStored(name: string): KeyError {
  return new KeyError('KEY_EXISTS', `this key is already in the store as "${name}"`, { existingName: name });
}

/** KEY_EXISTS for a name taken by a different key (no existingName: nothing to reuse). */
export function keyExists(name: string): KeyError {
  return new KeyError('KEY_EXISTS', `a key named "${name}" already exists`);
}

/** KEY_NOT_FOUND for an unknown name. */
export function keyNotFound(name: string, dir: string): KeyError {
  return new KeyError('KEY_NOT_FOUND', `no key named "${name}" in ${dir}`);
}

/** Replaces keys.json with `entries` (KEYSTORE_FAILED naming key `name` on failure); callers hold the lock. */
export async function writeIndex(io: StoreIo, entries: readonly KeyEntry[], name: string): Promise<void> {
  const path = join(io.dir, INDEX_FILE);
  try {
    await io.write(path, serializeIndex(entries), { noClobber: false });
  } catch (err) {
    throw new KeyError('KEYSTORE_FAILED', `cannot update ${path} for key "${name}": ${errorCode(err)}`, { cause: err });
  }
}
