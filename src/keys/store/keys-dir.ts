/**
 * The permissions the key store directory keeps (where it lives is settings/' keysDir: deliberately independent of
 * DOCKER_CONFIG, since CI jobs routinely point DOCKER_CONFIG at a throwaway directory, and that must never lose keys).
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { KeyError } from '../../shared/errors.ts';
import { errorCode } from './store-files.ts';

/**
 * Creates `dir` (and missing parents) with mode 0700, and tightens an existing `dir` to 0700 when group or
 * others have any access. KEYSTORE_FAILED when it cannot, or when `dir` is not a directory.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await stat(dir);
    if (!st.isDirectory()) throw new KeyError('KEYSTORE_FAILED', `key store ${dir} is not a directory`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) await chmod(dir, 0o700);
  } catch (err) {
    if (err instanceof KeyError) throw err;
    throw new KeyError('KEYSTORE_FAILED', `cannot create the key store directory ${dir}: ${errorCode(err)}`, { cause: err });
  }
}
