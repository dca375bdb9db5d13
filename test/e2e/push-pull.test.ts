import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseEnv, docker, dockerConfig, registryManifest, show, testbed, uniqueRepo, imageId } from './harness.ts';

describe('push and pull through docker trustext (content trust off)', () => {
  const tb = testbed();

  it('pushes, and after docker rmi pulls back the same image, by tag and by digest', async () => {
    const env = baseEnv(await dockerConfig());
    const repo = uniqueRepo('roundtrip');
    const ref = `${tb.registry}/${repo}:v1`;
    assert.equal((await docker(['tag', tb.image, ref], env)).code, 0);
    const id = await imageId(ref, env);
    assert.ok(id);

    const push = await docker(['trustext', 'push', ref], env);
    assert.equal(push.code, 0, show(push));
    const served = await registryManifest(tb.registry, repo, 'v1');
    assert.equal(served.status, 200);
    assert.match(push.stdout, new RegExp(`^The push refers to repository \\[${tb.registry}/${repo}\\]$`, 'm'));
    assert.match(push.stdout, new RegExp(`^v1: digest: ${served.digest} size: \\d+$`, 'm'));
    assert.doesNotMatch(push.stdout, /\x1b\[/, 'no terminal control sequences without a TTY');

    assert.equal((await docker(['rmi', ref], env)).code, 0);
    assert.equal(await imageId(ref, env), undefined);
    const pull = await docker(['trustext', 'pull', ref], env);
    assert.equal(pull.code, 0, show(pull));
    assert.equal(pull.stdout.trim().split('\n').at(-1), ref);
    assert.equal(await imageId(ref, env), id);

    const byDigest = `${tb.registry}/${repo}@${served.digest}`;
    const q = await docker(['trustext', 'pull', '-q', byDigest], env);
    assert.equal(q.code, 0, show(q));
    assert.equal(q.stdout, `${byDigest}\n`, 'quiet prints only the reference');
    assert.equal(await imageId(byDigest, env), id);
  });

  it('prints nothing but errors with push -q', async () => {
    const env = baseEnv(await dockerConfig());
    const ref = `${tb.registry}/${uniqueRepo('quiet')}:q`;
    await docker(['tag', tb.image, ref], env);
    const r = await docker(['trustext', 'push', '-q', ref], env);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout + r.stderr, '');
  });

  it('reports an engine refusal with exit 1 and the engine’s reason', async () => {
    const env = baseEnv(await dockerConfig());
    const r = await docker(['trustext', 'push', `${tb.registry}/${uniqueRepo('absent')}:nope`], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /An image does not exist locally with the tag|no such image/i);
  });
});

describe('content trust on: nothing unsigned goes through', () => {
  const tb = testbed();

  for (const value of ['1', 'true', 'yes']) {
    it(`DOCKER_CONTENT_TRUST=${value} turns signing on: with no passphrase it pushes nothing`, async () => {
      const env = baseEnv(await dockerConfig(), { DOCKER_CONTENT_TRUST: value });
      const repo = uniqueRepo('trust-push');
      const ref = `${tb.registry}/${repo}:signed`;
      await docker(['tag', tb.image, ref], env);
      const r = await docker(['trustext', 'push', ref], env);
      assert.equal(r.code, 1, show(r));
      assert.equal(r.stderr.trim().split('\n').length, 1, show(r));
      assert.match(r.stderr, /no passphrase for signing key "default"/);
      assert.equal((await registryManifest(tb.registry, repo, 'signed')).status, 404);
    });
  }

  it('pull refuses an unsigned image before pulling anything, and --disable-content-trust lets the user opt out', async () => {
    const plain = baseEnv(await dockerConfig());
    const repo = uniqueRepo('trust-pull');
    const ref = `${tb.registry}/${repo}:unsigned`;
    await docker(['tag', tb.image, ref], plain);
    assert.equal((await docker(['trustext', 'push', ref], plain)).code, 0);
    await docker(['rmi', ref], plain);

    const trusted = { ...plain, DOCKER_CONTENT_TRUST: '1' };
    const r = await docker(['trustext', 'pull', ref], trusted);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /remote trust data does not exist for /);
    assert.equal(await imageId(ref, plain), undefined, 'nothing pulled or tagged');

    const optOut = await docker(['trustext', 'pull', '--disable-content-trust', ref], trusted);
    assert.equal(optOut.code, 0, show(optOut));
    assert.ok(await imageId(ref, plain));
  });

  it('DOCKER_CONTENT_TRUST=0 and =false leave trust off', async () => {
    for (const value of ['0', 'false']) {
      const env = baseEnv(await dockerConfig(), { DOCKER_CONTENT_TRUST: value });
      const ref = `${tb.registry}/${uniqueRepo('trust-off')}:t`;
      await docker(['tag', tb.image, ref], env);
      const r = await docker(['trustext', 'push', '-q', ref], env);
      assert.equal(r.code, 0, show(r));
    }
  });
});
