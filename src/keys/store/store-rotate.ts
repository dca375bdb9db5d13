/**
 * Key rotation as one transaction under the store lock. The old key keeps its files under its retired name
 * `<name>.<12 hex of id>` (so its signatures can still be audited), the new key takes `<name>.key` and
 * `<name>.pub`, and a single keys.json replacement switches both entries. Order: copy the old files to the
 * retired names (never over an existing file), replace the live files, write the index; any failure puts
 * the old live files back and removes the copies, leaving the store byte-identical. A crash between the
 * file writes and the index write leaves the old key intact under its retired file names; `signer` then
 * refuses the live name (its file no longer matches the index id) until the rotation is repeated or undone.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import type { KeyEntry, Rotation } from './key-store.ts';
import { ensurePrivateDir } from './keys-dir.ts';
import { readIndex, retiredName } from './store-index.ts';
import { errorCode, readFileLimited } from './store-files.ts';
import { withStoreLock } from './store-lock.ts';
import { keyExists, keyNotFound, writeIndex, type StoreIo } from './store-updates.ts';

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
export async function rotateKey(io: StoreIo, plan: RotationPlan): Promise<Rotation> {
  const { name } = plan.current;
  await ensurePrivateDir(io.dir);
  return withStoreLock(io.dir, async () => {
    const { entries } = await readIndex(io.dir);
    const entry = entries.find((e) => e.name === name);
    if (!entry) throw keyNotFound(name, io.dir);
    if (entry.id !== plan.oldId) throw new KeyError('KEYSTORE_FAILED', `key "${name}" changed while it was being rotated; try again`);
    const retired = retiredName(name, entry.id);
    if (entries.some((e) => e.name === retired)) throw keyExists(retired);
    const old: KeyEntry = { ...entry, name: retired, revoked: entry.revoked ?? plan.now, retiredBy: plan.current.id };
    const current: KeyEntry = { ...plan.current, scopes: entry.scopes };
    const live = [`${name}.key`, `${name}.pub`].map((f) => join(io.dir, f));
    const copies = [`${retired}.key`, `${retired}.pub`].map((f) => join(io.dir, f));
    const before = await Promise.all(live.map(readOld));
    const created: string[] = [];
    let replaced = false;
    try {
      for (const [i, path] of copies.entries()) {
        await io.write(path, before[i] ?? '', { noClobber: true });
        created.push(path);
      }
      replaced = true;
      await io.write(live[0] ?? '', plan.keyFile, { noClobber: false });
      await io.write(live[1] ?? '', plan.pubFile, { noClobber: false });
      await writeIndex(io, [...entries.filter((e) => e !== entry), old, current], name);
    } catch (err) {
      if (replaced) await Promise.all(live.map((p, i) => io.write(p, before[i] ?? '', { noClobber: false }).catch(() => undefined)));
      await Promise.all(created.map((p) => rm(p, { force: true }).catch(() => undefined)));
      if (err instanceof KeyError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new KeyError('KEY_EXISTS', `files for "${retired}" already exist in ${io.dir} but are not in the index; move them away first`, { cause: err });
      }
      throw new KeyError('KEYSTORE_FAILED', `cannot rotate key "${name}" in ${io.dir}: ${errorCode(err)}`, { cause: err });
    }
    return { old, current };
  }, io.lock);
}

async function readOld(path: string): Promise<string> {
  try {
    return await readFileLimited(path);
  } catch (err) {
    throw new KeyError('KEYSTORE_FAILED', `cannot read ${path}: ${errorCode(err)}`, { cause: err });
  }
}
