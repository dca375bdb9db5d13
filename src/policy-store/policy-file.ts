/**
 * The policy file on disk: read (a missing file is the empty policy), atomic write (temp file in the same directory,
 * fsync, rename; file 0600, directory created 0700) and a validated read-modify-write. Other I/O failures are
 * PolicyError POLICY_STORE_FAILED; content problems are the parser's POLICY_INVALID.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PolicyError } from '../shared/errors.ts';
import { emptyPolicy, parsePolicy, serializePolicy, validatePolicy, type Policy } from '../trust/index.ts';

/** Larger policy files are refused rather than read. */
export const MAX_POLICY_BYTES = 1024 * 1024;

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;

/** The policy at `path`; emptyPolicy() when the file does not exist. */
export async function loadPolicy(path: string): Promise<Policy> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
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
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new PolicyError('POLICY_STORE_FAILED', `writing policy ${path}: ${(err as Error).message}`, { cause: err });
  }
  await syncDir(dir);
}

/** Makes the rename durable where the platform allows fsync on a directory (not on Windows). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try { await handle.sync(); } finally { await handle.close(); }
  } catch {
    // best effort: the file itself is already synced
  }
}

/**
 * Loads the policy at `path`, applies `change`, validates the result by a serialise + parse round trip and saves it;
 * returns the saved policy. A throwing `change` or an invalid result writes nothing. Not locked against concurrent
 * writers: the last rename wins.
 */
export async function updatePolicy(path: string, change: (current: Policy) => Policy): Promise<Policy> {
  const next = validatePolicy(change(await loadPolicy(path)));
  await savePolicy(path, next);
  return next;
}
