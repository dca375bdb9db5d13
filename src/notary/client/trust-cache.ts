/**
 * The local store of last verified trust metadata, laid out as docker's notary client keeps it
 * (`<trust dir>/tuf/<gun>/metadata/<role>.json`, notaryproject/notary client/client.go): root.json is the root
 * pinned on first use, the other roles' versions are the floor for rollback detection. It stores bytes only; what
 * may be written is the TUF layer's decision. Writes are atomic (temp file + rename); directories 0700, files 0600.
 * `store` writes a verified set under the GUN's crash-safe lock and never lowers a cached version, so concurrent
 * pulls cannot move the rollback floor back.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic-file.ts';
import { NotaryError } from '../../shared/errors.ts';
import { LockTimeoutError, withFileLock, type LockOptions } from '../../shared/file-lock.ts';
import { checkGun, checkRole } from './names.ts';

/** Per-GUN trusted metadata under one trust directory (docker's `<configdir>/trust`). */
export class TrustCache {
  readonly #dir: string;
  readonly #lock: LockOptions;

  /** `dir` is the trust directory; nothing is read or created until first use. */
  constructor(dir: string, lock: LockOptions = {}) {
    this.#dir = dir;
    this.#lock = lock;
  }

  /** Where a role's metadata for a GUN lives; the GUN and role are checked, so the path stays under the directory. */
  path(gun: string, role: string): string {
    return join(this.#metadataDir(gun), `${checkRole(role)}.json`);
  }

  /** The cached bytes of a role, or undefined when none are cached. */
  async read(gun: string, role: string): Promise<Buffer | undefined> {
    const file = this.path(gun, role);
    try {
      return await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeError(`reading ${file}`, err);
    }
  }

  /**
   * The `signed.version` of the cached role (the floor below which a server's answer is a rollback), or undefined
   * when none is cached. A cached file that is not TUF metadata is TRUST_DATA_INVALID.
   */
  async version(gun: string, role: string): Promise<number | undefined> {
    const bytes = await this.read(gun, role);
    if (bytes === undefined) return undefined;
    let version: unknown;
    try {
      version = (JSON.parse(bytes.toString('utf8')) as { signed?: { version?: unknown } } | null)?.signed?.version;
    } catch {
      version = undefined;
    }
    if (!Number.isSafeInteger(version))
      throw new NotaryError('TRUST_DATA_INVALID', `cached ${role} metadata for ${gun} has no valid version (${this.path(gun, role)})`);
    return version as number;
  }

  /** Replaces a role's cached bytes atomically: readers see the old file or the new one, never a mix. */
  async write(gun: string, role: string, bytes: Uint8Array): Promise<void> {
    const file = this.path(gun, role);
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    } catch (err) {
      throw storeError(`creating ${dirname(file)}`, err);
    }
    try {
      await writeFileAtomic(file, bytes);
    } catch (err) {
      throw storeError(`writing ${file}`, err);
    }
  }

  /**
   * Writes verified roles ([role, bytes]) for a GUN under its lock, each only when its `signed.version` is not below
   * the cached one (a concurrent pull may have cached newer metadata meanwhile); returns the roles written.
   */
  async store(gun: string, roles: readonly (readonly [string, Uint8Array])[]): Promise<string[]> {
    const dir = this.#metadataDir(gun);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw storeError(`creating ${dir}`, err);
    }
    try {
      return await withFileLock(
        join(dir, '.lock'),
        async () => {
          const written: string[] = [];
          for (const [role, bytes] of roles) {
            const cached = await this.version(gun, role).catch(() => undefined);
            if (cached !== undefined && versionOf(bytes) < cached) continue;
            await this.write(gun, role, bytes);
            written.push(role);
          }
          return written;
        },
        { ...this.#lock, sweep: 'directory' },
      );
    } catch (err) {
      if (err instanceof LockTimeoutError) throw new NotaryError('NOTARY_FAILED', `trust cache ${dir} is busy: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Forgets everything cached for a GUN (its pinned root included). */
  async remove(gun: string): Promise<void> {
    const dir = dirname(this.#metadataDir(gun));
    try {
      await rm(dir, { recursive: true, force: true });
    } catch (err) {
      throw storeError(`removing ${dir}`, err);
    }
  }

  #metadataDir(gun: string): string {
    return join(this.#dir, 'tuf', checkGun(gun), 'metadata');
  }
}

/** `signed.version` of metadata bytes, or -1 when there is none (such bytes never replace a versioned file). */
function versionOf(bytes: Uint8Array): number {
  try {
    const v = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed?: { version?: unknown } } | null)?.signed?.version;
    return Number.isSafeInteger(v) ? (v as number) : -1;
  } catch {
    return -1;
  }
}

function storeError(what: string, err: unknown): NotaryError {
  const code = (err as NodeJS.ErrnoException)?.code;
  return new NotaryError('NOTARY_FAILED', `trust cache: ${what}: ${typeof code === 'string' ? code.toLowerCase() : String(err)}`, { cause: err });
}
