/**
 * Trust management on registry signatures, through the real docker CLI: verify (exit status and JSON), inspect
 * (docker trust inspect's JSON shape, --pretty), revoke (confirmation, -y, other signers kept).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { DOCKER, docker, show, testbed, uniqueRepo, trustEnv, signedPushRepo, escapeRegExp } from './harness.ts';
import { getManifest, readSig, sigTag } from './raw-registry.ts';

const tb = testbed();
/** Runs docker with `input` on stdin (for confirmation prompts). */
function withInput(args: string[], env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(DOCKER, args, { env });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => {
      stdout += d;
    });
    c.stderr.on('data', (d) => {
      stderr += d;
    });
    c.on('close', (code) => resolve({ code, stdout, stderr }));
    c.stdin.end(input);
  });
}

describe('verify', () => {
  it('exits 0 for a trusted image and lists every signature with its key, claims and reason in JSON', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('verify');
    const { ref, digest } = await signedPushRepo(env, repo, '1', { args: ['-q'] });
    const ok = await docker(['trustext', 'verify', ref], env);
    assert.equal(ok.code, 0, show(ok));
    assert.match(ok.stdout, new RegExp(`^Verified .*:1 image ${digest}: signed by default`, 'm'));
    const json = await docker(['trustext', 'verify', '--format', 'json', ref], env);
    assert.equal(json.code, 0, show(json));
    const report = JSON.parse(json.stdout);
    assert.equal(report.Digest, digest);
    assert.equal(report.Verified, true);
    const sig = report.Digests[0].Signatures[0];
    assert.equal(sig.Accepted, true);
    assert.equal(sig.Key.Name, 'default');
    assert.equal(typeof sig.Claims.timestamp, 'number');
    assert.equal(sig.SignedReference, ref);
  });

  it('exits 1 with the reasons in JSON when no signature is acceptable', async () => {
    const signer = await trustEnv();
    const repo = uniqueRepo('verify-bad');
    const { ref } = await signedPushRepo(signer, repo, '1', { args: ['-q'] });
    const stranger = await trustEnv();
    const r = await docker(['trustext', 'verify', '--format', 'json', ref], stranger);
    assert.equal(r.code, 1, show(r));
    const report = JSON.parse(r.stdout);
    assert.equal(report.Verified, false);
    assert.match(report.Digests[0].Signatures[0].Reason, /no key is trusted/);
    assert.match(r.stderr, /^No valid trust data for 1: /m);
  });
});

describe('inspect', () => {
  it('lists signed tags and signers in docker trust inspect’s JSON shape, and as tables with --pretty', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('inspect');
    const a = await signedPushRepo(env, repo, 'a', { image: tb.image, args: ['-q'] });
    const b = await signedPushRepo(env, repo, 'b', { image: tb.image2, args: ['-q'] });
    await docker(['tag', tb.image, `${tb.registry}/${repo}:unsigned`], env);
    await docker(['push', `${tb.registry}/${repo}:unsigned`], { ...env, DOCKER_CONTENT_TRUST: '0' });
    const r = await docker(['trustext', 'inspect', `${tb.registry}/${repo}`], env);
    assert.equal(r.code, 0, show(r));
    const [repoInfo] = JSON.parse(r.stdout);
    assert.equal(repoInfo.Name, `${tb.registry}/${repo}`);
    assert.deepEqual(repoInfo.SignedTags, [
      { SignedTag: 'a', Digest: a.digest.slice(7), Signers: ['default'] },
      { SignedTag: 'b', Digest: b.digest.slice(7), Signers: ['default'] },
    ]);
    assert.equal(repoInfo.Signers[0].Name, 'default');
    assert.deepEqual(repoInfo.AdministrativeKeys, []);
    const pretty = await docker(['trustext', 'inspect', '--pretty', `${tb.registry}/${repo}:a`], env);
    assert.equal(pretty.code, 0, show(pretty));
    assert.match(pretty.stdout, /^SIGNED TAG\s+DIGEST\s+SIGNERS$/m);
    assert.match(pretty.stdout, new RegExp(`^a\\s+${a.digest.slice(7)}\\s+default$`, 'm'));
    assert.doesNotMatch(pretty.stdout, /^b\s/m);
  });
});

describe('revoke', () => {
  it('asks first; "n" changes nothing; -y removes our signature and a trusted pull is then refused', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('revoke');
    const { ref, digest } = await signedPushRepo(env, repo, '1', { args: ['-q'] });
    const no = await withInput(['trustext', 'revoke', ref], env, 'n\n');
    assert.equal(no.code, 0);
    assert.match(no.stdout, /Please confirm you would like to delete all signature data for .*\? \[y\/N\] \nAborting action\./);
    assert.equal((await getManifest(tb.registry, repo, sigTag(digest))).status, 200);
    const yes = await docker(['trustext', 'revoke', '-y', ref], env);
    assert.equal(yes.code, 0, show(yes));
    assert.match(yes.stdout, new RegExp(`^Successfully deleted signature for ${escapeRegExp(ref)}$`, 'm'));
    await docker(['rmi', ref], env);
    const pull = await docker(['trustext', 'pull', ref], env);
    assert.equal(pull.code, 1, show(pull));
    assert.match(pull.stderr, /remote trust data does not exist/);
  });

  it('keeps other signers’ signatures and only removes ours for that tag', async () => {
    const alice = await trustEnv();
    const bob = await trustEnv();
    const repo = uniqueRepo('revoke-shared');
    const { ref, digest } = await signedPushRepo(alice, repo, '1', { args: ['-q'] });
    assert.equal((await docker(['trustext', 'sign', '-q', ref], bob)).code, 0);
    assert.equal((await readSig(tb.registry, repo, digest)).manifest.layers.length, 2);
    const r = await docker(['trustext', 'revoke', '-y', ref], alice);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /removed 1, kept 1 by other signers/);
    assert.equal((await readSig(tb.registry, repo, digest)).manifest.layers.length, 1);
    assert.equal((await docker(['trustext', 'verify', ref], bob)).code, 0, 'bob’s signature still verifies for bob');
    assert.equal((await docker(['trustext', 'verify', ref], alice)).code, 1, 'alice no longer trusts anything there');
  });

  it('without a tag revokes every signed tag of the repository, as docker trust revoke REPO does', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('revoke-all');
    const one = await signedPushRepo(env, repo, '1', { args: ['-q'] });
    const two = await signedPushRepo(env, repo, '2', { image: tb.image2, args: ['-q'] });
    const r = await docker(['trustext', 'revoke', '-y', `${tb.registry}/${repo}`], env);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, new RegExp(`^Successfully deleted signature for ${escapeRegExp(tb.registry)}/${repo}$`, 'm'));
    for (const x of [one, two]) {
      assert.equal((await getManifest(tb.registry, repo, sigTag(x.digest))).status, 404);
      assert.equal((await docker(['trustext', 'verify', x.ref], env)).code, 1);
    }
  });
});
