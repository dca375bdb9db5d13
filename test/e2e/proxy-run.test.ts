/**
 * Plain `docker run`, `create` and `start` (the REAL docker CLI 28, no plugin) through the enforcing proxy in front
 * of the test bed's REAL dockerd: a signed image that is not local is pulled through the CLI's own "Unable to find
 * image" path and run, pinned to its verified digest; an unsigned one is refused and no container exists after; a
 * local tag over other content is replaced by the verified pull; a container created before enforcement from an
 * unsigned image cannot be started; local images need the policy's engine.localImages; and requests shaped to read
 * one way to us and another to dockerd are refused before anything is created.
 */
import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_BODY_BYTES } from '../../src/proxy/index.ts';
import { baseEnv, DOCKER, docker, dockerConfig, escapeRegExp, ok, run, show, signedPushRepo, tempDir, testbed, trustEnv, uniqueRepo } from './harness.ts';
import { rawRequest, startTestProxy, type TestProxy } from './proxy-kit.ts';

const tb = testbed();
let p: TestProxy;
let signer: Record<string, string>;
let direct: Record<string, string>;
let signed: { ref: string; digest: string; repo: string };
let unsigned: string;
const names: string[] = [];
const name = (what: string) => {
  const n = `trustext-run-${what}-${process.pid}`;
  names.push(n);
  return n;
};
const LABEL = `trustext-proxy-run-${process.pid}`;
const imageOf = async (ref: string) => (await docker(['image', 'inspect', '--format', '{{.Id}}', ref], direct)).stdout.trim();
const exists = async (container: string) => (await docker(['container', 'inspect', container], direct)).code === 0;

before(async () => {
  signer = await trustEnv();
  const repo = uniqueRepo('proxy-run');
  const pushed = await signedPushRepo(signer, repo, 'v1');
  signed = { ...pushed, repo: `${tb.registry}/${repo}` };
  direct = baseEnv(await dockerConfig({ plugin: false }));
  unsigned = `${tb.registry}/${uniqueRepo('proxy-run-unsigned')}:v1`;
  await ok(['tag', tb.image2, unsigned], direct);
  await ok(['push', unsigned], direct);
  p = await startTestProxy(signer);
});

after(async () => {
  if (names.length) await docker(['rm', '-f', ...names], direct);
  await p?.proxy.close(1_000);
});

