/**
 * Tests for the version 2 key store: version 1 indexes still read (and upgraded on the next write), list,
 * revoke, remove, rotation (retired name, revocation, retiredBy, the old key file kept byte for byte) and
 * the signing log. Every refused operation is checked to leave the store directory byte-identical.
 */
import type { KeyErrorCode } from '../../src/shared/errors.ts';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FileKeyStore,
  decryptPrivateKey,
  spkiKeyId,
  publicKeyFromPem,
  verifyCosignSignature,
  writeFileAtomic,
  type AtomicWriter,
} from '../../src/keys/index.ts';
import { rejectsWithCode } from '../kit/index.ts';
import { edPem, freshDirs } from './key-store-fixtures.ts';

const freshDir = freshDirs('trustext-keys-v2-');
const NOW = new Date('2026-01-02T03:04:05.000Z');
const LATER = new Date('2026-02-03T04:05:06.000Z');
const store = (dir: string, opts: { now?: Date; write?: AtomicWriter } = {}) =>
  new FileKeyStore(dir, { now: () => opts.now ?? NOW, ...(opts.write && { write: opts.write }), lock: { timeoutMs: 300 } });
const payload = new TextEncoder().encode('{"critical":{},"optional":null}');
const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** Every file in `dir` with its bytes and mode: what "byte-identical" compares. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort())
    out[f] = `${((await stat(join(dir, f))).mode & 0o777).toString(8)}:${(await readFile(join(dir, f))).toString('base64')}`;
  return out;
}

/** A writer that fails on paths ending with `suffix` and writes everything else for real. */
const failingOn =
  (suffix: string): AtomicWriter =>
  async (path, data, options) => {
    if (path.endsWith(suffix)) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    await writeFileAtomic(path, data, options);
  };

describe('index version 1 and 2', () => {
  it('reads a version 1 index and writes version 2 on the next change, keeping every entry', async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    const pem = edPem();
    const id = spkiKeyId(publicKeyFromPem(pem));
    const v1 = { name: 'theirs', id, type: 'ed25519', created: '2025-01-01T00:00:00.000Z', scopes: ['reg.example/**'], private: false };
    await writeFile(join(dir, 'keys.json'), JSON.stringify({ version: 1, entries: [v1] }));
    await writeFile(join(dir, 'theirs.pub'), pem);
    assert.deepEqual(await store(dir).list(), [v1]);
    assert.deepEqual(
      (await store(dir).trustedFor('reg.example/app')).map((t) => t.entry),
      [v1],
    );
    await store(dir).addScope('theirs', 'other.example/**');
    const index = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8'));
    assert.deepEqual(index, { version: 2, entries: [{ ...v1, scopes: ['reg.example/**', 'other.example/**'] }] });
  });

  const bad: [string, Record<string, unknown>][] = [
    ['revoked in a version 1 index', { version: 1, revoked: '2026-01-01T00:00:00.000Z' }],
    ['a retired name in a version 1 index', { version: 1, name: 'k.0123456789ab' }],
    ['revoked that is not a time', { version: 2, revoked: 'yesterday' }],
    ['retiredBy that is not a key id', { version: 2, retiredBy: 'abc' }],
    ['a name with a non-hex suffix', { version: 2, name: 'k.0123456789xy' }],
  ];
  for (const [what, change] of bad) {
    it(`refuses ${what} (KEYSTORE_FAILED)`, async () => {
      const dir = freshDir();
      await mkdir(dir, { recursive: true });
      const { version, ...fields } = change;
      const entry = { name: 'k', id: 'a'.repeat(64), type: 'ed25519', created: '', scopes: [], private: false, ...fields };
      await writeFile(join(dir, 'keys.json'), JSON.stringify({ version, entries: [entry] }));
      await rejectsWithCode(store(dir).list(), 'KEYSTORE_FAILED', /entry 0 is malformed/);
    });
  }
});

