/**
 * keys.json, the store index: `{"version":2,"entries":[{name,id,type,created,scopes,private,revoked?,retiredBy?}]}`.
 * Version 1 (the same without `revoked` and `retiredBy`) is still read; every write is version 2. Key files
 * sit beside it as `<name>.key` (encrypted private key) and `<name>.pub` (SPKI PEM); a key retired by
 * rotation is renamed `<name>.<first 12 hex of its id>`. The index is read strictly: anything unexpected is
 * KEYSTORE_FAILED rather than a silently dropped trust decision.
 */
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import { isValidName, MAX_KEY_NAME } from '../../shared/names.ts';
import { scopeProblem, validateScope } from '../format/index.ts';
import type { KeyEntry } from './key-store.ts';
import { errorCode, readFileLimited } from './store-files.ts';

/** The index file's name inside the store directory. */
export const INDEX_FILE = 'keys.json';

/** The index format version this code writes; it also reads version 1. */
export const INDEX_VERSION = 2;

/** The parsed index (whatever version it was read from). */
export interface StoreIndex {
  readonly entries: readonly KeyEntry[];
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const KEY_TYPES: readonly string[] = ['ed25519', 'ecdsa-p256'];

/**
 * `name` when it is a valid key name: docker's name rule (shared/names.ts), at most
 * 100 characters so `<name>.key` fits every file system. KEY_INVALID otherwise. Names become file names,
 * so this check is also what keeps paths inside the store.
 */
export function checkKeyName(name: string): string {
  if (!isValidName(name, MAX_KEY_NAME)) {
    throw new KeyError(
      'KEY_INVALID',
      `invalid key name "${name.slice(0, MAX_KEY_NAME)}": use lower-case letters, digits, "_" and "-", starting with a letter or digit (at most ${MAX_KEY_NAME})`,
    );
  }
  return name;
}

/** The deduplicated, validated scopes of a key about to be added under `name` (checked with checkKeyName). */
export function checkNew(name: string, options: { readonly scopes?: readonly string[] }): string[] {
  checkKeyName(name);
  return [...new Set((options.scopes ?? []).map(validateScope))];
}

/** `name` when it names a live key (checkKeyName) or one retired by rotation (`<name>.<12 hex>`); KEY_INVALID otherwise. */
export function checkStoredName(name: string): string {
  return isStoredName(name) ? name : checkKeyName(name);
}

function isStoredName(name: string): boolean {
  const base = /^(.*)\.[0-9a-f]{12}$/.exec(name)?.[1] ?? name;
  return isValidName(base, MAX_KEY_NAME);
}

/** The name a key called `name` with id `id` gets when rotation retires it: `<name>.<first 12 hex of id>`. */
export function retiredName(name: string, id: string): string {
  return `${name}.${id.slice(0, 12)}`;
}

/** The index of the store in `dir`; an empty index when keys.json does not exist yet. */
export async function readIndex(dir: string): Promise<StoreIndex> {
  const path = join(dir, INDEX_FILE);
  let text: string;
  try {
    text = await readFileLimited(path, 4 * 1024 * 1024);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
    throw new KeyError('KEYSTORE_FAILED', `cannot read ${path}: ${errorCode(err)}`, { cause: err });
  }
  return parseIndex(text, path);
}

/** The index in `text` (from `path`, for messages); KEYSTORE_FAILED when it is not a valid version 1 or 2 index. */
export function parseIndex(text: string, path: string): StoreIndex {
  const invalid = (why: string, cause?: unknown) => new KeyError('KEYSTORE_FAILED', `${path} is not a valid key store index: ${why}`, { cause });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw invalid('not JSON', cause);
  }
  if (typeof doc !== 'object' || doc === null) throw invalid('not an object');
  const { version, entries } = doc as { version?: unknown; entries?: unknown };
  if (version !== 1 && version !== 2) throw invalid(`version ${JSON.stringify(version)}, this trustext reads versions 1 and 2`);
  if (!Array.isArray(entries)) throw invalid('"entries" is not a list');
  const seen = new Set<string>();
  const parsed = entries.map((e: unknown, i): KeyEntry => {
    const entry = e as Partial<Record<keyof KeyEntry, unknown>> | null;
    const ok =
      typeof entry === 'object' &&
      entry !== null &&
      typeof entry.name === 'string' &&
      (version === 2 ? isStoredName(entry.name) : isValidName(entry.name, MAX_KEY_NAME)) &&
      typeof entry.id === 'string' &&
      /^[0-9a-f]{64}$/.test(entry.id) &&
      typeof entry.type === 'string' &&
      KEY_TYPES.includes(entry.type) &&
      typeof entry.created === 'string' &&
      typeof entry.private === 'boolean' &&
      Array.isArray(entry.scopes) &&
      entry.scopes.every((s) => typeof s === 'string' && scopeProblem(s) === undefined) &&
      (entry.revoked === undefined || (version === 2 && typeof entry.revoked === 'string' && ISO_TIME.test(entry.revoked))) &&
      (entry.retiredBy === undefined || (version === 2 && typeof entry.retiredBy === 'string' && /^[0-9a-f]{64}$/.test(entry.retiredBy)));
    if (!ok) throw invalid(`entry ${i} is malformed`);
    if (seen.has(entry.name as string)) throw invalid(`key "${entry.name as string}" appears twice`);
    seen.add(entry.name as string);
    return {
      name: entry.name as string,
      id: entry.id as string,
      type: entry.type as KeyEntry['type'],
      created: entry.created as string,
      scopes: [...(entry.scopes as string[])],
      private: entry.private as boolean,
      ...(entry.revoked !== undefined && { revoked: entry.revoked as string }),
      ...(entry.retiredBy !== undefined && { retiredBy: entry.retiredBy as string }),
    };
  });
  return { entries: parsed };
}

/** The JSON text of an index, entries sorted by name, two-space indented for people reading it. */
export function serializeIndex(entries: readonly KeyEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const plain = sorted.map((e) => ({
    name: e.name,
    id: e.id,
    type: e.type,
    created: e.created,
    scopes: [...e.scopes],
    private: e.private,
    ...(e.revoked !== undefined && { revoked: e.revoked }),
    ...(e.retiredBy !== undefined && { retiredBy: e.retiredBy }),
  }));
  return `${JSON.stringify({ version: INDEX_VERSION, entries: plain }, null, 2)}\n`;
}
