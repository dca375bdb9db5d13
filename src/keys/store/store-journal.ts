/**
 * The store's intent journal, journal.json: written (atomically, under the store lock) before a change that
 * touches several files, removed once keys.json says it is done. A process killed in between leaves it behind, and
 * the next holder of the store lock finishes or undoes the change from it and keys.json alone, so the store never
 * needs a person:
 * - add: keys.json holds the entry → done; else the key files it names (created by that add: it checked they did
 *   not exist) are removed;
 * - remove: keys.json no longer holds the entry → its files are removed; else nothing happened;
 * - rotate: keys.json holds the new key under the name → done; else each live file is put back from its copy
 *   under the retired name (copies are complete before any live file is replaced), and the copies are removed.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import { readIndex } from './store-index.ts';
import { errorCode, readFileLimited, type AtomicWriter } from './store-files.ts';

/** The journal's file name inside the store directory. */
export const JOURNAL_FILE = 'journal.json';

/** One pending change, as the journal records it (file names relative to the store directory). */
export type JournalEntry =
  | { readonly op: 'add'; readonly name: string; readonly id: string; readonly files: readonly string[] }
  | { readonly op: 'remove'; readonly name: string; readonly id: string; readonly files: readonly string[] }
  | { readonly op: 'rotate'; readonly name: string; readonly newId: string; readonly live: readonly string[]; readonly copies: readonly string[] };

/** Records `entry` before the change starts; callers hold the store lock. */
export async function beginChange(dir: string, write: AtomicWriter, entry: JournalEntry): Promise<void> {
  try {
    await write(join(dir, JOURNAL_FILE), `${JSON.stringify({ version: 1, ...entry })}\n`, { noClobber: false });
  } catch (err) {
    throw new KeyError('KEYSTORE_FAILED', `cannot write ${join(dir, JOURNAL_FILE)}: ${errorCode(err)}`, { cause: err });
  }
}

/** Marks the change done (the journal goes); a failure here is harmless: recovery finds the change complete. */
export async function endChange(dir: string): Promise<void> {
  await rm(join(dir, JOURNAL_FILE), { force: true }).catch(() => undefined);
}

/**
 * Finishes or undoes what a crashed process left in the journal (see the module comment); callers hold the store
 * lock. Returns a line describing what was done, or undefined when there was nothing to do.
 */
export async function recoverChange(dir: string, write: AtomicWriter): Promise<string | undefined> {
  const entry = await readJournal(dir);
  if (!entry) return undefined;
  const { entries } = await readIndex(dir);
  const remove = (files: readonly string[]) => Promise.all(files.map((f) => rm(join(dir, f), { force: true })));
  let outcome: string;
  if (entry.op === 'add') {
    const done = entries.some((e) => e.name === entry.name && e.id === entry.id);
    if (!done) await remove(entry.files);
    outcome = done ? 'it had completed' : 'its files were removed';
  } else if (entry.op === 'remove') {
    const done = !entries.some((e) => e.name === entry.name && e.id === entry.id);
    if (done) await remove(entry.files);
    outcome = done ? 'its files were removed' : 'nothing had changed';
  } else {
    const done = entries.some((e) => e.name === entry.name && e.id === entry.newId);
    if (!done) {
      for (const [i, copy] of entry.copies.entries()) {
        const text = await readFileLimited(join(dir, copy)).catch(() => undefined);
        if (text !== undefined) await write(join(dir, entry.live[i]!), text, { noClobber: false });
      }
      await remove(entry.copies);
    }
    outcome = done ? 'it had completed' : 'the old key was put back';
  }
  await endChange(dir);
  return `recovered an interrupted ${entry.op === 'rotate' ? 'rotation' : entry.op === 'add' ? 'key creation' : 'key removal'} of "${entry.name}" in ${dir}: ${outcome}`;
}

const FILE = /^[a-z0-9][a-z0-9_.-]*\.(key|pub)$/;

/** The journal's entry, or undefined when there is none; a damaged journal is KEYSTORE_FAILED (never guessed at). */
async function readJournal(dir: string): Promise<JournalEntry | undefined> {
  const path = join(dir, JOURNAL_FILE);
  let text: string;
  try {
    text = await readFileLimited(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyError('KEYSTORE_FAILED', `cannot read ${path}: ${errorCode(err)}`, { cause: err });
  }
  const invalid = () => new KeyError('KEYSTORE_FAILED', `${path} is damaged: move it away after checking the key files beside it`);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid();
  }
  const files = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 4 && v.every((f) => typeof f === 'string' && FILE.test(f));
  const text64 = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
  if (doc?.['version'] !== 1 || !text64(doc['name'])) throw invalid();
  const { op, name, id, newId } = doc;
  if ((op === 'add' || op === 'remove') && text64(id) && files(doc['files'])) return op === 'add' ? { op, name: name as string, id, files: doc['files'] } : { op, name: name as string, id, files: doc['files'] };
  if (op === 'rotate' && text64(newId) && files(doc['live']) && files(doc['copies']) && doc['live'].length === doc['copies'].length) {
    return { op, name: name as string, newId, live: doc['live'], copies: doc['copies'] };
  }
  throw invalid();
}