describe('revoke, list and remove', () => {
  it('revokes once (idempotent), excludes the key from trustedFor unless includeRevoked, and stops it signing', async () => {
    const dir = freshDir();
    await store(dir).create('ours', 'passphrase-pw', { scopes: ['reg.example/**'] });
    await store(dir).importPublic('theirs', edPem(), { scopes: ['reg.example/**'] });
    const revoked = await store(dir).revoke('theirs');
    assert.equal(revoked.revoked, NOW.toISOString());
    const before = await snapshot(dir);
    assert.deepEqual(await store(dir, { now: LATER }).revoke('theirs'), revoked, 'a second revoke keeps the first time');
    assert.deepEqual(await snapshot(dir), before);
    const names = async (opts = {}) => (await store(dir).trustedFor('reg.example/app', opts)).map((t) => `${t.entry.name}:${t.entry.revoked ?? 'live'}`);
    assert.deepEqual(await names(), ['ours:live']);
    assert.deepEqual(await names({ includeRevoked: true }), ['ours:live', `theirs:${NOW.toISOString()}`]);
    assert.deepEqual(
      (await store(dir).list()).map((e) => e.name),
      ['ours', 'theirs'],
    );
    await store(dir).revoke('ours');
    await rejectsWithCode(store(dir).signer('ours', 'passphrase-pw'), 'KEY_REVOKED', /revoked/);
  });

  it('KEY_NOT_FOUND for unknown names and KEY_INVALID for bad ones, changing nothing', async () => {
    const dir = freshDir();
    await store(dir).importPublic('k', edPem());
    const before = await snapshot(dir);
    await rejectsWithCode(store(dir).revoke('nope'), 'KEY_NOT_FOUND');
    await rejectsWithCode(store(dir).remove('nope'), 'KEY_NOT_FOUND');
    await rejectsWithCode(store(dir).revoke('../k'), 'KEY_INVALID');
    await rejectsWithCode(store(dir).remove('k.pub'), 'KEY_INVALID');
    assert.deepEqual(await snapshot(dir), before);
  });

  it('remove deletes the entry and its files, and the name can be used again', async () => {
    const dir = freshDir();
    await store(dir).create('gone', 'passphrase-pw');
    await store(dir).importPublic('kept', edPem());
    await store(dir).remove('gone');
    assert.deepEqual((await readdir(dir)).sort(), ['kept.pub', 'keys.json']);
    assert.deepEqual(
      (await store(dir).list()).map((e) => e.name),
      ['kept'],
    );
    assert.equal((await store(dir).create('gone', 'passphrase-pw')).name, 'gone');
  });
});

describe('rotate', () => {
  it('retires the old key under <name>.<id12> (revoked, retiredBy, files kept) and installs a new one under the name', async () => {
    const dir = freshDir();
    const old = await store(dir).create('release', 'passphrase-old', { scopes: ['reg.example/team/**', 'other.example/app'] });
    await store(dir).recordSigned('release', { repository: 'reg.example/team/app', tag: '1', digest: DIGEST, at: NOW });
    const oldKey = await readFile(join(dir, 'release.key'));
    const oldPub = await readFile(join(dir, 'release.pub'));
    const { old: retired, current } = await store(dir, { now: LATER }).rotate('release', 'passphrase-old', 'passphrase-new');
    const id12 = old.id.slice(0, 12);
    assert.deepEqual(retired, { ...old, name: `release.${id12}`, revoked: LATER.toISOString(), retiredBy: current.id });
    assert.deepEqual({ ...current, id: '' }, { name: 'release', id: '', type: 'ed25519', created: LATER.toISOString(), scopes: old.scopes, private: true });
    assert.notEqual(current.id, old.id);
    assert.deepEqual(await store(dir).list(), [current, retired]);
    assert.deepEqual((await readdir(dir)).sort(), ['keys.json', `release.${id12}.key`, `release.${id12}.pub`, 'release.key', 'release.pub', 'signed.json']);
    assert.deepEqual(await readFile(join(dir, `release.${id12}.key`)), oldKey);
    assert.deepEqual(await readFile(join(dir, `release.${id12}.pub`)), oldPub);
    assert.equal(spkiKeyId(publicKeyFromPem(await readFile(join(dir, `release.${id12}.pub`), 'utf8'))), old.id);
    assert.ok((await decryptPrivateKey(oldKey.toString(), 'passphrase-old')).length > 0, 'the old key still opens with the old passphrase');

    const signer = await store(dir).signer('release', 'passphrase-new');
    assert.equal(signer.keyId, current.id);
    assert.equal(verifyCosignSignature(publicKeyFromPem(await store(dir).publicKeyPem('release')), payload, signer.sign(payload)), true);
    await rejectsWithCode(store(dir).signer('release', 'passphrase-old'), 'PASSPHRASE_WRONG');
    await rejectsWithCode(store(dir).signer(retired.name, 'passphrase-old'), 'KEY_REVOKED', /revoked/);
    assert.deepEqual(
      (await store(dir).trustedFor('reg.example/team/app')).map((t) => t.entry.id),
      [current.id],
    );
    assert.deepEqual(
      (await store(dir).trustedFor('reg.example/team/app', { includeRevoked: true })).map((t) => t.entry.id),
      [current.id, old.id],
    );
    assert.deepEqual(
      (await store(dir).signedBy(retired.name)).map((r) => r.digest),
      [DIGEST],
      'what to re-sign',
    );
    assert.deepEqual(await store(dir).signedBy('release'), []);

    const again = await store(dir).rotate('release', 'passphrase-new', 'newer-pw');
    assert.equal(again.old.name, `release.${current.id.slice(0, 12)}`);
    assert.equal((await store(dir).list()).length, 3);
  });

  /** Each refused rotation, on a store with one private and one public key. */
  const refused: [string, (dir: string) => Promise<unknown>, [code: KeyErrorCode, pattern?: RegExp]][] = [
    ['a wrong old passphrase', (dir) => store(dir).rotate('release', 'wrong', 'passphrase-new'), ['PASSPHRASE_WRONG']],
    ['an empty new passphrase', (dir) => store(dir).rotate('release', 'passphrase-pw', ''), ['PASSPHRASE_REQUIRED']],
    ['an unknown key', (dir) => store(dir).rotate('nope', 'passphrase-pw', 'passphrase-new'), ['KEY_NOT_FOUND']],
    ['a public key', (dir) => store(dir).rotate('theirs', 'passphrase-pw', 'passphrase-new'), ['KEY_NOT_FOUND', /cannot sign/]],
    ['a retired name', (dir) => store(dir).rotate('release.0123456789ab', 'passphrase-pw', 'passphrase-new'), ['KEY_INVALID']],
    [
      'a failing index write',
      (dir) => store(dir, { write: failingOn('keys.json') }).rotate('release', 'passphrase-pw', 'passphrase-new'),
      ['KEYSTORE_FAILED', /ENOSPC/],
    ],
    [
      'a failing new key write',
      (dir) => store(dir, { write: failingOn('release.pub') }).rotate('release', 'passphrase-pw', 'passphrase-new'),
      ['KEYSTORE_FAILED', /ENOSPC/],
    ],
  ];
  for (const [what, run, expected] of refused) {
    it(`with ${what} changes nothing (byte-identical store)`, async () => {
      const dir = freshDir();
      await store(dir).create('release', 'passphrase-pw', { scopes: ['reg.example/**'] });
      await store(dir).importPublic('theirs', edPem());
      const before = await snapshot(dir);
      await rejectsWithCode(run(dir), ...expected);
      assert.deepEqual(await snapshot(dir), before);
      assert.ok(await store(dir).signer('release', 'passphrase-pw'), 'the old key still signs');
    });
  }
});

