/**
 * Multi-arch: signing an index signs the index and every platform manifest (as cosign sign --recursive and
 * skopeo copy --all do); a trusted pull verifies the index and the manifest of the platform it pulls, pulls that
 * manifest by digest and tags it. The index is assembled in the real registry from two pushed images.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docker, escapeRegExp, indexRepo, show, testbed, trustEnv } from './harness.ts';
import { deleteManifest, getManifest, sigTag } from './raw-registry.ts';

const tb = testbed();
describe('multi-arch', () => {
  it('signs the index and every platform manifest; pull verifies both and pulls the platform manifest', async () => {
    const env = await trustEnv();
    const m = await indexRepo(env);
    const sign = await docker(['trustext', 'sign', m.ref], env);
    assert.equal(sign.code, 0, show(sign));
    assert.match(sign.stdout, new RegExp(`index: ${m.index}`));
    assert.match(sign.stdout, new RegExp(`platform: ${m.amd}`));
    assert.match(sign.stdout, new RegExp(`platform: ${m.arm}`));
    for (const d of [m.index, m.amd, m.arm]) assert.equal((await getManifest(tb.registry, m.repo, sigTag(d))).status, 200, `signature for ${d}`);

    const amdId = (await docker(['image', 'inspect', '--format', '{{.Id}}', tb.image], env)).stdout.trim();
    await docker(['rmi', m.ref], env);
    const pull = await docker(['trustext', 'pull', '--platform', 'linux/amd64', m.ref], env);
    assert.equal(pull.code, 0, show(pull));
    assert.match(pull.stdout, new RegExp(`^Pull \\(1 of 1\\): .*@${m.amd}$`, 'm'));
    assert.match(pull.stderr, new RegExp(`^Tagging .*@${m.amd} as ${escapeRegExp(m.ref)}$`, 'm'));
    assert.equal((await docker(['image', 'inspect', '--format', '{{.Id}}', m.ref], env)).stdout.trim(), amdId);
  });

  it('refuses when only the index is signed, not the platform manifest it would pull', async () => {
    const env = await trustEnv();
    const m = await indexRepo(env);
    assert.equal((await docker(['trustext', 'sign', m.ref], env)).code, 0);
    const childSig = await getManifest(tb.registry, m.repo, sigTag(m.amd));
    assert.equal(await deleteManifest(tb.registry, m.repo, childSig.digest), 202);
    const r = await docker(['trustext', 'pull', '--platform', 'linux/amd64', m.ref], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, new RegExp(`remote trust data does not exist for .*no signature for multi \\(${m.amd}\\)`));
    assert.equal((await docker(['image', 'inspect', m.ref], env)).code, 1, 'nothing tagged');
  });
});