describe('docker run through the enforcing proxy', { timeout: 240_000 }, () => {
  it('runs a signed image that is not local: the CLI’s own pull goes through the proxy, verified', async () => {
    await docker(['rmi', signed.ref], direct);
    const r = await ok(['run', '--rm', signed.ref, '/bin/busybox', 'true'], p.client);
    assert.match(r.stderr, /Unable to find image/, show(r));
    assert.match(r.stdout + r.stderr, new RegExp(`Tagged ${escapeRegExp(signed.repo)}:v1 \\(verified ${signed.digest}\\)`), show(r));
  });

  it('runs it again from the verdict cache, pinned to its verified digest', async () => {
    const c = name('pinned');
    await ok(['run', '-d', '--name', c, signed.ref, '/bin/busybox', 'sleep', '60'], p.client);
    const pinned = await ok(['container', 'inspect', '--format', '{{.Config.Image}}', c], direct);
    assert.equal(pinned.stdout.trim(), `${signed.repo}@${signed.digest}`);
    assert.ok(
      p.log.some((l) => l.startsWith('allowed create') && l.includes('(remembered)')),
      p.log.join('\n'),
    );
  });

  it('docker run -i with stdin piped works through the enforcing proxy', async () => {
    const r = await run('bash', ['-c', `echo hi | "$DOCKER" run -i --rm ${signed.ref} /bin/busybox cat`], { env: { ...p.client, DOCKER } });
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, 'hi\n');
  });

  it('refuses an unsigned image with our reason, and no container exists after', async () => {
    const c = name('unsigned');
    const r = await docker(['run', '--name', c, unsigned, '/bin/busybox', 'true'], p.client);
    assert.equal(r.code, 125, show(r));
    assert.match(r.stderr, /Error response from daemon: remote trust data does not exist for .*: no signature for v1/, show(r));
    assert.equal(await exists(c), false);
  });

  it('replaces a local tag over other content with the verified pull (a 404 the CLI answers with a pull)', async () => {
    const verifiedId = await imageOf(signed.ref);
    await ok(['tag', tb.image2, signed.ref], direct);
    assert.notEqual(await imageOf(signed.ref), verifiedId);
    const r = await ok(['run', '--rm', signed.ref, '/bin/busybox', 'true'], p.client);
    assert.match(r.stderr, /Unable to find image/, show(r));
    assert.equal(await imageOf(signed.ref), verifiedId, 'the tag is the verified image again');
  });

  it('cannot start a container created before enforcement from an unsigned image', async () => {
    const c = name('before');
    await ok(['create', '--name', c, unsigned, '/bin/busybox', 'true'], direct);
    const r = await docker(['start', c], p.client);
    assert.equal(r.code, 1, show(r));
    assert.match(
      r.stderr,
      new RegExp(`Error response from daemon: container ${c} runs ${escapeRegExp(unsigned)}, which is not trusted: remote trust data`),
      show(r),
    );
    const state = await ok(['container', 'inspect', '--format', '{{.State.Status}}', c], direct);
    assert.equal(state.stdout.trim(), 'created');
  });

  it('refuses a local image (committed here) unless the policy allows local images', async () => {
    const source = name('commit-source');
    await ok(['create', '--name', source, tb.image, '/bin/busybox', 'true'], direct);
    const local = `trustext-local/app-${process.pid}:1`;
    await ok(['commit', '--change', `LABEL ${LABEL}=commit`, source, local], direct);
    const c = name('local');
    const r = await docker(['run', '--name', c, local, '/bin/busybox', 'true'], p.client);
    assert.equal(r.code, 125, show(r));
    assert.match(r.stderr, /is a local image .* "engine": \{"localImages": "allow"\}/, show(r));
    assert.equal(await exists(c), false);
    const policy = join(signer.TRUSTEXT_KEYS_DIR!, 'policy.json');
    await writeFile(policy, JSON.stringify({ version: 2, engine: { localImages: 'allow' } }));
    try {
      await ok(['run', '--rm', local, '/bin/busybox', 'true'], p.client);
    } finally {
      await rm(policy);
      await docker(['rmi', local], direct);
    }
  });
});

