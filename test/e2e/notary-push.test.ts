/**
 * Notary interop, write side: `docker trustext push` and `sign` publish Docker Content Trust metadata to the test
 * bed's real notary-server, read back by the stock docker CLI 28.2.2 (`DOCKER_CONTENT_TRUST=1 docker pull`,
 * `docker trust inspect`), sharing DCT's key directory so that either tool keeps signing after the other.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { baseEnv, dctEnv, docker, dockerConfig, registryManifest, run, show, tempDir, testbed, uniqueRepo } from './harness.ts';
import { lyingProxy, type Lie } from './lying-proxy.ts';

const tb = testbed();

async function inspect(
  repo: string,
  env: Record<string, string>,
): Promise<{ SignedTags: { SignedTag: string; Digest: string; Signers: string[] }[]; Signers: { Name: string }[] }> {
  const r = await docker(['trust', 'inspect', repo], env);
  assert.equal(r.code, 0, show(r));
  return JSON.parse(r.stdout)[0];
}

/** Removes the local tag, then pulls it with stock DCT: the tag must resolve through the Notary trust data. */
async function stockPull(ref: string, env: Record<string, string>): Promise<void> {
  await docker(['rmi', ref], env);
  const pull = await docker(['pull', ref], env);
  assert.equal(pull.code, 0, show(pull));
  assert.match(pull.stdout + pull.stderr, /Tagging .*@sha256:[0-9a-f]{64} as /);
}

/**
 * A fresh DCT environment and a repository whose tag v1 is already signed into Notary: initialized by trustext
 * (`push --store notary`) or by stock DCT (`docker push` with content trust on).
 */
async function notaryRepo(prefix: string, by: 'trustext' | 'docker' = 'trustext'): Promise<{ env: Record<string, string>; repo: string; path: string }> {
  const env = await dctEnv();
  const path = uniqueRepo(prefix);
  const repo = `${tb.registry}/${path}`;
  await docker(['tag', tb.image, `${repo}:v1`], env);
  const push = await docker(by === 'trustext' ? ['trustext', 'push', '--store', 'notary', `${repo}:v1`] : ['push', `${repo}:v1`], env);
  assert.equal(push.code, 0, show(push));
  return { env, repo, path };
}

