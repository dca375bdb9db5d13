/**
 * signed.json, the signing log: what each key signed, so that after a rotation the images signed by the
 * retired key can be found and signed again. `{"version":1,"records":[{keyId,repository,tag?,digest,at,timestamp?}]}`
 * (`timestamp`: the signature's own timestamp claim, kept by re-signatures so they never look newer than they are),
 * one record per line, oldest first, bounded to the newest MAX_SIGNED_RECORDS. Records name the key by id,
 * not by name, so a key renamed by rotation keeps its history. Appends run under the store lock and replace
 * the file atomically; a damaged log is KEYSTORE_FAILED, never silently emptied.
 */
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import type { SignedRecord, SigningEvent } from './key-store.ts';
import { ensurePrivateDir } from './keys-dir.ts';
import { errorCode, readFileLimited } from './store-files.ts';
import { withStoreLock } from './store-lock.ts';
import type { StoreIo } from './store-updates.ts';

/** The signing log's file name inside the store directory. */
export const SIGNED_FILE = 'signed.json';

/** How many records the log keeps; older ones are dropped on append. */
export const MAX_SIGNED_RECORDS = 10_000;

const LIMIT = 16 * 1024 * 1024;
const MAX_FIELD = 1024;

/** The signing log of the store in `dir`, oldest first; empty when there is none yet. */
export async function readSigningLog(dir: string): Promise<SignedRecord[]> {
  const path = join(dir, SIGNED_FILE);
  let text: string;
  try {
    text = await readFileLimited(path, LIMIT);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new KeyError('KEYSTORE_FAILED', `cannot read ${path}: ${errorCode(err)}`, { cause: err });
  }
  const invalid = (why: string, cause?: unknown) => new KeyError('KEYSTORE_FAILED', `${path} is not a valid signing log: ${why}`, { cause });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw invalid('not JSON', cause);
  }
  const { version, records } = (typeof doc === 'object' && doc !== null ? doc : {}) as { version?: unknown; records?: unknown };
  if (version !== 1) throw invalid(`version ${JSON.stringify(version)}, this trustext reads version 1`);
  if (!Array.isArray(records)) throw invalid('"records" is not a list');
  return records.map((r: unknown, i) => {
    const record = checkRecord(r);
    if (!record) throw invalid(`record ${i} is malformed`);
    return record;
  });
}

/** The record for `event` signed by key `keyId`; KEY_INVALID when a field is missing, too long or `at` is no time. */
export function signedRecord(keyId: string, event: SigningEvent): SignedRecord {
  const at = event.at instanceof Date ? event.at : new Date(event.at);
  const record = checkRecord({
    keyId,
    repository: event.repository,
    ...(event.tag !== undefined && { tag: event.tag }),
    digest: event.digest,
    at: Number.isNaN(at.getTime()) ? '' : at.toISOString(),
    ...(event.timestamp !== undefined && { timestamp: event.timestamp }),
  });
  if (!record)
    throw new KeyError(
      'KEY_INVALID',
      'a signing log record needs a repository, a digest, a valid time, an optional tag (each at most 1024 characters) and an optional integer timestamp',
    );
  return record;
}

/** Appends `record` under the store lock, keeping the newest MAX_SIGNED_RECORDS; KEYSTORE_FAILED when writing fails. */
export async function appendSigningLog(io: StoreIo, record: SignedRecord): Promise<void> {
  await ensurePrivateDir(io.dir);
  await withStoreLock(
    io.dir,
    async () => {
      const records = [...(await readSigningLog(io.dir)), record].slice(-MAX_SIGNED_RECORDS);
      const path = join(io.dir, SIGNED_FILE);
      const text = `{"version":1,"records":[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
      try {
        await io.write(path, text, { noClobber: false });
      } catch (err) {
        throw new KeyError('KEYSTORE_FAILED', `cannot update ${path}: ${errorCode(err)}`, { cause: err });
      }
    },
    io.lock,
  );
}

/** The record in parsed JSON `value` with exactly the known fields, or undefined when malformed. */
function checkRecord(value: unknown): SignedRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { keyId, repository, tag, digest, at, timestamp } = value as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_FIELD;
  if (typeof keyId !== 'string' || !/^[0-9a-f]{64}$/.test(keyId)) return undefined;
  if (!text(repository) || !text(digest) || !text(at) || Number.isNaN(Date.parse(at))) return undefined;
  if (tag !== undefined && !text(tag)) return undefined;
  if (timestamp !== undefined && !(typeof timestamp === 'number' && Number.isSafeInteger(timestamp) && timestamp >= 0)) return undefined;
  return { keyId, repository, ...(tag !== undefined && { tag }), digest, at, ...(timestamp !== undefined && { timestamp }) };
}
