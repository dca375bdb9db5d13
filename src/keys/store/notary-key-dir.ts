/**
 * Docker Content Trust's private key directory, `<docker config>/trust/private/<key id>.key` (notary ≥ 0.6
 * trustmanager/keystore.go, flat layout): encrypted PKCS#8 with `role:` and `gun:` PEM headers, shared with the
 * docker CLI so that keys either tool creates sign for the other. Root keys are named by their canonical id and
 * serve every repository; targets keys carry the repository (gun); delegation keys carry their signer name.
 * The directory is 0700 and every file 0600, written atomically and never overwritten.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from '../../shared/errors.ts';
import { loadNotaryKeyFile, notaryKeyFileHeaders, privateKeyFromPem, privateKeyToPkcs8, type PrivateKey } from '../format/index.ts';
import { writeFileAtomic } from './store-files.ts';

/** A key file in the directory, as its name and headers describe it (nothing decrypted). */
export interface NotaryKeyInfo {
  readonly id: string;
  readonly role: string;
  readonly gun?: string;
}

const KEY_FILE = /^([0-9a-f]{64})\.key$/;

/** The DCT private key directory at `dir` (usually `$DOCKER_CONFIG/trust/private`); no I/O until a method is called. */
export class NotaryKeyDir {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Every `<id>.key` file with its role and gun headers; unreadable or foreign files are skipped. */
  async list(): Promise<NotaryKeyInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw failed(`reading ${this.dir}`, err);
    }
    const infos: NotaryKeyInfo[] = [];
    for (const name of names.sort()) {
      const id = KEY_FILE.exec(name)?.[1];
      if (!id) continue;
      try {
        const { role, gun } = notaryKeyFileHeaders(await readFile(join(this.dir, name), 'utf8'));
        if (role) infos.push({ id, role, ...(gun && { gun }) });
      } catch {
        // Not a notary key file: not ours to judge here.
      }
    }
    return infos;
  }

  /** The ids of the keys present among `ids`. */
  async holding(ids: Iterable<string>): Promise<Set<string>> {
    const present = new Set((await this.list()).map((k) => k.id));
    return new Set([...ids].filter((id) => present.has(id)));
  }

  /** The private key `id`, decrypted with `passphrase` (PASSPHRASE_WRONG if it does not open it; KEY_NOT_FOUND if absent). */
  async load(id: string, passphrase: string): Promise<PrivateKey> {
    const path = this.#path(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyError('KEY_NOT_FOUND', `no private key ${id.slice(0, 12)} in ${this.dir}`);
      throw failed(`reading key ${id.slice(0, 12)}`, err);
    }
    return privateKeyFromPem(text, passphrase);
  }

  /** Stores `key` as `<id>.key` encrypted under `passphrase`, with notary's headers; KEY_EXISTS if the file exists. */
  async save(id: string, key: PrivateKey, passphrase: string, headers: { role: string; gun?: string }): Promise<void> {
    // Loaded on demand: the ASN.1 writer is not worth every command's start-up.
    const { encodeNotaryKeyFile } = await loadNotaryKeyFile();
    const path = this.#path(id);
    const text = encodeNotaryKeyFile(privateKeyToPkcs8(key), passphrase, headers);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, text, { noClobber: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyError('KEY_EXISTS', `key ${id.slice(0, 12)} already exists in ${this.dir}`);
      throw failed(`writing key ${id.slice(0, 12)}`, err);
    }
  }

  #path(id: string): string {
    if (!/^[0-9a-f]{64}$/.test(id)) throw new KeyError('KEY_INVALID', `invalid notary key id ${JSON.stringify(id.slice(0, 80))}`);
    return join(this.dir, `${id}.key`);
  }
}

function failed(what: string, cause: unknown): KeyError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new KeyError('KEYSTORE_FAILED', `${what}: ${code ?? (cause as Error).message}`, { cause });
}