describe('publishing to Notary as DCT does', () => {
  it('initializes a new repository that stock DCT pulls from and docker trust inspect lists', async () => {
    const env = await dctEnv();
    const repo = `${tb.registry}/${uniqueRepo('pub')}`;
    await docker(['tag', tb.image, `${repo}:v1`], env);
    const push = await docker(['trustext', 'push', `${repo}:v1`], env); // default store: both (a trust server is set)
    assert.equal(push.code, 0, show(push));
    assert.match(push.stdout, /^Signing and pushing trust metadata$/m);
    assert.match(push.stdout, new RegExp(`^Finished initializing "${repo}"$`, 'm'));
    assert.match(push.stdout, /^ {2}notary: targets on https:\/\//m);
    const pushed = push.stdout.match(/v1: digest: sha256:([0-9a-f]{64})/)![1];
    const trust = await inspect(repo, env);
    assert.deepEqual(
      trust.SignedTags.map((t) => [t.SignedTag, t.Digest]),
      [['v1', pushed]],
    );
    await stockPull(`${repo}:v1`, env);
    // The keys are docker's: encrypted PKCS#8 in trust/private, a root key and this repository's targets key.
    const dir = join(env.DOCKER_CONFIG!, 'trust', 'private');
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const files = await readdir(dir);
    const heads = await Promise.all(
      files.map(async (f) => {
        assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600);
        return (await readFile(join(dir, f), 'utf8')).split('\n').slice(0, 3).join('|');
      }),
    );
    assert.deepEqual(heads.sort(), [`-----BEGIN ENCRYPTED PRIVATE KEY-----|gun: ${repo}|role: targets`, '-----BEGIN ENCRYPTED PRIVATE KEY-----|role: root|']);
  });

  it('keeps publishing after stock DCT publishes newer versions with the same keys', async () => {
    const { env, repo } = await notaryRepo('pub-after');
    await docker(['tag', tb.image2, `${repo}:v2`], env);
    const stock = await docker(['push', `${repo}:v2`], env);
    assert.equal(stock.code, 0, show(stock));
    await docker(['tag', tb.image2, `${repo}:v3`], env);
    const ours = await docker(['trustext', 'push', '--store', 'notary', `${repo}:v3`], env);
    assert.equal(ours.code, 0, show(ours));
    assert.doesNotMatch(ours.stdout, /Finished initializing/);
    assert.deepEqual(
      (await inspect(repo, env)).SignedTags.map((t) => t.SignedTag),
      ['v1', 'v2', 'v3'],
    );
    await stockPull(`${repo}:v3`, env);
    const verify = await docker(['trustext', 'verify', '--store', 'notary', '--format', 'json', `${repo}:v2`], env);
    assert.equal(verify.code, 0, show(verify));
  });

  it('signs into a repository stock DCT initialized, with the keys docker made', async () => {
    const { env, repo } = await notaryRepo('pub-dct', 'docker');
    await docker(['tag', tb.image2, `${repo}:v2`], env);
    assert.equal((await docker(['push', `${repo}:v2`], { ...env, DOCKER_CONTENT_TRUST: '0' })).code, 0);
    const sign = await docker(['trustext', 'sign', '--store', 'notary', `${repo}:v2`], env);
    assert.equal(sign.code, 0, show(sign));
    assert.match(sign.stdout, new RegExp(`^Successfully signed ${repo}:v2$`, 'm'));
    await stockPull(`${repo}:v2`, env);
  });

  it('signs the tag into every role it holds a key for, targets/releases included', async () => {
    const { env, repo } = await notaryRepo('pub-roles', 'docker');
    const cwd = await tempDir();
    const gen = await docker(['trust', 'key', 'generate', 'alice', '--dir', cwd], env);
    assert.equal(gen.code, 0, show(gen));
    const add = await docker(['trust', 'signer', 'add', '--key', join(cwd, 'alice.pub'), 'alice', repo], env);
    assert.equal(add.code, 0, show(add));
    await docker(['tag', tb.image2, `${repo}:v2`], env);
    const push = await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], env);
    assert.equal(push.code, 0, show(push));
    assert.match(push.stdout, /notary: targets\/releases, targets\/alice, targets on /);
    const v2 = (await inspect(repo, env)).SignedTags.find((t) => t.SignedTag === 'v2');
    // docker attributes a tag to the signers of its first role in targets/releases order: alice, not the admin.
    assert.deepEqual(v2?.Signers, ['alice']);
    const verify = await docker(['trustext', 'verify', '--store', 'notary', '--format', 'json', `${repo}:v2`], env);
    assert.equal(JSON.parse(verify.stdout).Role, 'targets/releases');
    await stockPull(`${repo}:v2`, env);
  });

  it('refuses before pushing anything when it holds no key for the repository or the passphrase is wrong', async () => {
    const { env: owner, repo, path: repoPath } = await notaryRepo('pub-nokey');
    const stranger = await dctEnv();
    await docker(['tag', tb.image2, `${repo}:v2`], stranger);
    const push = await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], stranger);
    assert.equal(push.code, 1, show(push));
    assert.match(push.stderr, /no key to sign .* neither its targets key nor a delegation key is in /);
    assert.doesNotMatch(push.stdout, /Pushed|digest:/);
    const wrong = await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], { ...owner, DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'not it' });
    assert.equal(wrong.code, 1, show(wrong));
    assert.match(wrong.stderr, /wrong passphrase/);
    assert.equal((await registryManifest(tb.registry, repoPath, 'v2')).status, 404);
  });
});

