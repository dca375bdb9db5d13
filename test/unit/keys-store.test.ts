/**
 * Tests for src/keys/store: where the store lives (never under DOCKER_CONFIG), FileKeyStore on real temporary
 * directories (0700 directory, 0600 files, keys.json index, cosign-format key files), naming and error codes,
 * scopes, and crash safety: atomic writes, no partial files after an injected failure, a cross-process lock.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FileKeyStore, spkiKeyId, publicKeyFromPem, verifyCosignSignature, writeFileAtomic, type AtomicWriter } from '../../src/keys/index.ts';
import { decodePem } from '../../src/encoding/index.ts';
import { rejectsWithCode } from '../kit/index.ts';
import { edPem, freshDirs } from './key-store-fixtures.ts';

const freshDir = freshDirs('trustext-keys-store-');
const NOW = new Date('2026-01-02T03:04:05.000Z');
const store = (dir = freshDir(), write?: AtomicWriter) => new FileKeyStore(dir, { now: () => NOW, ...(write && { write }), lock: { timeoutMs: 300 } });
const mode = async (path: string) => (await stat(path)).mode & 0o777;
const p256Pem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const payload = new TextEncoder().encode('{"critical":{},"optional":null}');
/** The pid of a process that has exited (so it is certainly not running now, barring reuse). */
const deadPid = () => spawnSync('true').pid!;

describe('FileKeyStore.create', () => {
  it('writes an encrypted key, its public key and the index, with private permissions and no temp files', async () => {
    const dir = freshDir();
    const entry = await store(dir).create('release', 'passphrase-1', { scopes: ['127.0.0.1:5000/team/**', '127.0.0.1:5000/team/**'] });
    assert.deepEqual(
      { ...entry, id: '' },
      { name: 'release', id: '', type: 'ed25519', created: '2026-01-02T03:04:05.000Z', scopes: ['127.0.0.1:5000/team/**'], private: true },
    );
    assert.deepEqual((await readdir(dir)).sort(), ['keys.json', 'release.key', 'release.pub']);
    assert.equal(await mode(dir), 0o700);
    for (const f of ['keys.json', 'release.key', 'release.pub']) assert.equal(await mode(join(dir, f)), 0o600, f);
    const index = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8'));
    assert.deepEqual(index, { version: 2, entries: [entry] });
    const pub = publicKeyFromPem(await readFile(join(dir, 'release.pub'), 'utf8'));
    assert.equal(spkiKeyId(pub), entry.id);
    const key = decodePem(await readFile(join(dir, 'release.key'), 'utf8'));
    assert.equal(key.type, 'ENCRYPTED COSIGN PRIVATE KEY');
    assert.deepEqual(JSON.parse(key.body.toString()).kdf.params, { N: 32768, r: 8, p: 1 });
  });

  it("createSigning hands back the new key's signer: the same signatures as the stored key decrypted", async () => {
    const s = store();
    const { entry, signer } = await s.createSigning('fresh', 'passphrase-1', { scopes: ['docker.io/r/**'] });
    assert.equal(signer.keyId, entry.id);
    assert.deepEqual(await s.get('fresh'), entry);
    const stored = await s.signer('fresh', 'passphrase-1');
    assert.deepEqual(Buffer.from(signer.sign(payload)), Buffer.from(stored.sign(payload)));
    assert.ok(verifyCosignSignature(publicKeyFromPem(await s.publicKeyPem('fresh')), payload, signer.sign(payload)));
    await rejectsWithCode(s.createSigning('fresh', 'passphrase-1'), 'KEY_EXISTS');
  });

  it('gives a Signer whose signatures verify under the exported public key', async () => {
    const s = store();
    const entry = await s.create('signer', 'passphrase-pw');
    const signer = await s.signer('signer', 'passphrase-pw');
    assert.equal(signer.keyId, entry.id);
    const pk = publicKeyFromPem(await s.publicKeyPem('signer'));
    assert.equal(verifyCosignSignature(pk, payload, signer.sign(payload)), true);
  });

  it('says PASSPHRASE_WRONG for a wrong passphrase and never echoes either passphrase', async () => {
    const s = store();
    await s.create('k', 'the-right-one');
    const err = await rejectsWithCode(s.signer('k', 'the-wrong-one'), 'PASSPHRASE_WRONG');
    assert.doesNotMatch(`${err.message} ${String(err.cause)}`, /the-right-one|the-wrong-one/);
  });

  it('requires a passphrase (PASSPHRASE_REQUIRED) and writes nothing without one', async () => {
    const dir = freshDir();
    await rejectsWithCode(store(dir).create('k', ''), 'PASSPHRASE_REQUIRED');
    await assert.rejects(stat(dir), { code: 'ENOENT' });
  });

  it('refuses a taken name with KEY_EXISTS and keeps the first key', async () => {
    const s = store();
    const first = await s.create('dup', 'passphrase-pw');
    await rejectsWithCode(s.create('dup', 'passphrase-pw'), 'KEY_EXISTS', /"dup"/);
    await rejectsWithCode(s.importPublic('dup', edPem()), 'KEY_EXISTS');
    assert.deepEqual(await s.get('dup'), first);
  });

  it('refuses to overwrite key files that exist without an index entry, and leaves them alone', async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'orphan.key'), "someone else's key");
    await rejectsWithCode(store(dir).create('orphan', 'passphrase-pw'), 'KEY_EXISTS', /not in keys\.json/);
    assert.equal(await readFile(join(dir, 'orphan.key'), 'utf8'), "someone else's key");
    assert.deepEqual((await readdir(dir)).sort(), ['orphan.key']);
  });
});

