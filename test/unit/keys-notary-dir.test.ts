/**
 * NotaryKeyDir, DCT's private key directory: files docker can read (0700/0600, headers), found by id and role
 * without decrypting, never overwritten, and refused with the right codes.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NotaryKeyDir, privateKeyFromPkcs8 } from '../../src/keys/index.ts';
import { rejectsWithCode } from '../kit/index.ts';

const ecdsa = () => privateKeyFromPkcs8(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' }));
const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

async function dir(): Promise<NotaryKeyDir> {
  return new NotaryKeyDir(join(await mkdtemp(join(tmpdir(), 'notary-keys-')), 'trust', 'private'));
}

describe('NotaryKeyDir', () => {
  it('lists nothing when the directory does not exist yet', async () => {
    assert.deepEqual(await (await dir()).list(), []);
  });

  it('saves encrypted key files docker can read: 0700 directory, 0600 files, role and gun headers', async () => {
    const keys = await dir();
    const key = ecdsa();
    await keys.save(ID_A, key, 'repo passphrase', { role: 'targets', gun: 'registry.test/app' });
    await keys.save(ID_B, ecdsa(), 'root passphrase', { role: 'root' });
    assert.equal((await stat(keys.dir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(keys.dir, `${ID_A}.key`))).mode & 0o777, 0o600);
    const text = await readFile(join(keys.dir, `${ID_A}.key`), 'utf8');
    assert.match(text, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\ngun: registry\.test\/app\nrole: targets\n\n/);
    assert.deepEqual(await keys.list(), [
      { id: ID_A, role: 'targets', gun: 'registry.test/app' },
      { id: ID_B, role: 'root' },
    ]);
    assert.deepEqual(await keys.holding([ID_B, 'c'.repeat(64)]), new Set([ID_B]));
    assert.deepEqual(await keys.load(ID_A, 'repo passphrase'), key);
  });

  it('skips files that are not notary key files, and never overwrites a key', async () => {
    const keys = await dir();
    await keys.save(ID_A, ecdsa(), 'pass phrase', { role: 'targets/alice' });
    await writeFile(join(keys.dir, `${ID_B}.key`), 'not a pem');
    await writeFile(join(keys.dir, 'alice.pub'), 'whatever');
    await mkdir(join(keys.dir, 'tuf_keys'));
    assert.deepEqual(await keys.list(), [{ id: ID_A, role: 'targets/alice' }]);
    await rejectsWithCode(keys.save(ID_A, ecdsa(), 'pass phrase', { role: 'targets' }), 'KEY_EXISTS');
  });

  it('refuses a wrong passphrase, a missing key and an id that is not a key id', async () => {
    const keys = await dir();
    await keys.save(ID_A, ecdsa(), 'right passphrase', { role: 'root' });
    await rejectsWithCode(keys.load(ID_A, 'wrong passphrase'), 'PASSPHRASE_WRONG');
    await rejectsWithCode(keys.load(ID_B, 'right passphrase'), 'KEY_NOT_FOUND');
    await rejectsWithCode(keys.load('../../etc/passwd', 'x'), 'KEY_INVALID');
  });
});
