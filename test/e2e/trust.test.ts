/**
 * Issue acceptance: signed push and verified pull through the real docker CLI, every refusal with its own test,
 * all against the test bed's real dockerd and registry; the `.sig` objects are manipulated with a separate raw
 * client (raw-registry.ts), as an attacker with registry write access would.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DOCKER as DOCKER_CLI, docker, show, tempDir, testbed, uniqueRepo, trustEnv, imageId, signedPushRepo, escapeRegExp, refusedPull } from './harness.ts';
import { lyingProxy, type Lie } from './lying-proxy.ts';
import { OCI_MANIFEST, flipSignatureBit, getManifest, putBlob, putManifest, readSig, sigTag, writeSig } from './raw-registry.ts';

const tb = testbed();
describe('signed push, verified pull', () => {
  it('signs on push; after docker rmi, pull verifies and gives back the same image', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('signed');
    const { ref, digest, push } = await signedPushRepo(env, repo, 'v1');
    assert.match(push.stdout, /^Signing and pushing trust metadata$/m);
    assert.match(push.stdout, new RegExp(`^Successfully signed ${escapeRegExp(ref)} with key "default"`, 'm'));
    const id = await imageId(ref, env);
    assert.equal((await docker(['rmi', ref], env)).code, 0);
    const pull = await docker(['trustext', 'pull', ref], env);
    assert.equal(pull.code, 0, show(pull));
    const source = `${tb.registry}/${repo}@${digest}`;
    assert.match(pull.stdout, new RegExp(`^Pull \\(1 of 1\\): ${escapeRegExp(source)}$`, 'm'));
    assert.match(pull.stderr, new RegExp(`^Tagging ${escapeRegExp(source)} as ${escapeRegExp(ref)}$`, 'm'));
    assert.equal(await imageId(ref, env), id);
    const byDigest = await docker(['trustext', 'pull', '-q', source], env);
    assert.equal(byDigest.code, 0, show(byDigest));
  });

  it('refuses a tag pushed with plain docker push: exit 1, no image or tag left behind', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('plain');
    const ref = `${tb.registry}/${repo}:unsigned`;
    await docker(['tag', tb.image, ref], env);
    const plain = await docker(['push', ref], { ...env, DOCKER_CONTENT_TRUST: '0' });
    assert.equal(plain.code, 0, show(plain));
    const digest = (await getManifest(tb.registry, repo, 'unsigned')).digest;
    const r = await refusedPull(env, ref, new RegExp(`remote trust data does not exist for ${escapeRegExp(tb.registry)}/${repo}`));
    assert.match(r.stderr, /no signature for unsigned/);
    assert.equal(await imageId(`${tb.registry}/${repo}@${digest}`, env), undefined, 'nothing pulled');
  });

  it('--sign signs with content trust off; --disable-content-trust skips signing with it on', async () => {
    const env = await trustEnv({ DOCKER_CONTENT_TRUST: '0' });
    const repo = uniqueRepo('sign-flag');
    const ref = `${tb.registry}/${repo}:1`;
    await docker(['tag', tb.image, ref], env);
    const r = await docker(['trustext', 'push', '--sign', ref], env);
    assert.equal(r.code, 0, show(r));
    const digest = (await getManifest(tb.registry, repo, '1')).digest;
    assert.equal((await getManifest(tb.registry, repo, sigTag(digest))).status, 200);
    const ref2 = `${tb.registry}/${repo}:2`;
    await docker(['tag', tb.image2, ref2], env);
    const off = await docker(['trustext', 'push', '--disable-content-trust', ref2], { ...env, DOCKER_CONTENT_TRUST: '1' });
    assert.equal(off.code, 0, show(off));
    assert.equal((await getManifest(tb.registry, repo, sigTag((await getManifest(tb.registry, repo, '2')).digest))).status, 404);
  });

  it('keeps keys outside DOCKER_CONFIG: a throwaway config per CI job still verifies and signs with the same key', async () => {
    const keys = join(await tempDir(), 'keys');
    const job1 = await trustEnv({ TRUSTEXT_KEYS_DIR: keys });
    const repo = uniqueRepo('ci-jobs');
    const { ref } = await signedPushRepo(job1, repo, '1');
    const job2 = await trustEnv({ TRUSTEXT_KEYS_DIR: keys }); // a brand-new DOCKER_CONFIG
    assert.notEqual(job1.DOCKER_CONFIG, job2.DOCKER_CONFIG);
    await docker(['rmi', ref], job2);
    const pull = await docker(['trustext', 'pull', ref], job2);
    assert.equal(pull.code, 0, show(pull));
    const again = await signedPushRepo(job2, repo, '2', { image: tb.image2 });
    assert.doesNotMatch(again.push.stdout, /Generated signing key/, 'the existing key was used');
  });

  it('with no passphrase and no terminal, pushes nothing rather than something unsigned', async () => {
    const env = await trustEnv({ DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: '' });
    const repo = uniqueRepo('nopass');
    const ref = `${tb.registry}/${repo}:x`;
    await docker(['tag', tb.image, ref], env);
    const r = await docker(['trustext', 'push', ref], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /no passphrase for signing key "default": set DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE/);
    assert.equal((await getManifest(tb.registry, repo, 'x')).status, 404);
  });
});

describe('refusals', () => {
  it('a signature copied from another digest', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('copied');
    const a = await signedPushRepo(env, repo, 'a', { image: tb.image });
    const b = await signedPushRepo(env, repo, 'b', { image: tb.image2 });
    const sigB = await getManifest(tb.registry, repo, sigTag(b.digest));
    assert.equal(await putManifest(tb.registry, repo, sigTag(a.digest), sigB.bytes, OCI_MANIFEST), 201);
    await refusedPull(env, a.ref, new RegExp(`No valid trust data for a: .*it signs ${b.digest}, not ${a.digest}`));
  });

  it('a payload rewritten to name another digest', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('rewritten');
    const a = await signedPushRepo(env, repo, 'a', { image: tb.image });
    const b = await signedPushRepo(env, repo, 'b', { image: tb.image2 });
    const sig = await readSig(tb.registry, repo, b.digest);
    const forged = Buffer.from(sig.payloads[0]!.toString().replace(b.digest, a.digest));
    const layer = { ...sig.manifest.layers[0], digest: await putBlob(tb.registry, repo, forged), size: forged.length };
    assert.equal(await writeSig(tb.registry, repo, a.digest, { ...sig.manifest, layers: [layer] }, []), 201);
    await refusedPull(env, a.ref, /No valid trust data for a: .*it is not signed by a trusted key/);
  });

  it('a signature for the same digest in another repository', async () => {
    const env = await trustEnv();
    const signedRepo = uniqueRepo('elsewhere');
    const s = await signedPushRepo(env, signedRepo, 'v1');
    const victim = uniqueRepo('victim');
    const ref = `${tb.registry}/${victim}:v1`;
    await docker(['tag', tb.image, ref], env);
    assert.equal((await docker(['push', ref], { ...env, DOCKER_CONTENT_TRUST: '0' })).code, 0);
    const sig = await readSig(tb.registry, signedRepo, s.digest);
    assert.equal(await writeSig(tb.registry, victim, s.digest, sig.manifest, [sig.config, ...sig.payloads]), 201);
    // Make the key trusted for the victim repository too (a signed push there adds it), so that only the
    // repository named in the payload can refuse the copied signature.
    await signedPushRepo(env, victim, 'other', { image: tb.image2 });
    await refusedPull(env, ref, new RegExp(`it was signed for ${escapeRegExp(tb.registry)}/${signedRepo}, not ${escapeRegExp(tb.registry)}/${victim}`));
  });

  it('a bit-flipped signature', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('flipped');
    const a = await signedPushRepo(env, repo, 'a');
    assert.equal(await flipSignatureBit(tb.registry, repo, a.digest), 201);
    await refusedPull(env, a.ref, /No valid trust data for a: .*it is not signed by a trusted key/);
  });

  it('a signature by an untrusted key', async () => {
    const mallory = await trustEnv();
    const repo = uniqueRepo('untrusted');
    const a = await signedPushRepo(mallory, repo, 'a');
    const alice = await trustEnv(); // her own key store: mallory's key is not in it
    await docker(['tag', tb.image, `${tb.registry}/${repo}:alice`], alice);
    assert.equal((await docker(['trustext', 'push', `${tb.registry}/${repo}:alice`], alice)).code, 0); // alice's key is now trusted for the repo
    await refusedPull(alice, a.ref, /No valid trust data for a: .*it is not signed by a trusted key/);
  });

  it('a malformed signature manifest (not OCI; a simplesigning layer without its signature)', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('malformed');
    const a = await signedPushRepo(env, repo, 'a');
    const image = await getManifest(tb.registry, repo, 'a'); // a docker schema2 manifest where an OCI one belongs
    assert.equal(await putManifest(tb.registry, repo, sigTag(a.digest), image.bytes, image.contentType), 201);
    await refusedPull(
      env,
      a.ref,
      /No valid trust data for a: signature manifest has media type application\/vnd\.docker\.distribution\.manifest\.v2\+json, not application\/vnd\.oci/,
    );
    const sig = await readSig(tb.registry, repo, (await signedPushRepo(env, repo, 'b', { image: tb.image2 })).digest);
    delete sig.manifest.layers[0].annotations;
    assert.equal(await writeSig(tb.registry, repo, a.digest, sig.manifest, []), 201);
    await refusedPull(env, a.ref, /No valid trust data for a: signature layer 0 has no dev\.cosignproject\.cosign\/signature annotation/);
  });

  /** A proxy in front of the test bed registry that is honest until `lie` is set (after the signed pushes). */
  async function proxied() {
    let current: Lie = () => undefined;
    const proxy = await lyingProxy(tb.registry, (req) => current(req));
    return {
      ...proxy,
      lie: (l: Lie) => {
        current = l;
      },
    };
  }

  it('an oversized signature manifest (a lying proxy; distribution itself refuses manifests over 4 MiB)', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('oversized');
    const proxy = await proxied();
    try {
      const ref = `${proxy.host}/${repo}:a`;
      await docker(['tag', tb.image, ref], env);
      assert.equal((await docker(['trustext', 'push', ref], env)).code, 0);
      const huge = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [], annotations: { pad: 'x'.repeat(5 << 20) } }));
      proxy.lie((req) =>
        req.method === 'GET' && /\/manifests\/sha256-[0-9a-f]{64}\.sig$/.test(req.url ?? '')
          ? { status: 200, headers: { 'Content-Type': OCI_MANIFEST }, body: huge }
          : undefined,
      );
      await refusedPull(env, ref, /No valid trust data for a: .*(larger than|over|exceeds) /i);
    } finally {
      await proxy.close();
    }
  });

  it('a registry serving other manifest bytes than the tag or digest asked for (a lying proxy)', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('lying');
    const proxy = await proxied();
    try {
      for (const [tag, image] of [
        ['a', tb.image],
        ['b', tb.image2],
      ] as const) {
        await docker(['tag', image, `${proxy.host}/${repo}:${tag}`], env);
        const r = await docker(['trustext', 'push', `${proxy.host}/${repo}:${tag}`], env);
        assert.equal(r.code, 0, show(r));
      }
      const a = await getManifest(tb.registry, repo, 'a');
      const b = await getManifest(tb.registry, repo, 'b');
      // Asked for a (by tag or digest), serve b's bytes while claiming a's digest in the header.
      proxy.lie((req) =>
        req.method !== 'POST' && (req.url?.endsWith('/manifests/a') || req.url?.endsWith(`/manifests/${a.digest}`))
          ? { status: 200, headers: { 'Content-Type': b.contentType, 'Docker-Content-Digest': a.digest }, body: b.bytes }
          : undefined,
      );
      // By tag: the bytes hash to b's digest, whose signatures name tag b.
      await refusedPull(env, `${proxy.host}/${repo}:a`, /No valid trust data for a: .*it was signed for tag b, not a/);
      // By digest: the bytes do not hash to the digest asked for.
      const byDigest = await docker(['trustext', 'pull', `${proxy.host}/${repo}@${a.digest}`], env);
      assert.equal(byDigest.code, 1, show(byDigest));
      assert.match(byDigest.stderr, /digest/i);
      assert.equal(await imageId(`${proxy.host}/${repo}@${a.digest}`, env), undefined);
    } finally {
      await proxy.close();
    }
  });
});