describe('key names', () => {
  const valid = ['a', '0', 'release', 'team-a_key-2', 'x'.repeat(100)];
  const invalid = ['', 'A', 'Release', '-lead', '_lead', 'a.b', 'a b', 'a/b', '../escape', '..', 'ké', 'x'.repeat(101)];
  for (const name of valid) {
    it(`accepts ${JSON.stringify(name.slice(0, 20))}`, async () => {
      assert.equal((await store().importPublic(name, edPem())).name, name);
    });
  }
  for (const name of invalid) {
    it(`refuses ${JSON.stringify(name.slice(0, 20))} with KEY_INVALID`, async () => {
      const dir = freshDir();
      await rejectsWithCode(store(dir).importPublic(name, edPem()), 'KEY_INVALID');
      await rejectsWithCode(store(dir).get(name), 'KEY_INVALID');
      await assert.rejects(stat(dir), { code: 'ENOENT' });
    });
  }
});

describe('lookups', () => {
  it('KEY_NOT_FOUND for unknown names, in an empty or missing store, without creating it', async () => {
    const dir = freshDir();
    const s = store(dir);
    assert.equal(await s.has('nope'), false);
    assert.deepEqual(await s.list(), []);
    assert.deepEqual(await s.trustedFor('docker.io/library/busybox'), []);
    await rejectsWithCode(s.get('nope'), 'KEY_NOT_FOUND');
    await rejectsWithCode(s.publicKeyPem('nope'), 'KEY_NOT_FOUND');
    await rejectsWithCode(s.signer('nope', 'passphrase-pw'), 'KEY_NOT_FOUND');
    await assert.rejects(stat(dir), { code: 'ENOENT' });
    await rejectsWithCode(s.addScope('nope', 'docker.io/**'), 'KEY_NOT_FOUND');
  });

  it('lists entries sorted by name', async () => {
    const s = store();
    for (const name of ['charlie', 'alpha', 'bravo']) await s.importPublic(name, edPem());
    assert.deepEqual(
      (await s.list()).map((e) => e.name),
      ['alpha', 'bravo', 'charlie'],
    );
  });
});

