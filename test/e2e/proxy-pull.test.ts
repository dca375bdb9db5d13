/**
 * Plain `docker pull` (the REAL docker CLI 28, no plugin, no DOCKER_CONTENT_TRUST) through the Engine API proxy in
 * front of the test bed's REAL dockerd, with the trust decisions of `docker trustext pull`: a signed tag is pulled by
 * its verified digest and then tagged; an unsigned tag is refused before anything is pulled, with our pull's reason
 * after docker's "Error response from daemon: ", as is a tag whose signature was bit-flipped in the registry; a pull
 * by digest is verified; `pull -a` is refused.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSession, proxyGate } from '../../src/app/index.ts';
import { parseDockerHost } from '../../src/engine/index.ts';
import { type RunningProxy, startProxy, upstreamFor } from '../../src/proxy/index.ts';
import { environmentFrom } from '../kit/index.ts';
import { flipSignatureBit } from './raw-registry.ts';
import {
  baseEnv,
  docker,
  dockerConfig,
  escapeRegExp,
  imageId,
  indexRepo,
  ok,
  show,
  signedPushRepo,
  tempDir,
  testbed,
  trustEnv,
  uniqueRepo,
} from './harness.ts';

const tb = testbed();
let proxy: RunningProxy;
let client: Record<string, string>;
let direct: Record<string, string>;
let signed: { ref: string; digest: string; repo: string };
let unsigned: string;
let flipped: string;
const log: string[] = [];

let signerEnv: Record<string, string>;

before(async () => {
  const signer = await trustEnv();
  signerEnv = signer;
  const repo = uniqueRepo('proxy-pull');
  const pushed = await signedPushRepo(signer, repo, 'v1');
  signed = { ref: pushed.ref, digest: pushed.digest, repo: `${tb.registry}/${repo}` };
  direct = baseEnv(await dockerConfig({ plugin: false }));
  unsigned = `${tb.registry}/${uniqueRepo('proxy-unsigned')}:v1`;
  await ok(['tag', tb.image, unsigned], direct);
  await ok(['push', unsigned], direct);
  // Signed by the same key, then its signature bit-flipped in the registry (trust.test.ts's refusal case).
  const tampered = await signedPushRepo(signer, repo, 'flipped', { image: tb.image2 });
  assert.equal(await flipSignatureBit(tb.registry, repo, tampered.digest), 201);
  flipped = tampered.ref;
  await docker(['rmi', signed.ref, unsigned, flipped], direct);

  // The proxy's session: the signer's key store and policy, the test bed's engine.
  const session = await openSession({ hosts: [] }, environmentFrom(signer));
  const socketPath = join(await tempDir('trustext-proxy-'), 'proxy.sock');
  proxy = await startProxy({
    socketPath,
    upstream: upstreamFor({ contextName: 'default', host: parseDockerHost(false, tb.dockerHost) }),
    gate: proxyGate(session, { mode: 'enforce' }),
    log: (line) => log.push(line),
  });
  client = baseEnv(await dockerConfig({ plugin: false }), { DOCKER_HOST: `unix://${socketPath}` });
});

after(async () => {
  await proxy?.close(1_000);
});

describe('docker pull through the enforcing proxy', { timeout: 180_000 }, () => {
  it('pulls a signed tag by its verified digest, then tags it', async () => {
    const r = await ok(['pull', signed.ref], client);
    assert.match(r.stdout, new RegExp(`Tagged ${escapeRegExp(signed.repo)}:v1 \\(verified ${signed.digest}\\)`), show(r));
    const digests = await ok(['image', 'inspect', '--format', '{{json .RepoDigests}}', signed.ref], direct);
    // The image is the test bed's (other runs' repositories may name it too): the verified digest is among its names.
    assert.ok((JSON.parse(digests.stdout) as string[]).includes(`${signed.repo}@${signed.digest}`), digests.stdout);
  });

  it('refuses an unsigned tag with our reason after docker’s prefix, and pulls nothing', async () => {
    const r = await docker(['pull', unsigned], client);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr.trim(), /^Error response from daemon: remote trust data does not exist for .*: no signature for /, show(r));
    assert.equal(await imageId(unsigned, direct), undefined, 'nothing pulled or tagged');
    assert.ok(log.some((l) => l.includes('refused POST') && l.includes('remote trust data does not exist')));
  });

  it('refuses a tag whose signature was tampered with, and pulls nothing', async () => {
    const r = await docker(['pull', flipped], client);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr.trim(), /^Error response from daemon: No valid trust data for flipped: .*it is not signed by a trusted key/, show(r));
    assert.equal(await imageId(flipped, direct), undefined, 'nothing pulled or tagged');
  });

  it('verifies a pull by digest', async () => {
    await docker(['rmi', signed.ref, `${signed.repo}@${signed.digest}`], direct);
    const r = await ok(['pull', `${signed.repo}@${signed.digest}`], client);
    assert.match(r.stdout, new RegExp(`Verified ${escapeRegExp(signed.repo)}@${signed.digest}`), show(r));
  });

  it('refuses pull -a (every tag) while trust is enforced', async () => {
    const r = await docker(['pull', '-a', signed.repo], client);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /pulling every tag of .* is refused while content trust is enforced/, show(r));
  });

  it('verifies a tag again once it moves (a remembered tag stands only while it resolves to the same digest)', async () => {
    const moving = `${signed.repo}:moving`;
    await ok(['tag', tb.image, moving], signerEnv);
    await ok(['trustext', 'push', moving], signerEnv);
    await docker(['rmi', moving], direct);
    await ok(['pull', moving], client);
    await ok(['pull', moving], client); // remembered: one manifest request
    // The tag now points at other content, not validly signed (a plain push over it; its one signature is the
    // bit-flipped one of the tampered tag).
    await ok(['tag', tb.image2, moving], direct);
    await ok(['push', moving], direct);
    await docker(['rmi', moving], direct);
    const r = await docker(['pull', moving], client);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^Error response from daemon: No valid trust data for moving: .*not signed by a trusted key/, show(r));
    assert.equal(await imageId(moving, direct), undefined, 'nothing pulled or tagged');
  });

  it('pulls a signed index by its own digest, so a run or compose file that names the index digest finds it', async () => {
    const m = await indexRepo(signerEnv);
    await ok(['trustext', 'sign', m.ref], signerEnv);
    await docker(['rmi', m.ref, `${tb.registry}/${m.repo}:amd`, `${tb.registry}/${m.repo}:arm`], direct);
    const r = await ok(['pull', m.ref], client);
    assert.match(r.stdout, new RegExp(`Tagged ${escapeRegExp(m.ref)} \\(verified ${m.index}\\)`), show(r));
    for (const image of [m.ref, `${tb.registry}/${m.repo}@${m.index}`]) await ok(['run', '--rm', image, '/bin/busybox', 'true'], client);
  });

  it('refuses a tag rolled back to a digest it was remembered at, once a newer signed one was seen', async () => {
    const repo = uniqueRepo('proxy-rollback');
    // A second signer on another host (its own key store), whose key this user trusts: its signatures change
    // nothing in this user's key store, so what the proxy remembers stays.
    const other = await trustEnv();
    await signedPushRepo(other, repo, 'seed');
    const pem = join(await tempDir(), 'other.pub');
    await writeFile(pem, (await ok(['trustext', 'key', 'export', '--public', 'default'], other)).stdout);
    await ok(['trustext', 'key', 'import', '--public', pem, '--name', `other-${process.pid}`], signerEnv);
    const older = await signedPushRepo(signerEnv, repo, 'r');
    await ok(['trustext', 'pull', older.ref], signerEnv); // every directory the key store will use now exists
    await docker(['rmi', older.ref], direct);
    await ok(['pull', older.ref], client); // the proxy remembers r -> the older digest
    // The other signer moves r on to a newer image; this user's trustext sees it (the tag history the proxy shares).
    await signedPushRepo(other, repo, 'r', { image: tb.image2 });
    await ok(['trustext', 'pull', older.ref], signerEnv);
    // Someone points the tag back at the older, still validly signed digest.
    await ok(['tag', tb.image, older.ref], direct);
    await ok(['push', older.ref], direct);
    await docker(['rmi', older.ref], direct);
    const r = await docker(['pull', older.ref], client);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^Error response from daemon: .*tag rolled back/, show(r));
  });
});
