/**
 * migrate: a repository signed with stock DCT becomes verifiable from registry signatures alone, so trusted pulls
 * keep working once the Notary server is gone (here: the trust server points at a port nothing listens on).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dctEnv, docker, show, testbed, uniqueRepo } from './harness.ts';

const tb = testbed();

describe('migrate', () => {
  it('signs every DCT-verified tag in the registry; pulls then work with the Notary server gone', async () => {
    const env = await dctEnv();
    const repo = `${tb.registry}/${uniqueRepo('migrate')}`;
    for (const [tag, image] of [
      ['v1', tb.image],
      ['v2', tb.image2],
    ] as const) {
      await docker(['tag', image, `${repo}:${tag}`], env);
      const push = await docker(['push', `${repo}:${tag}`], env);
      assert.equal(push.code, 0, show(push));
    }
    const m = await docker(['trustext', 'migrate', '--all-tags', repo], env);
    assert.equal(m.code, 0, show(m));
    assert.match(m.stdout, /^Migrated .*:v1 sha256:[0-9a-f]{64} \(from targets\)/m);
    assert.match(m.stdout, /^Migrated .*:v2 /m);
    assert.match(m.stdout, /2 tag\(s\) migrated from https:\/\/127\.0\.0\.1:\d+, 0 not/);
    const gone = { ...env, DOCKER_CONTENT_TRUST_SERVER: 'https://127.0.0.1:1' };
    for (const tag of ['v1', 'v2']) {
      await docker(['rmi', `${repo}:${tag}`], gone);
      const pull = await docker(['trustext', 'pull', `${repo}:${tag}`], gone);
      assert.equal(pull.code, 0, show(pull));
    }
    const notaryOnly = await docker(['trustext', 'verify', '--store', 'notary', `${repo}:v1`], gone);
    assert.equal(notaryOnly.code, 1, 'the Notary server really is unreachable');
  });

  it('refuses to migrate a tag the registry no longer serves as signed, and says so', async () => {
    const env = await dctEnv();
    const repo = `${tb.registry}/${uniqueRepo('migrate-moved')}`;
    await docker(['tag', tb.image, `${repo}:v1`], env);
    assert.equal((await docker(['push', `${repo}:v1`], env)).code, 0);
    await docker(['tag', tb.image2, `${repo}:v1`], env); // the tag moves without DCT
    assert.equal((await docker(['push', `${repo}:v1`], { ...env, DOCKER_CONTENT_TRUST: '0' })).code, 0);
    const m = await docker(['trustext', 'migrate', `${repo}:v1`], env);
    assert.equal(m.code, 1, show(m));
    assert.match(m.stderr, /^Not migrated .*:v1: .*refusing to sign/m);
    assert.match(m.stdout, /0 tag\(s\) migrated/);
  });
});