describe('FileKeyStore.importPublic', () => {
  it('trusts Ed25519 and ECDSA P-256 public keys, storing only the canonical .pub', async () => {
    const dir = freshDir();
    const s = store(dir);
    const ed = edPem();
    const ec = p256Pem();
    const a = await s.importPublic('alice', ed, { scopes: ['docker.io/alice/*'] });
    const b = await s.importPublic('bob', ec);
    assert.deepEqual({ ...a, id: '' }, { name: 'alice', id: '', type: 'ed25519', created: NOW.toISOString(), scopes: ['docker.io/alice/*'], private: false });
    assert.equal(b.type, 'ecdsa-p256');
    assert.equal(a.id, spkiKeyId(publicKeyFromPem(ed)));
    assert.equal(await s.publicKeyPem('alice'), ed);
    assert.deepEqual((await readdir(dir)).sort(), ['alice.pub', 'bob.pub', 'keys.json']);
    assert.equal(await mode(join(dir, 'bob.pub')), 0o600);
  });

  it('cannot sign with an imported public key (KEY_NOT_FOUND)', async () => {
    const s = store();
    await s.importPublic('theirs', edPem());
    await rejectsWithCode(s.signer('theirs', 'passphrase-pw'), 'KEY_NOT_FOUND', /cannot sign/);
  });

  it('refuses the same key under a second name, and unsupported keys', async () => {
    const s = store();
    const pem = edPem();
    await s.importPublic('first', pem);
    await rejectsWithCode(s.importPublic('second', pem), 'KEY_EXISTS', /"first"/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await rejectsWithCode(s.importPublic('rsa', rsa), 'KEY_INVALID', /rsa/);
    await rejectsWithCode(s.importPublic('bad-scope', edPem(), { scopes: ['library/busybox'] }), 'KEY_INVALID', /scope/);
    assert.deepEqual(
      (await s.list()).map((e) => e.name),
      ['first'],
    );
  });
});

describe('scopes and trustedFor', () => {
  it('returns the keys whose scopes match the fully qualified repository, with usable public keys', async () => {
    const s = store();
    await s.create('ours', 'passphrase-pw', { scopes: ['127.0.0.1:5000/team/**'] });
    await s.importPublic('hub', edPem(), { scopes: ['docker.io/library/*'] });
    await s.importPublic('all', p256Pem(), { scopes: ['**'] });
    await s.importPublic('none', edPem());
    const names = async (repo: string) => (await s.trustedFor(repo)).map((t) => t.entry.name);
    assert.deepEqual(await names('127.0.0.1:5000/team/app'), ['all', 'ours']);
    assert.deepEqual(await names('docker.io/library/busybox'), ['all', 'hub']);
    assert.deepEqual(await names('docker.io/someone/app'), ['all']);
    const [ours] = (await s.trustedFor('127.0.0.1:5000/team/a/b')).filter((t) => t.entry.name === 'ours');
    const signer = await s.signer('ours', 'passphrase-pw');
    assert.equal(verifyCosignSignature(ours!.publicKey, payload, signer.sign(payload)), true);
  });

  it('addScope adds a validated glob once and persists it', async () => {
    const dir = freshDir();
    await store(dir).importPublic('k', edPem());
    const updated = await store(dir).addScope('k', 'reg.example/app');
    assert.deepEqual(updated.scopes, ['reg.example/app']);
    assert.deepEqual((await store(dir).addScope('k', 'reg.example/app')).scopes, ['reg.example/app']);
    assert.deepEqual((await store(dir).get('k')).scopes, ['reg.example/app']);
    assert.deepEqual(
      (await store(dir).trustedFor('reg.example/app')).map((t) => t.entry.name),
      ['k'],
    );
    await rejectsWithCode(store(dir).addScope('k', 'busybox'), 'KEY_INVALID');
  });

  it('refuses a .pub file replaced behind its back (KEY_INVALID, fail closed)', async () => {
    const dir = freshDir();
    const s = store(dir);
    await s.importPublic('k', edPem(), { scopes: ['**'] });
    await writeFile(join(dir, 'k.pub'), edPem());
    await rejectsWithCode(s.trustedFor('docker.io/library/busybox'), 'KEY_INVALID', /does not match/);
    await rejectsWithCode(s.publicKeyPem('k'), 'KEY_INVALID');
  });

  it('refuses a .key file swapped for another key (KEY_INVALID)', async () => {
    const dir = freshDir();
    const s = store(dir);
    await s.create('a', 'passphrase-pw');
    await s.create('b', 'passphrase-pw');
    await writeFile(join(dir, 'a.key'), await readFile(join(dir, 'b.key')));
    await rejectsWithCode(s.signer('a', 'passphrase-pw'), 'KEY_INVALID', /does not match/);
  });
});

describe('crash safety', () => {
  /** A writer that fails on the file whose name ends with `failOn`, and writes everything else for real. */
  const failingOn =
    (failOn: string): AtomicWriter =>
    async (path, data, options) => {
      if (path.endsWith(failOn)) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      await writeFileAtomic(path, data, options);
    };

  for (const failOn of ['.key', '.pub', 'keys.json']) {
    it(`a failure writing ${failOn} leaves the store exactly as it was`, async () => {
      const dir = freshDir();
      const existing = await store(dir).importPublic('existing', edPem());
      const before = await readFile(join(dir, 'keys.json'), 'utf8');
      await rejectsWithCode(store(dir, failingOn(failOn)).create('newkey', 'passphrase-pw'), 'KEYSTORE_FAILED', /ENOSPC/);
      assert.deepEqual((await readdir(dir)).sort(), ['existing.pub', 'keys.json']);
      assert.equal(await readFile(join(dir, 'keys.json'), 'utf8'), before);
      assert.deepEqual(await store(dir).list(), [existing]);
      assert.equal((await store(dir).create('newkey', 'passphrase-pw')).name, 'newkey', 'the name is free again');
    });
  }

  it('a failing index write during addScope changes nothing', async () => {
    const dir = freshDir();
    await store(dir).importPublic('k', edPem());
    await rejectsWithCode(store(dir, failingOn('keys.json')).addScope('k', 'docker.io/**'), 'KEYSTORE_FAILED');
    assert.deepEqual((await store(dir).get('k')).scopes, []);
  });

  // Root ignores permission bits, so as root the directory is made immutable (chattr +i), which stops root too.
  it('a read-only store directory fails with KEYSTORE_FAILED and leaves no files', async () => {
    const dir = freshDir();
    await store(dir).importPublic('existing', edPem());
    const root = process.getuid?.() === 0;
    const lock = (on: boolean) => (root ? execFileSync('chattr', [on ? '+i' : '-i', dir]) : chmod(dir, on ? 0o500 : 0o700));
    await lock(true);
    try {
      await rejectsWithCode(store(dir).importPublic('other', edPem()), 'KEYSTORE_FAILED');
      assert.deepEqual((await readdir(dir)).sort(), ['existing.pub', 'keys.json']);
    } finally {
      await lock(false);
    }
  });

  it('tightens an existing group/world-accessible store directory to 0700', async () => {
    const dir = freshDir();
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await store(dir).importPublic('k', edPem());
    assert.equal(await mode(dir), 0o700);
  });

  it('keeps every entry when several processes (here: calls) add keys and scopes at once', async () => {
    const dir = freshDir();
    await Promise.all(Array.from({ length: 6 }, (_, i) => store(dir).importPublic(`k${i}`, edPem())));
    assert.deepEqual(
      (await store(dir).list()).map((e) => e.name),
      ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'],
    );
    await Promise.all(['a', 'b', 'c', 'd'].map((x) => store(dir).addScope('k0', `reg.example/${x}`)));
    assert.deepEqual([...(await store(dir).get('k0')).scopes].sort(), ['reg.example/a', 'reg.example/b', 'reg.example/c', 'reg.example/d']);
    assert.ok(!(await readdir(dir)).some((f) => f.endsWith('.tmp') || f.endsWith('.lock')));
  });

  it('createOrOpenSigning: concurrent first uses all get the one key, and sign with it', async () => {
    const dir = freshDir();
    const made = await Promise.all(
      Array.from({ length: 4 }, () => store(dir).createOrOpenSigning('default', 'passphrase-pw', { scopes: ['reg.example/app'] })),
    );
    assert.equal(new Set(made.map((m) => m.entry.id)).size, 1);
    assert.equal(made.filter((m) => m.created).length, 1);
    for (const m of made) assert.equal(m.signer.keyId, made[0]!.entry.id);
    assert.deepEqual(
      (await store(dir).list()).map((e) => e.name),
      ['default'],
    );
    await rejectsWithCode(store(dir).createOrOpenSigning('default', 'another passphrase'), 'PASSPHRASE_WRONG');
  });

  it('refuses a damaged journal instead of guessing what a crashed change was', async () => {
    const dir = freshDir();
    await store(dir).importPublic('k', edPem());
    await writeFile(join(dir, 'journal.json'), '{"version":1,"op":"add","name":"k","id":"x","files":["../../etc/passwd"]}');
    await rejectsWithCode(store(dir).list(), 'KEYSTORE_FAILED', /journal\.json is damaged/);
  });

  it("a journal can only touch its own key's files, and only while they are the journaled key", async () => {
    const dir = freshDir();
    await store(dir).importPublic('k', edPem());
    await store(dir).importPublic('other', edPem());
    // Names files of another key: refused as damaged, nothing deleted.
    await writeFile(join(dir, 'journal.json'), JSON.stringify({ version: 1, op: 'remove', name: 'ghost', id: 'x', files: ['other.pub'] }));
    await rejectsWithCode(store(dir).list(), 'KEYSTORE_FAILED', /damaged/);
    // A stale journal about an earlier key of the same name: the key there now has another id and stays.
    await writeFile(join(dir, 'journal.json'), JSON.stringify({ version: 1, op: 'add', name: 'fresh', id: 'f'.repeat(64), files: ['fresh.pub'] }));
    await writeFile(join(dir, 'fresh.pub'), edPem(), { mode: 0o600 });
    await store(dir).importPublic('probe', edPem());
    assert.ok((await readdir(dir)).includes('fresh.pub'), "another key's file is not removed");
    assert.ok(!(await readdir(dir)).includes('journal.json'));
    assert.deepEqual(
      (await store(dir).list()).map((e) => e.name),
      ['k', 'other', 'probe'],
    );
  });

  it("takes over a lock left by a process that is gone (an older trustext's bare pid), with a notice", async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    const dead = deadPid();
    await writeFile(join(dir, 'keys.json.lock'), `${dead}\n`);
    const notices: string[] = [];
    await new FileKeyStore(dir, { lock: { timeoutMs: 300, onNotice: (l) => notices.push(l) } }).importPublic('k', edPem());
    assert.deepEqual(
      (await store(dir).list()).map((e) => e.name),
      ['k'],
    );
    assert.match(notices.join('\n'), new RegExp(`taking over the lock .*keys\\.json\\.lock: process ${dead} is no longer running`));
    assert.ok(!(await readdir(dir)).includes('keys.json.lock'));
  });

  it('waits for a lock whose holder is alive, then says who holds it', async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'keys.json.lock'), `${JSON.stringify({ pid: process.ppid, host: hostname() })}\n`);
    await rejectsWithCode(
      store(dir).importPublic('k', edPem()),
      'KEYSTORE_FAILED',
      new RegExp(`busy: timed out .*keys\\.json\\.lock, held by process ${process.ppid}`),
    );
    assert.deepEqual(
      await store(dir)
        .list()
        .catch(() => []),
      [],
    );
  });

  it('refuses a corrupt or newer index instead of treating it as empty', async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'keys.json'), '{"version":1,"entries":[{"name":"x"}]');
    await rejectsWithCode(store(dir).list(), 'KEYSTORE_FAILED', /not JSON/);
    await writeFile(join(dir, 'keys.json'), '{"version":3,"entries":[]}');
    await rejectsWithCode(store(dir).list(), 'KEYSTORE_FAILED', /version 3/);
    await writeFile(join(dir, 'keys.json'), '{"version":1,"entries":[{"name":"x","id":"00","type":"ed25519","created":"","scopes":[],"private":false}]}');
    await rejectsWithCode(store(dir).importPublic('k', edPem()), 'KEYSTORE_FAILED', /entry 0/);
  });
});

describe('writeFileAtomic', () => {
  it('creates 0600 files, replaces existing ones, and leaves no temp file', async () => {
    const dir = freshDir();
    await mkdir(dir);
    const path = join(dir, 'f');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    assert.equal(await readFile(path, 'utf8'), 'two');
    assert.equal(await mode(path), 0o600);
    assert.deepEqual(await readdir(dir), ['f']);
  });

  it('with noClobber fails EEXIST and keeps the existing file', async () => {
    const dir = freshDir();
    await mkdir(dir);
    await writeFile(join(dir, 'f'), 'original');
    await assert.rejects(writeFileAtomic(join(dir, 'f'), 'new', { noClobber: true }), { code: 'EEXIST' });
    assert.equal(await readFile(join(dir, 'f'), 'utf8'), 'original');
    assert.deepEqual(await readdir(dir), ['f']);
  });

  it('removes its temp file when the final rename fails', async () => {
    const dir = freshDir();
    await mkdir(join(dir, 'target', 'occupied'), { recursive: true });
    await assert.rejects(writeFileAtomic(join(dir, 'target'), 'data'));
    assert.deepEqual(await readdir(dir), ['target']);
  });
});
