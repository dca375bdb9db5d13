/**
 * The policy file on disk: read (a missing file is the empty policy unless it was named explicitly), atomic write (temp file in the same directory,
 * fsync, rename; file 0600, directory created 0700) and a validated read-modify-write. Other I/O failures are
 * PolicyError POLICY_STORE_FAILED; content problems are the parser's POLICY_INVALID.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-file.ts';
import { PolicyError, TrustExtError } from '../shared/errors.ts';
import { LockTimeoutError, withFileLock, type LockOptions } from '../shared/file-lock.ts';
import { emptyPolicy, parsePolicy, serializePolicy, validatePolicy, type Policy } from '../trust/index.ts';

/** Larger policy files are refused rather than read. */
export const MAX_POLICY_BYTES = 1024 * 1024;

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;

/**
 * The policy at `path`; emptyPolicy() when the file does not exist, unless `opts.namedBy` says which variable named
 * it explicitly: then a missing file is PolicyError POLICY_STORE_FAILED (an explicit policy is never silently empty).
 */
export async function loadPolicy(path: string, opts: { readonly namedBy?: string } = {}): Promise<Policy> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (code(err) === 'ENOENT' && opts.namedBy !== undefined) {
      throw new PolicyError(
        'POLICY_STORE_FAILED',
        `policy file ${path} (${opts.namedBy}) does not exist: create it with docker trustext policy set, or unset ${opts.namedBy} to use the default policy`,
        { cause: err },
      );
    }
    if (code(err) === 'ENOENT') return emptyPolicy();
    throw new PolicyError('POLICY_STORE_FAILED', `reading policy ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (bytes.length > MAX_POLICY_BYTES) throw new PolicyError('POLICY_INVALID', `${path}: larger than ${MAX_POLICY_BYTES} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new PolicyError('POLICY_INVALID', `${path}: not valid UTF-8 text`, { cause: err });
  }
  return parsePolicy(text, path);
}

/** Writes `policy` (validated first; an invalid one writes nothing) to `path` atomically, mode 0600. */
export async function savePolicy(path: string, policy: Policy): Promise<void> {
  const text = serializePolicy(validatePolicy(policy));
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, text);
  } catch (err) {
    throw new PolicyError('POLICY_STORE_FAILED', `writing policy ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Loads the policy at `path`, applies `change`, validates the result by a serialise + parse round trip and saves it;
 * returns the saved policy. A throwing `change` or an invalid result writes nothing. The whole read-modify-write
 * holds the crash-safe lock `<path>.lock`, so concurrent edits all survive (each sees the one before it).
 */
export async function updatePolicy(path: string, change: (current: Policy) => Policy, lock: LockOptions = {}): Promise<Policy> {
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new PolicyError('POLICY_STORE_FAILED', `writing policy ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await withFileLock(
      `${path}.lock`,
      async () => {
        const next = validatePolicy(change(await loadPolicy(path)));
        await savePolicy(path, next);
        return next;
      },
      { ...lock, sweep: 'file' },
    );
  } catch (err) {
    if (err instanceof LockTimeoutError)
      throw new PolicyError('POLICY_STORE_FAILED', `policy ${path} is busy: ${err.message}; try again when it finishes`, { cause: err });
    if (err instanceof TrustExtError || typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    throw new PolicyError('POLICY_STORE_FAILED', `cannot lock policy ${path}: ${(err as Error).message}`, { cause: err });
  }
}
