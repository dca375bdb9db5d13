/**
 * File primitives for the key store: the atomic writer (shared/atomic-file.ts) as FileKeyStore uses it,
 * bounded reads, and errno codes for one-line messages.
 */
import { open } from 'node:fs/promises';
import type { AtomicWriteOptions } from '../../shared/atomic-file.ts';

export { writeFileAtomic, type AtomicWriteOptions } from '../../shared/atomic-file.ts';

/** The writer FileKeyStore uses; replaceable in tests to inject failures. */
export type AtomicWriter = (path: string, data: string, options: AtomicWriteOptions) => Promise<void>;

/** The contents of a small store file as text; throws the system error, or EFBIG past `limit` bytes. */
export async function readFileLimited(path: string, limit = 64 * 1024): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limit) throw Object.assign(new Error(`EFBIG: ${path} is larger than ${limit} bytes`), { code: 'EFBIG' });
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** The errno code of a Node system error (e.g. 'EACCES'), or its message: for one-line error messages. */
export function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? (err instanceof Error ? err.message : String(err));
}
