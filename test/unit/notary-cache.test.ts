/** TrustCache: docker's layout, atomic replacement, 0700/0600 whatever the umask, and GUN/role names that cannot escape. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TrustCache } from '../../src/notary/client/index.ts';
import { rejectsWithCode, throwsWithCode } from '../kit/index.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function cacheDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'trustext-cache-'));
  dirs.push(d);
  return join(d, 'trust');
}
const GUN = '127.0.0.1:5000/demo/hello';
const meta = (version: number, pad = 0) => Buffer.from(JSON.stringify({ signed: { _type: 'Targets', version, pad: 'x'.repeat(pad) }, signatures: [] }));

describe('TrustCache', () => {
  it('stores per GUN under tuf/<gun>/metadata/<role>.json, delegations in subfolders', async () => {
    const dir = await cacheDir();
    const cache = new TrustCache(dir);
    assert.equal(await cache.read(GUN, 'root'), undefined);
    assert.equal(await cache.version(GUN, 'root'), undefined);
    await cache.write(GUN, 'root', meta(1));
    await cache.write(GUN, 'targets/releases', meta(3));
    assert.deepEqual(await cache.read(GUN, 'root'), meta(1));
    assert.equal(await cache.version(GUN, 'targets/releases'), 3);
    assert.deepEqual((await readdir(join(dir, 'tuf', '127.0.0.1:5000', 'demo', 'hello', 'metadata'))).sort(), ['root.json', 'targets']);
    assert.equal(cache.path('docker.io/library/alpine', 'timestamp'), join(dir, 'tuf', 'docker.io', 'library', 'alpine', 'metadata', 'timestamp.json'));
    await cache.remove(GUN);
    assert.equal(await cache.read(GUN, 'root'), undefined);
  });

  it('creates directories 0700 and files 0600 even with umask 0', async () => {
    const dir = await cacheDir();
    const old = process.umask(0);
    try {
      await new TrustCache(dir).write(GUN, 'targets/releases', meta(1));
    } finally {
      process.umask(old);
    }
    const metadata = join(dir, 'tuf', '127.0.0.1:5000', 'demo', 'hello', 'metadata');
    for (const d of [dir, join(dir, 'tuf'), join(dir, 'tuf', '127.0.0.1:5000'), metadata, join(metadata, 'targets')]) {
      assert.equal((await stat(d)).mode & 0o777, 0o700, d);
    }
    assert.equal((await stat(join(metadata, 'targets', 'releases.json'))).mode & 0o777, 0o600);
  });

  it('replaces files atomically: concurrent readers see a whole old or new file, no temp files remain', async () => {
    const cache = new TrustCache(await cacheDir());
    const versions = Array.from({ length: 20 }, (_, i) => meta(i + 1, 256 << 10));
    await cache.write(GUN, 'snapshot', versions[0]!);
    let writing = true;
    const reader = (async () => {
      let reads = 0;
      while (writing) {
        const got = await cache.read(GUN, 'snapshot');
        assert.ok(got && versions.some((v) => v.equals(got)), 'a torn or empty read');
        reads++;
      }
      return reads;
    })();
    await Promise.all(versions.map((v) => cache.write(GUN, 'snapshot', v)));
    writing = false;
    assert.ok((await reader) > 0);
    const names = await readdir(join(cache.path(GUN, 'snapshot'), '..'));
    assert.deepEqual(names, ['snapshot.json']);
  });

  it('leaves the old file and no temp file behind when the replacement fails', async () => {
    const cache = new TrustCache(await cacheDir());
    await cache.write(GUN, 'root', meta(1));
    await mkdir(cache.path(GUN, 'targets')); // rename onto a directory fails
    await rejectsWithCode(cache.write(GUN, 'targets', meta(2)), 'NOTARY_FAILED', /trust cache: writing/);
    assert.deepEqual((await readdir(join(cache.path(GUN, 'root'), '..'))).sort(), ['root.json', 'targets.json']);
    assert.deepEqual(await cache.read(GUN, 'root'), meta(1));
  });

  it('reports a cached file without a version as TRUST_DATA_INVALID', async () => {
    const cache = new TrustCache(await cacheDir());
    for (const bad of ['not json', '{"signed":{"version":"3"}}', '{"signed":{"version":1.5}}', 'null']) {
      await cache.write(GUN, 'timestamp', Buffer.from(bad));
      await rejectsWithCode(cache.version(GUN, 'timestamp'), 'TRUST_DATA_INVALID');
    }
  });

  const badGuns = [
    '',
    '..',
    '../x',
    '/abs/path',
    'h:5000/a/../../b',
    'h:5000/a/./b',
    'h:5000//a',
    'busybox',
    'library/busybox',
    'index.docker.io/library/busybox',
    'h:5000/a:tag',
    `h:5000/a@sha256:${'a'.repeat(64)}`,
    'h:5000/A',
    'h:5000/a\0b',
    'h:5000/a\\..\\b',
    'h:5000/a/',
  ];
  for (const gun of badGuns) {
    it(`refuses the GUN ${JSON.stringify(gun)}`, async () => {
      const cache = new TrustCache(await cacheDir());
      throwsWithCode(() => cache.path(gun, 'root'), 'REFERENCE_INVALID');
      await rejectsWithCode(cache.write(gun, 'root', meta(1)), 'REFERENCE_INVALID');
      await rejectsWithCode(cache.remove(gun), 'REFERENCE_INVALID');
    });
  }

  for (const role of ['../root', 'targets/../../x', 'root/..', '', 'targets//a', '/root', 'x']) {
    it(`refuses the role ${JSON.stringify(role)}`, async () => {
      const cache = new TrustCache(await cacheDir());
      await rejectsWithCode(cache.write(GUN, role, meta(1)), 'TRUST_DATA_INVALID');
    });
  }
});
