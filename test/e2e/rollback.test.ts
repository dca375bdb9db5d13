/**
 * Tag rollback for registry signatures (issue #9): a tag moved back to an older digest that was once validly
 * signed is refused by a host that has seen the newer signature, and accepted with --allow-rollback; signing
 * writes timestamps that never go back for a tag.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { docker, show, tempDir, testbed, uniqueRepo, ok, trustEnv } from './harness.ts';
import { getManifest, putManifest, readSig } from './raw-registry.ts';

const tb = testbed();
const timestampOf = async (repo: string, digest: string) =>
  JSON.parse((await readSig(tb.registry, repo, digest)).payloads[0]!.toString()).optional.timestamp as number;

/** Signs image A then image B as repo:1 (back to back), and returns both manifests. */
async function signTwice(signer: Record<string, string>, repo: string) {
  const ref = `${tb.registry}/${repo}:1`;
  await ok(['tag', tb.image, ref], signer);
  await ok(['trustext', 'push', '-q', ref], signer);
  const a = await getManifest(tb.registry, repo, '1');
  await ok(['tag', tb.image2, ref], signer);
  await ok(['trustext', 'push', '-q', ref], signer);
  const b = await getManifest(tb.registry, repo, '1');
  assert.notEqual(a.digest, b.digest);
  return { ref, a, b };
}

describe('tag rollback', { timeout: 120_000 }, () => {
  it('refuses a tag moved back to an older signed digest; --allow-rollback accepts it', async () => {
    const e = await trustEnv();
    const repo = uniqueRepo('rollback');
    const { ref, a, b } = await signTwice(e, repo);
    assert.ok((await timestampOf(repo, b.digest)) > (await timestampOf(repo, a.digest)), 'the later signature is later, even within one second');
    await ok(['trustext', 'pull', '-q', ref], e);
    assert.equal(await putManifest(tb.registry, repo, '1', a.bytes, a.contentType), 201);
    for (const cmd of ['pull', 'verify']) {
      const r = await docker(['trustext', cmd, ref], e);
      assert.equal(r.code, 1, show(r));
      assert.equal(r.stderr.trim().split('\n').length, 1, show(r));
      assert.match(
        r.stderr,
        new RegExp(`No valid trust data for 1: tag rolled back: .*:1 now points to ${a.digest} .*but ${b.digest} was seen signed for it .*--allow-rollback`),
      );
    }
    const accepted = await docker(['trustext', 'pull', '--allow-rollback', ref], e);
    assert.equal(accepted.code, 0, show(accepted));
    assert.match(accepted.stdout, new RegExp(`@${a.digest}`));
    const still = await docker(['trustext', 'verify', ref], e);
    assert.equal(still.code, 1, `accepting once does not lower the floor: ${show(still)}`);
    await ok(['trustext', 'sign', '-q', ref], e);
    await ok(['trustext', 'verify', ref], e);
  });

  it('a warn rule lets a rollback through with a warning; key rotation keeps the old timestamps, so it stays a rollback', async () => {
    const e = await trustEnv();
    const repo = uniqueRepo('rollback-rotate');
    const { ref, a, b } = await signTwice(e, repo);
    await ok(['trustext', 'verify', ref], e);
    const stamps = async (digest: string) => [
      ...new Set((await readSig(tb.registry, repo, digest)).payloads.map((p: Buffer) => JSON.parse(p.toString()).optional.timestamp as number)),
    ];
    const before = { a: await stamps(a.digest), b: await stamps(b.digest) };
    // Twice: a second rotation re-signs the first rotation's re-signatures, which must keep the timestamps too.
    await ok(['trustext', 'key', 'rotate', 'default'], e);
    await ok(['trustext', 'key', 'rotate', 'default'], e);
    assert.deepEqual(await stamps(a.digest), before.a, "the re-signatures of A keep A's timestamp");
    assert.deepEqual(await stamps(b.digest), before.b, "the re-signatures of B keep B's timestamp");
    assert.equal(await putManifest(tb.registry, repo, '1', a.bytes, a.contentType), 201);
    const refusedAfterRotation = await docker(['trustext', 'verify', ref], e);
    assert.equal(refusedAfterRotation.code, 1, show(refusedAfterRotation));
    assert.match(refusedAfterRotation.stderr, new RegExp(`tag rolled back: .* now points to ${a.digest}.*but ${b.digest}`));
    // An unmet warn rule beside a met enforce rule (a requirement being rolled out) does not switch the check off.
    await ok(['trustext', 'policy', 'set', `${tb.registry}/${repo}`], e);
    await ok(['trustext', 'policy', 'set', `${tb.registry}/e2e/**`, '--require-claim', 'stage=prod', '--mode', 'warn'], e);
    const stillRefused = await docker(['trustext', 'verify', ref], e);
    assert.equal(stillRefused.code, 1, show(stillRefused));
    assert.match(stillRefused.stderr, /tag rolled back/);
    await ok(['trustext', 'policy', 'set', `${tb.registry}/${repo}`, '--mode', 'warn'], e);
    const warned = await ok(['trustext', 'verify', ref], e);
    assert.match(warned.stderr, /^warning: .*:1 allowed by warn rules: tag rolled back/m);
  });

  it('protects a puller on another host once it has seen the newer signature', async () => {
    const signer = await trustEnv();
    const repo = uniqueRepo('rollback-puller');
    const { ref, a } = await signTwice(signer, repo);
    const puller = await trustEnv();
    const pub = join(await tempDir(), 'signer.pub');
    await writeFile(pub, (await ok(['trustext', 'key', 'export', '--public', 'default'], signer)).stdout);
    await ok(['trustext', 'key', 'import', '--public', pub, '--name', 'signer', '--scope', `${tb.registry}/${repo}`], puller);
    await ok(['trustext', 'verify', ref], puller);
    assert.equal(await putManifest(tb.registry, repo, '1', a.bytes, a.contentType), 201);
    const r = await docker(['trustext', 'verify', ref], puller);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /tag rolled back/);
    await ok(
      ['trustext', 'verify', ref],
      await trustEnv().then(async (fresh) => {
        await ok(['trustext', 'key', 'import', '--public', pub, '--name', 'signer', '--scope', `${tb.registry}/${repo}`], fresh);
        return fresh;
      }),
    );
  });
});