describe('inspect and revoke over Notary trust data', () => {
  it('inspect --store notary prints exactly what docker trust inspect prints', async () => {
    const { env, repo } = await notaryRepo('pub-inspect', 'docker');
    const cwd = await tempDir();
    assert.equal((await docker(['trust', 'key', 'generate', 'carol', '--dir', cwd], env)).code, 0);
    assert.equal((await docker(['trust', 'signer', 'add', '--key', join(cwd, 'carol.pub'), 'carol', repo], env)).code, 0);
    await docker(['tag', tb.image2, `${repo}:v2`], env);
    assert.equal((await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], env)).code, 0);
    await docker(['tag', tb.image2, `${repo}:v10`], env);
    assert.equal((await docker(['push', `${repo}:v10`], env)).code, 0);
    const stock = await docker(['trust', 'inspect', repo, `${repo}:v2`], env);
    const ours = await docker(['trustext', 'inspect', '--store', 'notary', repo, `${repo}:v2`], env);
    assert.equal(ours.code, 0, show(ours));
    assert.deepEqual(JSON.parse(ours.stdout), JSON.parse(stock.stdout));
    const pretty = await docker(['trustext', 'inspect', '--store', 'notary', '--pretty', repo], env);
    assert.match(pretty.stdout, /^v1 +[0-9a-f]{64} +\(Repo Admin\)$/m);
    assert.match(pretty.stdout, /^ {2}Repository Key:\t[0-9a-f]{64}$/m);
  });

  it('revoke --store notary removes the tag from every role it can sign, so stock DCT refuses it', async () => {
    const env = await dctEnv();
    const repo = `${tb.registry}/${uniqueRepo('pub-revoke')}`;
    for (const t of ['v1', 'v2']) {
      await docker(['tag', tb.image, `${repo}:${t}`], env);
      assert.equal((await docker(['trustext', 'push', '--store', 'notary', `${repo}:${t}`], env)).code, 0);
    }
    const revoke = await docker(['trustext', 'revoke', '-y', '--store', 'notary', `${repo}:v1`], env);
    assert.equal(revoke.code, 0, show(revoke));
    assert.match(revoke.stdout, /notary: removed from targets on /);
    assert.match(revoke.stdout, new RegExp(`Successfully deleted signature for ${repo}:v1`));
    assert.deepEqual(
      (await inspect(repo, env)).SignedTags.map((t) => t.SignedTag),
      ['v2'],
    );
    const pull = await docker(['pull', `${repo}:v1`], env);
    assert.equal(pull.code, 1, show(pull));
    assert.match(pull.stderr, /No valid trust data for v1/);
    // Without a tag: every tag, as docker trust revoke REPO.
    const all = await docker(['trustext', 'revoke', '-y', '--store', 'notary', repo], env);
    assert.equal(all.code, 0, show(all));
    assert.deepEqual((await inspect(repo, env)).SignedTags, []);
  });
});

/**
 * The delegate NAME pushes v2 with its trustext key alone: signed into targets/releases and targets/NAME, pulled by
 * stock DCT in a fresh environment, and credited to NAME by docker trust inspect. Returns that reader's environment.
 */
async function delegatePublishes(repo: string, delegate: Record<string, string>, name: string): Promise<Record<string, string>> {
  await docker(['tag', tb.image2, `${repo}:v2`], delegate);
  const push = await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], delegate);
  assert.equal(push.code, 0, show(push));
  assert.match(push.stdout, new RegExp(`notary: targets/releases, targets/${name} on `));
  const reader = await dctEnv();
  await docker(['tag', tb.image2, `${repo}:v2`], reader);
  await stockPull(`${repo}:v2`, reader);
  assert.deepEqual((await inspect(repo, reader)).SignedTags.find((t) => t.SignedTag === 'v2')?.Signers, [name]);
  return reader;
}

