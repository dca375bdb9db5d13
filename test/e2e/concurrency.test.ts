/**
 * Concurrent writers on one host lose nothing (issue #9): signers of one digest, first signed pushes racing to
 * create the `default` key, and policy edits; and a writer on "another host" (an in-process proxy that lets a
 * stale `.sig` overwrite ours right after we wrote it) is caught by the delayed re-check and merged back in.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { baseEnv, docker, dockerConfig, show, tempDir, testbed, uniqueRepo, ok } from './harness.ts';
import { lyingProxy } from './lying-proxy.ts';
import { getManifest, putManifest, readSig, sigTag, OCI_MANIFEST } from './raw-registry.ts';

const tb = testbed();
const PASSPHRASE = 'concurrency passphrase';

async function env(extra: Record<string, string> = {}) {
  return baseEnv(await dockerConfig(), { DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: PASSPHRASE, TRUSTEXT_KEYS_DIR: join(await tempDir(), 'keys'), ...extra });
}
/** Pushes the test image unsigned as registry/repo:tag and returns its digest. */
async function plainPush(e: Record<string, string>, repo: string, tag: string): Promise<string> {
  const ref = `${tb.registry}/${repo}:${tag}`;
  await ok(['tag', tb.image, ref], e);
  await ok(['push', ref], { ...e, DOCKER_CONTENT_TRUST: '0' });
  return (await getManifest(tb.registry, repo, tag)).digest;
}

/** How many signatures the `.sig` of `digest` holds, read raw. */
async function signatureCount(repo: string, digest: string): Promise<number> {
  return (await readSig(tb.registry, repo, digest)).manifest.layers.length;
}

describe('concurrent writers on one host', { timeout: 300_000 }, () => {
  it('8 concurrent signers of one digest, 3 times: 8 of 8 signatures kept each time, all exit 0', async () => {
    const e = await env();
    const keys = Array.from({ length: 8 }, (_, i) => `k${i + 1}`);
    for (const k of keys) await ok(['trustext', 'key', 'generate', '--dir', await tempDir(), k], e);
    for (let round = 1; round <= 3; round++) {
      const repo = uniqueRepo(`sign8-${round}`);
      const digest = await plainPush(e, repo, '1');
      const results = await Promise.all(keys.map((k) => docker(['trustext', 'sign', '-q', '--key', k, `${tb.registry}/${repo}:1`], e)));
      for (const r of results) assert.equal(r.code, 0, show(r));
      assert.equal(await signatureCount(repo, digest), 8, `round ${round}: every signature kept`);
    }
  });

  it('4 concurrent first signed pushes: all exit 0, all signed with the one default key', async () => {
    const e = await env({ DOCKER_CONTENT_TRUST: '1' });
    const repo = uniqueRepo('first-use');
    const tags = ['a', 'b', 'c', 'd'];
    for (const t of tags) await ok(['tag', tb.image, `${tb.registry}/${repo}:${t}`], e);
    const results = await Promise.all(tags.map((t) => docker(['trustext', 'push', `${tb.registry}/${repo}:${t}`], e)));
    for (const r of results) assert.equal(r.code, 0, show(r));
    const list = JSON.parse((await ok(['trustext', 'key', 'list', '--format', 'json'], e)).stdout) as { name: string; id: string }[];
    assert.deepEqual(
      list.map((k) => k.name),
      ['default'],
    );
    const ids = results.map((r) => /with key "default" \(([0-9a-f]{12})\)/.exec(r.stdout)?.[1]);
    assert.deepEqual(new Set(ids), new Set([list[0]!.id.slice(0, 12)]), results.map((r) => r.stdout).join('\n'));
    for (const t of tags) await ok(['trustext', 'verify', `${tb.registry}/${repo}:${t}`], e);
  });

  it('6 concurrent policy set on different globs: 6 of 6 rules kept', async () => {
    const e = await env();
    const globs = Array.from({ length: 6 }, (_, i) => `${tb.registry}/team${i}/**`);
    const results = await Promise.all(globs.map((g, i) => docker(['trustext', 'policy', 'set', g, '--threshold', String(i + 1)], e)));
    for (const r of results) assert.equal(r.code, 0, show(r));
    const shown = JSON.parse((await ok(['trustext', 'policy', 'show'], e)).stdout) as { rules: { repositories: string; threshold: number }[] };
    assert.deepEqual(shown.rules.map((r) => r.repositories).sort(), [...globs].sort());
  });
});

describe('a writer on another host', { timeout: 120_000 }, () => {
  /**
   * A proxy that lets trustext write its `.sig`, lets its immediate re-read see it, and then — right before the
   * next read, the delayed re-check — puts back `stale` (what a writer on another host that read before us would
   * write): once, or every time.
   */
  async function overwritingProxy(repo: string, digest: string, stale: Buffer, times: number) {
    let done = 0;
    let readsSincePut = -1;
    const proxy = await lyingProxy(tb.registry, async (req) => {
      if (!req.url?.endsWith(`/manifests/${sigTag(digest)}`)) return undefined;
      if (req.method === 'PUT') readsSincePut = 0;
      else if (req.method === 'GET' && readsSincePut >= 0 && ++readsSincePut === 2 && done < times) {
        done++;
        readsSincePut = -1;
        assert.equal(await putManifest(tb.registry, repo, sigTag(digest), stale, OCI_MANIFEST), 201);
      }
      return undefined;
    });
    return { proxy, overwrites: () => done };
  }

  /** An image signed by key "theirs", and its `.sig` as it is now (what a slow writer elsewhere would put back). */
  async function signedByTheirs(prefix: string) {
    const e = await env();
    const repo = uniqueRepo(prefix);
    const digest = await plainPush(e, repo, '1');
    await ok(['trustext', 'key', 'generate', '--dir', await tempDir(), 'theirs'], e);
    await ok(['trustext', 'sign', '-q', '--key', 'theirs', `${tb.registry}/${repo}:1`], e);
    return { e, repo, digest, stale: (await getManifest(tb.registry, repo, sigTag(digest))).bytes };
  }

  it('merges its signature back in when another writer overwrote the .sig right after us', async () => {
    const { e, repo, digest, stale } = await signedByTheirs('other-host');
    const { proxy, overwrites } = await overwritingProxy(repo, digest, stale, 1);
    try {
      const r = await docker(['trustext', 'sign', '-q', `${proxy.host}/${repo}:1`], e);
      assert.equal(r.code, 0, show(r));
      assert.equal(overwrites(), 1);
      assert.equal(await signatureCount(repo, digest), 2, 'both signatures are there in the end');
    } finally {
      await proxy.close();
    }
  });

  it('fails naming the lost signature when it keeps being overwritten', async () => {
    const { e, repo, digest, stale } = await signedByTheirs('other-host-lost');
    const { proxy } = await overwritingProxy(repo, digest, stale, 1000);
    try {
      const r = await docker(['trustext', 'sign', '-q', `${proxy.host}/${repo}:1`], e);
      assert.equal(r.code, 1, show(r));
      assert.match(
        r.stderr,
        new RegExp(`the signature by key "default" \\([0-9a-f]{12}\\) for ${digest} was overwritten by concurrent writers 5 times and is NOT stored`),
      );
      assert.equal(await signatureCount(repo, digest), 1);
    } finally {
      await proxy.close();
    }
  });
});
