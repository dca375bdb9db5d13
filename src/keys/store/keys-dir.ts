/**
 * Where the key store lives, and the permissions it keeps. Deliberately independent of DOCKER_CONFIG:
 * CI jobs routinely point DOCKER_CONFIG at a throwaway directory, and that must never lose signing keys.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { KeyError } from '../../shared/errors.ts';
import { errorCode } from './store-files.ts';
import { KEYS_DIR_ENV } from '../../shared/variables.ts';

/** The environment variable that overrides the key store directory. */

/**
 * The key store directory: `env.TRUSTEXT_KEYS_DIR` when set and non-empty (used as given), else the
 * per-user data directory of env-paths('trustext', {suffix: ''}) plus '/keys': `$XDG_DATA_HOME/trustext/keys`
 * or `~/.local/share/trustext/keys` on Linux, `~/Library/Application Support/trustext/keys` on macOS,
 * `%LOCALAPPDATA%\trustext\Data\keys` on Windows. Caveat: env-paths reads XDG_DATA_HOME (and LOCALAPPDATA)
 * from the process environment and the home directory from the OS itself, not from `env`; only
 * TRUSTEXT_KEYS_DIR is taken from `env`. DOCKER_CONFIG is never consulted.
 */
export function resolveKeyStoreDir(env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env[KEYS_DIR_ENV];
  if (fromEnv) return fromEnv;
  return join(envPaths('trustext', { suffix: '' }).data, 'keys');
}

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