describe('Notary signers made by docker trustext signer add', () => {
  it('delegates targets/NAME and targets/releases to an Ed25519 key, whose holder then publishes stock DCT pulls', async () => {
    const { env: owner, repo } = await notaryRepo('pub-signer');
    const bob = await dctEnv();
    const dir = await tempDir();
    const gen = await docker(['trustext', 'key', 'generate', 'bob', '--dir', dir], bob);
    assert.equal(gen.code, 0, show(gen));
    const add = await docker(['trustext', 'signer', 'add', '--store', 'notary', '--key', join(dir, 'bob.pub'), 'bob', repo], owner);
    assert.equal(add.code, 0, show(add));
    assert.match(add.stdout, /Successfully added signer: bob to /);
    const signers = (await inspect(repo, owner)).Signers.map((x) => x.Name);
    assert.deepEqual(signers, ['bob']);
    // bob holds no DCT key at all: only his trustext key, which the delegation names.
    const reader = await delegatePublishes(repo, bob, 'bob');
    // Removing the signer takes its key out of targets/releases: v2 is no longer trusted.
    const remove = await docker(['trustext', 'signer', 'remove', '--store', 'notary', 'bob', repo], owner);
    assert.equal(remove.code, 0, show(remove));
    const verify = await docker(['trustext', 'verify', '--store', 'notary', `${repo}:v2`], reader);
    assert.equal(verify.code, 1, show(verify));
    assert.match(verify.stderr, /No valid trust data for v2/);
    // Removing a signer from a repository without trust data is refused rather than initializing it.
    const bare = `${tb.registry}/${uniqueRepo('pub-bare')}`;
    const none = await docker(['trustext', 'signer', 'remove', '--store', 'notary', 'bob', bare], owner);
    assert.equal(none.code, 1, show(none));
    assert.match(none.stderr, /has no trust data on /);
    assert.deepEqual(await readdir(join(owner.DOCKER_CONFIG!, 'trust', 'private')).then((f) => f.length), 2, 'no keys made for it');
    const reserved = await docker(['trustext', 'signer', 'add', '--store', 'notary', '--key', join(dir, 'bob.pub'), 'releases', repo], owner);
    assert.equal(reserved.code, 1, show(reserved));
    assert.match(reserved.stderr, /releases is a reserved keyword/);
  });

  it('lets an ECDSA key loaded into trustext (as docker keys are) sign a delegation stock DCT honours', async () => {
    const { env: owner, repo } = await notaryRepo('pub-ecdsa');
    const dir = await tempDir();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(dir, 'carol.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(join(dir, 'carol.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const carol = await dctEnv();
    const load = await docker(['trustext', 'key', 'load', '--name', 'carol', join(dir, 'carol.key')], carol);
    assert.equal(load.code, 0, show(load));
    assert.equal((await docker(['trustext', 'signer', 'add', '--store', 'notary', '--key', join(dir, 'carol.pub'), 'carol', repo], owner)).code, 0);
    await delegatePublishes(repo, carol, 'carol');
  });
});

describe('the trust policy over Notary trust data', () => {
  it('credits Notary signatures to key-store signers under an explicit rule, and refuses the rest', async () => {
    const { env: owner, repo } = await notaryRepo('pub-policy');
    // The default rule: the pinned root of trust is the anchor, as with DCT.
    assert.equal((await docker(['trustext', 'verify', '--store', 'notary', `${repo}:v1`], owner)).code, 0);
    const bob = await dctEnv();
    const dir = await tempDir();
    assert.equal((await docker(['trustext', 'key', 'generate', 'bob', '--dir', dir], bob)).code, 0);
    // --store both: bob becomes the required signer of the repository's rule, and a Notary delegate.
    const add = await docker(['trustext', 'signer', 'add', '--key', join(dir, 'bob.pub'), 'bob', repo], owner);
    assert.equal(add.code, 0, show(add));
    await docker(['tag', tb.image2, `${repo}:v2`], bob);
    assert.equal((await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], bob)).code, 0);
    const ok = await docker(['trustext', 'verify', '--store', 'notary', '--format', 'json', `${repo}:v2`], owner);
    assert.equal(ok.code, 0, show(ok));
    const policy = JSON.parse(ok.stdout).Policy;
    assert.deepEqual(
      { Rule: policy.Rule, Mode: policy.Mode, Satisfied: policy.Satisfied, Reason: policy.Reason },
      { Rule: repo, Mode: 'enforce', Satisfied: true, Reason: '1 of 1 required signature (by bob)' },
    );
    assert.deepEqual(
      policy.Rules.map((r: { Rule: string; Checked: boolean }) => [r.Rule, r.Checked]),
      [[repo, true]],
    );
    // v1 is signed by the repository key only, which the rule's signer list does not name.
    const refused = await docker(['trustext', 'pull', '--store', 'notary', `${repo}:v1`], owner);
    assert.equal(refused.code, 1, show(refused));
    assert.match(
      refused.stderr,
      new RegExp(
        `No valid trust data for v1: Notary trust data does not meet policy rule ${repo}: 0 of 1 required signature; missing: bob; 1 not counted: the targets key in Notary is not in the key store`,
      ),
    );
    // In warn mode the same pull goes ahead, with the warning.
    assert.equal((await docker(['trustext', 'policy', 'set', repo, '--signer', 'bob', '--mode', 'warn'], owner)).code, 0);
    const warned = await docker(['trustext', 'pull', '--store', 'notary', `${repo}:v1`], owner);
    assert.equal(warned.code, 0, show(warned));
    assert.match(warned.stderr, /warning: .*missing: bob/);
  });
});

