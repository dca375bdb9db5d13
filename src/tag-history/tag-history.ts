/**
 * The local record of the newest signature seen valid per `repository:tag` (trust/rollback.ts decides what it
 * means): one file per repository, `<dir>/<40 hex of sha256(repository)>.json`,
 * `{"version":1,"repository":…,"tags":{TAG:{digest,timestamp,seen}}}`, at most MAX_TAGS tags (the least recently
 * seen are dropped). Updates are read-modify-writes under the file's crash-safe lock; files 0600 in a 0700 dir.
 * A damaged file is refused (KEYSTORE_FAILED), never treated as empty: that would forget every rollback floor.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-file.ts';
import { KeyError } from '../shared/errors.ts';
import { withFileLock, type LockOptions } from '../shared/file-lock.ts';
import type { TagRecord } from '../trust/index.ts';

/** How many tags one repository's file keeps. */
export const MAX_TAGS = 10_000;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Tag records of every repository, under directory `dir` (created 0700 on first write). */
export class TagHistory {
  readonly #dir: string;
  readonly #lock: LockOptions;

  constructor(dir: string, lock: LockOptions = {}) {
    this.#dir = dir;
    this.#lock = lock;
  }

  /** The record of `repository:tag`, or undefined when none was kept. */
  async get(repository: string, tag: string): Promise<TagRecord | undefined> {
    return (await this.#read(repository)).get(tag);
  }

  /** Stores `change(current)` for `repository:tag` under the lock (nothing is written when it returns `current`). */
  async update(repository: string, tag: string, change: (current: TagRecord | undefined) => TagRecord | undefined): Promise<void> {
    const path = this.#path(repository);
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await withFileLock(
        `${path}.lock`,
        async () => {
          const tags = await this.#read(repository);
          const current = tags.get(tag);
          const next = change(current);
          if (next === current || next === undefined) return;
          tags.delete(tag);
          tags.set(tag, next);
          const kept = [...tags].sort(([, a], [, b]) => (a.seen < b.seen ? -1 : a.seen > b.seen ? 1 : 0)).slice(-MAX_TAGS);
          await writeFileAtomic(path, `${JSON.stringify({ version: 1, repository, tags: Object.fromEntries(kept) })}\n`);
        },
        { ...this.#lock, sweep: 'directory' },
      );
    } catch (err) {
      if (err instanceof KeyError) throw err;
      throw failed(`cannot update ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
    }
  }

  #path(repository: string): string {
    return join(this.#dir, `${createHash('sha256').update(repository).digest('hex').slice(0, 40)}.json`);
  }

  async #read(repository: string): Promise<Map<string, TagRecord>> {
    const path = this.#path(repository);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw failed(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
    }
    return parseTags(text, path, repository);
  }
}

function failed(message: string, cause?: unknown): KeyError {
  return new KeyError('KEYSTORE_FAILED', `tag history: ${message}`, { cause });
}

/** The records in a history file's text; KEYSTORE_FAILED when it is not one, or is another repository's. */
export function parseTags(text: string, path: string, repository: string): Map<string, TagRecord> {
  const bad = (why: string) => failed(`${path} is damaged (${why}): remove it to forget the recorded tags of ${repository}`);
  let doc: { version?: unknown; repository?: unknown; tags?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw bad('not JSON');
  }
  if (doc?.version !== 1) throw bad('unknown version');
  if (doc.repository !== repository) throw bad(`it is the file of ${String(doc.repository).slice(0, 200)}`);
  if (typeof doc.tags !== 'object' || doc.tags === null || Array.isArray(doc.tags)) throw bad('no tags');
  const out = new Map<string, TagRecord>();
  for (const [tag, r] of Object.entries(doc.tags as Record<string, unknown>)) {
    const { digest, timestamp, seen } = (r ?? {}) as Record<string, unknown>;
    if (typeof digest !== 'string' || !DIGEST.test(digest) || typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || typeof seen !== 'string') {
      throw bad(`tag ${tag.slice(0, 128)}`);
    }
    out.set(tag, { digest, timestamp, seen });
  }
  return out;
}