describe('signing log', () => {
  it('appends records by key id, returns them per key, oldest first', async () => {
    const dir = freshDir();
    const a = await store(dir).create('a', 'passphrase-pw');
    await store(dir).create('b', 'passphrase-pw');
    const first = await store(dir).recordSigned('a', { repository: 'reg.example/app', tag: 'v1', digest: DIGEST, at: NOW });
    assert.deepEqual(first, { keyId: a.id, repository: 'reg.example/app', tag: 'v1', digest: DIGEST, at: NOW.toISOString() });
    await store(dir).recordSigned('b', { repository: 'reg.example/other', digest: DIGEST, at: NOW.toISOString() });
    await store(dir).recordSigned('a', { repository: 'reg.example/app', digest: `sha256:${'cd'.repeat(32)}`, at: LATER });
    assert.deepEqual(
      (await store(dir).signedBy('a')).map((r) => [r.tag, r.at]),
      [
        ['v1', NOW.toISOString()],
        [undefined, LATER.toISOString()],
      ],
    );
    assert.equal((await store(dir).signedBy('b')).length, 1);
  });

  it('keeps only the newest 10000 records', async () => {
    const dir = freshDir();
    const { id } = await store(dir).create('k', 'passphrase-pw');
    const records = Array.from({ length: 10_000 }, (_, i) => ({ keyId: id, repository: `reg.example/r${i}`, digest: DIGEST, at: NOW.toISOString() }));
    await writeFile(join(dir, 'signed.json'), JSON.stringify({ version: 1, records }));
    await store(dir).recordSigned('k', { repository: 'reg.example/newest', digest: DIGEST, at: LATER });
    const log = await store(dir).signedBy('k');
    assert.equal(log.length, 10_000);
    assert.equal(log[0]?.repository, 'reg.example/r1');
    assert.equal(log.at(-1)?.repository, 'reg.example/newest');
  });

  it('refuses unknown keys, bad records and a damaged log, changing nothing', async () => {
    const dir = freshDir();
    await store(dir).create('k', 'passphrase-pw');
    await store(dir).recordSigned('k', { repository: 'reg.example/app', digest: DIGEST, at: NOW });
    const before = await snapshot(dir);
    await rejectsWithCode(store(dir).recordSigned('nope', { repository: 'r', digest: DIGEST, at: NOW }), 'KEY_NOT_FOUND');
    await rejectsWithCode(store(dir).recordSigned('k', { repository: '', digest: DIGEST, at: NOW }), 'KEY_INVALID');
    await rejectsWithCode(store(dir).recordSigned('k', { repository: 'r', digest: DIGEST, at: 'not a time' }), 'KEY_INVALID');
    await rejectsWithCode(
      store(dir, { write: failingOn('signed.json') }).recordSigned('k', { repository: 'r', digest: DIGEST, at: NOW }),
      'KEYSTORE_FAILED',
      /ENOSPC/,
    );
    assert.deepEqual(await snapshot(dir), before);
    await writeFile(join(dir, 'signed.json'), '{"version":1,"records":[{"keyId":"x"}]}');
    await rejectsWithCode(store(dir).signedBy('k'), 'KEYSTORE_FAILED', /record 0/);
    await rejectsWithCode(store(dir).recordSigned('k', { repository: 'r', digest: DIGEST, at: NOW }), 'KEYSTORE_FAILED');
  });
});