describe('root rotation', () => {
  it('follows two root rotations made with the notary CLI between reads, through the intermediate roots', async () => {
    const { env, repo } = await notaryRepo('pub-rotate'); // pins root v1
    const notaryEnv = {
      ...env,
      NOTARY_ROOT_PASSPHRASE: env.DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE!,
      NOTARY_TARGETS_PASSPHRASE: env.DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE!,
      NOTARY_SNAPSHOT_PASSPHRASE: env.DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE!,
    };
    const ca = join(tb.dir, 'ca', 'ca.crt');
    for (let i = 0; i < 2; i++) {
      const rotate = await run(
        'bash',
        ['-c', 'echo yes | notary -s "$1" -d "$2" --tlscacert "$3" key rotate "$4" root', 'rotate', tb.notary, join(env.DOCKER_CONFIG!, 'trust'), ca, repo],
        { env: notaryEnv },
      );
      assert.equal(rotate.code, 0, show(rotate));
      assert.match(rotate.stdout + rotate.stderr, /Successfully rotated root key/);
    }
    const verify = await docker(['trustext', 'verify', '--store', 'notary', `${repo}:v1`], env);
    assert.equal(verify.code, 0, show(verify));
    await docker(['tag', tb.image2, `${repo}:v2`], env);
    const push = await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], env);
    assert.equal(push.code, 0, show(push));
    const reader = await dctEnv();
    await docker(['tag', tb.image2, `${repo}:v2`], reader);
    await stockPull(`${repo}:v2`, reader);
  });
});

describe('publishing through a notary that reports a concurrent publish', () => {
  let proxy: Awaited<ReturnType<typeof lyingProxy>>;
  let lie: Lie = () => undefined;
  before(async () => {
    const ca = await readFile(join(tb.dir, 'ca', 'ca.crt'));
    const tls = { key: await readFile(join(tb.dir, 'notary', 'server.key')), cert: await readFile(join(tb.dir, 'notary', 'server.crt')), ca };
    proxy = await lyingProxy(new URL(tb.notary).host, (req) => lie(req), tls);
  });
  after(async () => {
    await proxy.close();
  });

  it('re-reads, rebuilds and publishes again after a VERSION conflict', async () => {
    const { env, repo } = await notaryRepo('pub-version');
    const config = await dockerConfig();
    await cp(env.DOCKER_CONFIG!, config, { recursive: true });
    await mkdir(join(config, 'tls', proxy.host), { recursive: true });
    await cp(join(tb.dir, 'ca', 'ca.crt'), join(config, 'tls', proxy.host, 'ca.crt'));
    const viaProxy = baseEnv(config, { ...env, DOCKER_CONFIG: config, DOCKER_CONTENT_TRUST_SERVER: `https://${proxy.host}` });
    let posts = 0;
    lie = (req) => {
      if (req.method !== 'POST' || posts++ > 0) return undefined;
      const body = Buffer.from(JSON.stringify({ errors: [{ code: 'VERSION', message: 'Version number is lower than current version', detail: null }] }));
      return { status: 400, headers: { 'Content-Type': 'application/json' }, body };
    };
    await docker(['tag', tb.image2, `${repo}:v2`], viaProxy);
    const push = await docker(['trustext', 'push', '--store', 'notary', `${repo}:v2`], viaProxy);
    lie = () => undefined;
    assert.equal(push.code, 0, show(push));
    assert.equal(posts, 2);
    assert.deepEqual(
      (await inspect(repo, env)).SignedTags.map((t) => t.SignedTag),
      ['v1', 'v2'],
    );
  });
});
