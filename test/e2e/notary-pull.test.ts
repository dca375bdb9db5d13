/**
 * Notary interop, read side: images pushed and signed by stock DCT (docker CLI 28.2.2 against the test bed's
 * real notary-server) are verified and pulled by `docker trustext pull` from the Notary trust data, including
 * `targets/releases` delegations made with `docker trust signer add` and `docker trust sign`.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dctEnv, docker, show, tempDir, testbed, uniqueRepo, imageId } from './harness.ts';

const tb = testbed();

describe('pull from Notary trust data written by stock DCT', () => {
  it('verifies a tag pushed with DOCKER_CONTENT_TRUST=1 docker push, pulls it by digest and tags it', async () => {
    const env = await dctEnv();
    const ref = `${tb.registry}/${uniqueRepo('dct')}:v1`;
    await docker(['tag', tb.image, ref], env);
    const push = await docker(['push', ref], env);
    assert.equal(push.code, 0, show(push));
    assert.match(push.stdout, /Successfully signed/);
    const before = await imageId(ref, env);
    await docker(['rmi', ref], env);
    const pull = await docker(['trustext', 'pull', ref], env); // default store: both (a trust server is set)
    assert.equal(pull.code, 0, show(pull));
    assert.match(pull.stderr, /^Tagging .*@sha256:[0-9a-f]{64} as /m);
    assert.equal(await imageId(ref, env), before);
    const json = JSON.parse((await docker(['trustext', 'verify', '--store', 'notary', '--format', 'json', ref], env)).stdout);
    assert.equal(json.Store, 'notary');
    assert.equal(json.Role, 'targets');
    // A digest that is not the one Notary signed for the tag is refused, by verify and by pull alike.
    const other = `${ref}@sha256:${'0'.repeat(64)}`;
    for (const cmd of ['verify', 'pull']) {
      const r = await docker(['trustext', cmd, '--store', 'notary', other], env);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /No valid trust data for sha256:0+: Notary trust data for v1 names sha256:[0-9a-f]{64}/);
    }
    // An image the registry does serve, unsigned there, under the tag Notary signs for another digest: refused under
    // --store both even where a warn rule would let an unsigned image through (Notary's trust data contradicts it).
    const repo = ref.slice(0, ref.lastIndexOf(':'));
    await docker(['tag', tb.image2, `${repo}:other`], env);
    const plain = await docker(['push', `${repo}:other`], { ...env, DOCKER_CONTENT_TRUST: '0' });
    assert.equal(plain.code, 0, show(plain));
    const otherDigest = plain.stdout.match(/digest: (sha256:[0-9a-f]{64})/)![1];
    assert.equal((await docker(['trustext', 'policy', 'set', repo, '--mode', 'warn'], env)).code, 0);
    for (const cmd of ['verify', 'pull']) {
      const r = await docker(['trustext', cmd, '--store', 'both', `${ref}@${otherDigest}`], env);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`No valid trust data for ${otherDigest}: Notary trust data for v1 names sha256:[0-9a-f]{64}`));
    }
  });

  it('honours a targets/releases delegation made with docker trust signer add and docker trust sign', async () => {
    const env = await dctEnv();
    const repo = uniqueRepo('dct-signer');
    const dir = await tempDir();
    const gen = await docker(['trust', 'key', 'generate', 'alice', '--dir', dir], env);
    assert.equal(gen.code, 0, show(gen));
    await docker(['tag', tb.image, `${tb.registry}/${repo}:v1`], env);
    assert.equal((await docker(['push', `${tb.registry}/${repo}:v1`], env)).code, 0);
    const add = await docker(['trust', 'signer', 'add', '--key', join(dir, 'alice.pub'), 'alice', `${tb.registry}/${repo}`], env);
    assert.equal(add.code, 0, show(add));
    await docker(['tag', tb.image2, `${tb.registry}/${repo}:v2`], env);
    assert.equal((await docker(['push', `${tb.registry}/${repo}:v2`], { ...env, DOCKER_CONTENT_TRUST: '0' })).code, 0);
    const sign = await docker(['trust', 'sign', `${tb.registry}/${repo}:v2`], env);
    assert.equal(sign.code, 0, show(sign));
    const v = await docker(['trustext', 'verify', '--store', 'notary', '--format', 'json', `${tb.registry}/${repo}:v2`], env);
    assert.equal(v.code, 0, show(v));
    assert.equal(JSON.parse(v.stdout).Role, 'targets/releases');
    await docker(['rmi', `${tb.registry}/${repo}:v2`], env);
    assert.equal((await docker(['trustext', 'pull', '--store', 'notary', `${tb.registry}/${repo}:v2`], env)).code, 0);
  });

  it('refuses a tag Notary does not list, and pulls nothing', async () => {
    const env = await dctEnv();
    const repo = uniqueRepo('dct-missing');
    await docker(['tag', tb.image, `${tb.registry}/${repo}:v1`], env);
    assert.equal((await docker(['push', `${tb.registry}/${repo}:v1`], env)).code, 0);
    await docker(['tag', tb.image2, `${tb.registry}/${repo}:unsigned`], env);
    assert.equal((await docker(['push', `${tb.registry}/${repo}:unsigned`], { ...env, DOCKER_CONTENT_TRUST: '0' })).code, 0);
    await docker(['rmi', `${tb.registry}/${repo}:unsigned`], env);
    const r = await docker(['trustext', 'pull', `${tb.registry}/${repo}:unsigned`], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^No valid trust data for unsigned: .* has no unsigned in targets\/releases or targets/m);
    assert.equal((await docker(['image', 'inspect', `${tb.registry}/${repo}:unsigned`], env)).code, 1);
  });
});
