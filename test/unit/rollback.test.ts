/** trust/rollback.ts (pure, table-driven) and the tag history file (tag-history/) on real files. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TagHistory } from '../../src/tag-history/index.ts';
import { checkRollback, newestTimestamp, signingTimestamp, type TagRecord } from '../../src/trust/index.ts';
import { rejectsWithCode } from '../kit/index.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const SEEN = new Date('2026-12-01T00:00:00Z');
const rec = (digest: string, timestamp: number): TagRecord => ({ digest, timestamp, seen: '2026-11-30T00:00:00.000Z' });

describe('checkRollback', () => {
  const cases: [string, TagRecord | undefined, string, number | undefined, boolean, TagRecord | undefined][] = [
    ['first sight is recorded', undefined, A, 100, false, { digest: A, timestamp: 100, seen: SEEN.toISOString() }],
    ['first sight without a timestamp records nothing', undefined, A, undefined, false, undefined],
    ['the same digest, older signature: the record stays', rec(A, 200), A, 100, false, rec(A, 200)],
    ['the same digest, newer signature: it moves up', rec(A, 100), A, 200, false, { digest: A, timestamp: 200, seen: SEEN.toISOString() }],
    ['another digest, newer: moved forward', rec(A, 100), B, 200, false, { digest: B, timestamp: 200, seen: SEEN.toISOString() }],
    ['another digest, same second: not a rollback', rec(A, 100), B, 100, false, { digest: B, timestamp: 100, seen: SEEN.toISOString() }],
    ['another digest, older: rolled back', rec(B, 200), A, 100, true, undefined],
    ['another digest without a timestamp: rolled back', rec(B, 200), A, undefined, true, undefined],
  ];
  for (const [what, record, digest, newest, rolledBack, next] of cases) {
    it(what, () => {
      const r = checkRollback(record, digest, newest, SEEN);
      assert.equal(r.rolledBack, rolledBack);
      if (!r.rolledBack) assert.deepEqual(r.next, next);
      else assert.deepEqual(r.from, record);
    });
  }

  it('signingTimestamp is now, but always after a timestamp seen for another digest of the tag', () => {
    const now = new Date(100_500);
    assert.equal(signingTimestamp(undefined, A, now), 100);
    assert.equal(signingTimestamp(rec(A, 100), B, now), 101);
    assert.equal(signingTimestamp(rec(A, 100), A, now), 100);
    assert.equal(signingTimestamp(rec(A, 50), B, now), 100);
    assert.equal(signingTimestamp(rec(A, 500), B, now), 501, 'a clock behind the record still moves forward');
  });

  it('newestTimestamp takes integer timestamp claims only', () => {
    assert.equal(newestTimestamp([{ timestamp: 5 }, { timestamp: 9 }, null, undefined, { timestamp: '12' }, { timestamp: 1.5 }, { timestamp: -3 }]), 9);
    assert.equal(newestTimestamp([null, {}]), undefined);
  });
});

describe('TagHistory', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'trustext-tags-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps records per repository and tag, 0600 files in a 0700 directory, nothing else left', async () => {
    const dir = join(root, 'a');
    const h = new TagHistory(dir);
    await h.update('reg/app', '1', () => rec(A, 1));
    await h.update('reg/app', '2', () => rec(B, 2));
    await h.update('reg/other', '1', () => rec(B, 3));
    assert.deepEqual(await h.get('reg/app', '1'), rec(A, 1));
    assert.deepEqual(await new TagHistory(dir).get('reg/app', '2'), rec(B, 2));
    assert.equal(await h.get('reg/app', '3'), undefined);
    const files = await readdir(dir);
    assert.equal(files.length, 2, String(files));
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    for (const f of files) assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600);
  });

  it('loses no update when many run at once', async () => {
    const h = new TagHistory(join(root, 'b'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => new TagHistory(join(root, 'b')).update('reg/app', `t${i}`, () => rec(A, i))));
    for (let i = 0; i < 20; i++) assert.deepEqual(await h.get('reg/app', `t${i}`), rec(A, i));
  });

  it("refuses a damaged file or another repository's file instead of forgetting the floors", async () => {
    const dir = join(root, 'c');
    const h = new TagHistory(dir);
    await h.update('reg/app', '1', () => rec(A, 1));
    const [file] = await readdir(dir);
    await writeFile(join(dir, file!), '{"version":1,"repository":"reg/else","tags":{}}');
    await rejectsWithCode(h.get('reg/app', '1'), 'KEYSTORE_FAILED', /damaged \(it is the file of reg\/else\)/);
    await writeFile(join(dir, file!), 'garbage');
    await rejectsWithCode(h.get('reg/app', '1'), 'KEYSTORE_FAILED', /damaged \(not JSON\): remove it/);
    await rejectsWithCode(
      h.update('reg/app', '1', () => rec(B, 2)),
      'KEYSTORE_FAILED',
    );
  });
});
