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
import { spkiKeyId, publicKeyFromPem } from '../format/index.ts';
import { readIndex } from './store-index.ts';
import { errorCode, readFileLimited, type AtomicWriter } from './store-files.ts';

/** The journal's file name inside the store directory. */
export const JOURNAL_FILE = 'journal.json';

/** Key names as the index allows them (store-index.ts), so journal paths stay the key's own files. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,99}$/;

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

/**
 * Marks the change done (the journal goes). KEYSTORE_FAILED when it cannot: a journal left behind would make the
 * next recovery judge a later change by this one.
 */
export async function endChange(dir: string): Promise<void> {
  try {
    await rm(join(dir, JOURNAL_FILE), { force: true });
  } catch (err) {
    throw new KeyError('KEYSTORE_FAILED', `cannot remove ${join(dir, JOURNAL_FILE)}: ${errorCode(err)}`, { cause: err });
  }
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
  if (entry.op === 'add' || entry.op === 'remove') {
    const inIndex = entries.some((e) => e.name === entry.name);
    const done = entry.op === 'add' ? entries.some((e) => e.name === entry.name && e.id === entry.id) : !inIndex;
    // Files go only when nothing in the index claims the name and they are the journaled key (its .pub says so).
    const orphans = !inIndex && (await pubIdIs(dir, `${entry.name}.pub`, entry.id));
    if (orphans) await remove(entry.files);
    outcome =
      entry.op === 'add'
        ? done
          ? 'it had completed'
          : orphans
            ? 'its files were removed'
            : 'nothing was left to undo'
        : done
          ? 'its files were removed'
          : 'nothing had changed';
  } else {
    const done = entries.some((e) => e.name === entry.name && e.id === entry.newId);
    if (!done) {
      for (const [i, copy] of entry.copies.entries()) {
        const text = await readFileLimited(join(dir, copy)).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw new KeyError('KEYSTORE_FAILED', `cannot read ${join(dir, copy)} to undo an interrupted rotation: ${errorCode(err)}`, { cause: err });
        });
        if (text !== undefined) await write(join(dir, entry.live[i]!), text, { noClobber: false });
      }
      await remove(entry.copies);
    }
    outcome = done ? 'it had completed' : 'the old key was put back';
  }
  await endChange(dir);
  return `recovered an interrupted ${entry.op === 'rotate' ? 'rotation' : entry.op === 'add' ? 'key creation' : 'key removal'} of "${entry.name}" in ${dir}: ${outcome}`;
}

/** True when `file` is absent, or a public key whose id is `id` (so the files beside it are that key's). */
async function pubIdIs(dir: string, file: string, id: string): Promise<boolean> {
  let pem: string;
  try {
    pem = await readFileLimited(join(dir, file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new KeyError('KEYSTORE_FAILED', `cannot read ${join(dir, file)}: ${errorCode(err)}`, { cause: err });
  }
  try {
    return spkiKeyId(publicKeyFromPem(pem)) === id;
  } catch {
    return false;
  }
}

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
  const bounded = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
  if (doc?.version !== 1 || !bounded(doc.name) || !NAME.test(doc.name)) throw invalid();
  const name = doc.name;
  // Every file a journal names is derived from its key name: a journal can only ever touch that key's files.
  const own = [`${name}.key`, `${name}.pub`];
  const files = (v: unknown, allowed: (f: string) => boolean): v is string[] =>
    Array.isArray(v) && v.length <= 2 && v.every((f) => typeof f === 'string' && allowed(f));
  const { op, id, newId } = doc;
  if ((op === 'add' || op === 'remove') && bounded(id) && files(doc.files, (f) => own.includes(f))) {
    return op === 'add' ? { op, name, id, files: doc.files } : { op, name, id, files: doc.files };
  }
  const retired = new RegExp(`^${name.replace(/[.]/g, '\\.')}\\.[0-9a-f]{12}\\.(key|pub)$`);
  if (
    op === 'rotate' &&
    bounded(newId) &&
    files(doc.live, (f) => own.includes(f)) &&
    files(doc.copies, (f) => retired.test(f)) &&
    doc.live.length === doc.copies.length
  ) {
    return { op, name, newId, live: doc.live, copies: doc.copies };
  }
  throw invalid();
}