describe('signing failures and prompts', () => {
  it('exits 1 saying the image is pushed but NOT signed when storing the signature fails', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('sigfail');
    const proxy = await lyingProxy(tb.registry, (req) =>
      req.method === 'PUT' && /\/manifests\/sha256-[0-9a-f]{64}\.sig$/.test(req.url ?? '')
        ? { status: 500, headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{"errors":[{"code":"UNKNOWN","message":"storage is on fire"}]}') }
        : undefined,
    );
    try {
      const ref = `${proxy.host}/${repo}:1`;
      await docker(['tag', tb.image, ref], env);
      const r = await docker(['trustext', 'push', ref], env);
      assert.equal(r.code, 1, show(r));
      assert.match(
        r.stderr,
        new RegExp(`^${escapeRegExp(proxy.host)}/${repo}:1 was pushed \\(sha256:[0-9a-f]{64}\\) but is NOT signed: .*storage is on fire`, 'm'),
      );
      assert.equal((await getManifest(tb.registry, repo, '1')).status, 200, 'the image itself is pushed');
    } finally {
      await proxy.close();
    }
  });

  it('asks for a new key’s passphrase twice on the terminal, without echo, when the variable is not set', async () => {
    const { spawn } = await import('node:child_process');
    const env = await trustEnv({ DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: '' });
    const ref = `${tb.registry}/${uniqueRepo('prompt')}:1`;
    await docker(['tag', tb.image, ref], env);
    const secret = 'typed-on-the-terminal-42';
    // script(1) gives the command a pseudo-terminal; we answer each prompt only once it is shown.
    const child = spawn('script', ['-qec', `stty cols 120 rows 40; ${DOCKER_CLI} trustext push ${ref}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const answered = new Set<string>();
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      for (const q of ['Enter passphrase for new signing key "default": ', 'Repeat passphrase for new signing key "default": ']) {
        if (out.includes(q) && !answered.has(q)) {
          answered.add(q);
          child.stdin.write(`${secret}\r`);
        }
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out);
    assert.equal(answered.size, 2, `asked twice:\n${out}`);
    assert.ok(!out.includes(secret), `the passphrase must not be echoed:\n${out}`);
    assert.match(out, /✔ Successfully signed/, 'the ora spinner ends in a success line on a sized terminal');
    // The key was really encrypted with what was typed: signing again with that passphrase in the variable works.
    const again = await docker(['trustext', 'sign', ref], { ...env, DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: secret });
    assert.equal(again.code, 0, show(again));
    const wrong = await docker(['trustext', 'sign', ref], { ...env, DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'not-the-passphrase' });
    assert.equal(wrong.code, 1, show(wrong));
    // A terminal nobody sized (0 columns) gets plain lines, not a spinner that never stops clearing lines.
    const unsized = spawn('script', ['-qec', `${DOCKER_CLI} trustext sign ${ref}`, '/dev/null'], {
      env: { ...env, DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: secret },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let plain = '';
    unsized.stdout.setEncoding('utf8').on('data', (d: string) => {
      plain += d;
    });
    const timer = setTimeout(() => unsized.kill('SIGKILL'), 30_000);
    const unsizedCode = await new Promise<number | null>((resolve) => unsized.on('close', resolve));
    clearTimeout(timer);
    assert.equal(unsizedCode, 0, plain.slice(0, 2000));
    assert.match(plain, /^Successfully signed /m);
    assert.ok(plain.length < 4096, `bounded output (${plain.length} bytes)`);
  });
});