describe('an engine behind mutual TLS, as docker resolves it (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)', { timeout: 120_000 }, () => {
  it('verifies pulls, carries a hijacked run -i, and relays save byte for byte over TLS', async () => {
    const tls = await startTestProxy({ ...signer, DOCKER_HOST: tb.tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tb.tlsCertPath }, 'enforce', {
      resolved: true,
    });
    try {
      assert.equal(tls.proxy.upstream, tb.tlsHost);
      await docker(['rmi', signed.ref], direct);
      const pulled = await ok(['pull', signed.ref], tls.client);
      assert.match(pulled.stdout, /Tagged .* \(verified sha256:/, show(pulled));
      const refused = await docker(['pull', unsigned], tls.client);
      assert.equal(refused.code, 1, show(refused));
      const r = await run('bash', ['-c', `echo hi | "$DOCKER" run -i --rm ${signed.ref} /bin/busybox cat`], { env: { ...tls.client, DOCKER } });
      assert.equal(r.stdout, 'hi\n', show(r));
      const through = await run('bash', ['-c', `"$DOCKER" save ${signed.ref} | sha256sum`], { env: { ...tls.client, DOCKER } });
      const straight = await run('bash', ['-c', `"$DOCKER" save ${signed.ref} | sha256sum`], { env: { ...direct, DOCKER } });
      assert.equal(through.stdout, straight.stdout);
    } finally {
      await tls.proxy.close(1_000);
    }
  });
});

describe('builds through the enforcing proxy', { timeout: 120_000 }, () => {
  it('builds by default (the image built is still gated where it runs), and refuses builds with engine.builds: refuse', async () => {
    const context = await tempDir('trustext-build-');
    await writeFile(join(context, 'Dockerfile'), `FROM ${tb.image}\nLABEL ${LABEL}=build\n`);
    const built = `trustext-built/app-${process.pid}:1`;
    const build = (env: Record<string, string>) => docker(['build', '-q', '-t', built, context], { ...env, DOCKER_BUILDKIT: '0' });
    const policy = join(signer.TRUSTEXT_KEYS_DIR!, 'policy.json');
    try {
      const ok1 = await build(p.client);
      assert.equal(ok1.code, 0, show(ok1));
      const run1 = await docker(['run', '--rm', built, '/bin/busybox', 'true'], p.client);
      assert.equal(run1.code, 125, show(run1));
      assert.match(run1.stderr, /is a local image/);
      await writeFile(policy, JSON.stringify({ version: 2, engine: { builds: 'refuse' } }));
      const refused = await build(p.client);
      assert.equal(refused.code, 1, show(refused));
      assert.match(refused.stderr, /Error response from daemon: builds are refused by the trust policy/, show(refused));
    } finally {
      await rm(policy, { force: true });
      await docker(['rmi', built], direct);
    }
  });
});

describe('requests shaped to read differently to dockerd are refused before anything is created', { timeout: 60_000 }, () => {
  const create = (fields: string) => `{"Cmd":["/bin/busybox","true"],"Labels":{"${LABEL}":"bypass"},${fields}}`;
  const cases: [string, string, string | Uint8Array, number, RegExp, Record<string, string>?][] = [
    ['a case-variant Image key', '/v1.41/containers/create', create(`"image":"${'UNSIGNED'}"`), 400, /spells Image as "image"/],
    ['Image twice by case (Go keeps the last)', '/v1.41/containers/create', create(`"Image":"SIGNED","IMAGE":"UNSIGNED"`), 400, /sets Image more than once/],
    ['Image twice exactly', '/v1.41/containers/create', create(`"Image":"SIGNED","Image":"UNSIGNED"`), 400, /duplicate/],
    ['a percent-encoded path', '/v1.41/containers/%63reate', create(`"Image":"UNSIGNED"`), 403, /remote trust data does not exist/],
    ['an unversioned path', '/containers/create', create(`"Image":"UNSIGNED"`), 403, /remote trust data does not exist/],
    [
      'a chunked body',
      '/v1.41/containers/create',
      create(`"Image":"UNSIGNED"`),
      403,
      /remote trust data/,
      { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    ],
    ['a body over 4 MiB', '/v1.41/containers/create', new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20), 413, /over 4 MiB/],
    [
      'a form body overriding the query of an image pull',
      '/v1.41/images/create?fromImage=SIGNED_REPO&tag=v1',
      'fromImage=UNSIGNED',
      400,
      /form/,
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    ],
  ];
  for (const [what, path, body, status, message, headers] of cases) {
    it(`refuses ${what} (${status})`, async () => {
      const fill = (s: string) =>
        s.replaceAll('SIGNED_REPO', encodeURIComponent(signed.repo)).replaceAll('UNSIGNED', unsigned).replaceAll('SIGNED', signed.ref);
      const r = await rawRequest(p.socket, 'POST', fill(path), typeof body === 'string' ? fill(body) : body, headers);
      assert.equal(r.status, status, r.body);
      assert.match(JSON.parse(r.body).message, message);
    });
  }

  it('left no container behind', async () => {
    const r = await ok(['ps', '-a', '-q', '--filter', `label=${LABEL}=bypass`], direct);
    assert.equal(r.stdout.trim(), '');
  });
});
