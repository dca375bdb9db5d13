/**
 * Issue #9 acceptance for the trust policy, through the real docker CLI, dockerd and registry: rules combine (a
 * narrower rule made by signer add no longer weakens a broader policy set rule; an explicit override does, and
 * validate says so), an explicit TRUSTEXT_POLICY file must exist, off and warn let through images without a
 * `.sig`, with an unusable one, or with untrusted signatures — naming the rule — and a refusal over many
 * signatures stays one short line, with every reason under --debug.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dctEnv, docker, show, tempDir, testbed, uniqueRepo, ok, trustEnv, escapeRegExp, assertRefused } from './harness.ts';
import { getManifest, putManifest, readSig, sigTag, writeSig } from './raw-registry.ts';

const tb = testbed();
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l !== '');

/** Pushes tb.image as `ref` without signing it. */
async function plainPush(ref: string, env: Record<string, string>) {
  await docker(['tag', tb.image, ref], env);
  await ok(['push', ref], { ...env, DOCKER_CONTENT_TRUST: '0' });
}

describe('rules combine (issue #9 item 4)', () => {
  it('a narrower signer add rule no longer weakens a broader policy set rule; an explicit override does, and validate says so', async () => {
    const platform = await trustEnv();
    const who = { alice: await trustEnv(), bob: await trustEnv(), carol: await trustEnv() };
    const dir = await tempDir();
    const base = `${tb.registry}/${uniqueRepo('combine')}`;
    for (const [name, env] of Object.entries(who)) await ok(['trustext', 'key', 'generate', name, '--dir', dir], env);
    await ok(['trustext', 'signer', 'add', '--key', join(dir, 'alice.pub'), 'alice', `${base}/prod/api`], platform);
    await ok(['trustext', 'signer', 'add', '--key', join(dir, 'bob.pub'), 'bob', `${base}/prod/api`], platform);
    await ok(['trustext', 'signer', 'add', '--key', join(dir, 'carol.pub'), 'carol', `${base}/prod/db`], platform);
    await ok(['trustext', 'policy', 'set', `${base}/prod/*`, '--threshold', '2', '--signer', 'alice', '--signer', 'bob'], platform);

    const api = `${base}/prod/api:1`;
    await docker(['tag', tb.image, api], who.alice);
    await ok(['trustext', 'push', '--key', 'alice', api], who.alice);
    assertRefused(
      await docker(['trustext', 'pull', api], platform),
      new RegExp(
        `^No valid trust data for 1: sha256:[0-9a-f]{64}: policy rule ${escapeRegExp(base)}/prod/\\* not met: 1 of 2 required signatures \\(by alice\\); missing: bob$`,
        'm',
      ),
    );
    const db = `${base}/prod/db:1`;
    await docker(['tag', tb.image2, db], who.carol);
    await ok(['trustext', 'push', '--key', 'carol', db], who.carol);
    assertRefused(
      await docker(['trustext', 'pull', db], platform),
      new RegExp(
        `policy rule ${escapeRegExp(base)}/prod/\\* not met: 0 of 2 required signatures; missing: alice, bob; 1 not counted: key carol \\([0-9a-f]{12}\\) belongs to none of the signers alice, bob`,
      ),
    );

    await ok(['trustext', 'sign', '--key', 'bob', api], who.bob);
    await ok(['trustext', 'pull', api], platform);
    const json = JSON.parse((await ok(['trustext', 'verify', '--format', 'json', api], platform)).stdout);
    assert.deepEqual(
      json.Digests[0].Policy.Rules.map((r: { Rule: string; Satisfied: boolean }) => [r.Rule, r.Satisfied]),
      [
        [`${base}/prod/api`, true],
        [`${base}/prod/*`, true],
      ],
    );

    const set = await ok(['trustext', 'policy', 'set', `${base}/prod/db`, '--signer', 'carol', '--override'], platform);
    assert.match(
      set.stderr,
      new RegExp(
        `^rule ${escapeRegExp(base)}/prod/db overrides ${escapeRegExp(base)}/prod/\\* \\(weaker: threshold 1 < 2; signers carol not among alice, bob\\)$`,
        'm',
      ),
    );
    await ok(['trustext', 'pull', db], platform);

    const validate = await ok(['trustext', 'policy', 'validate'], platform);
    assert.deepEqual(lines(validate.stderr), [
      `warning: rule ${base}/prod/db (rules[1]) overrides ${base}/prod/* (rules[2]) and is weaker: threshold 1 < 2; signers carol not among alice, bob`,
    ]);
    assert.match(validate.stdout, /: valid \(3 rule\(s\), 3 signer\(s\)\)$/m);
    const asJson = JSON.parse((await ok(['trustext', 'policy', 'validate', '--format', 'json'], platform)).stdout);
    assert.deepEqual(
      asJson.Warnings.map((w: { Kind: string; Rule: string; Other: string }) => [w.Kind, w.Rule, w.Other]),
      [['weakens', `${base}/prod/db`, `${base}/prod/*`]],
    );
    const file = JSON.parse(await readFile(join(platform.TRUSTEXT_KEYS_DIR!, 'policy.json'), 'utf8'));
    assert.equal(file.version, 2);
    assert.deepEqual(
      file.rules.map((r: { override?: boolean }) => r.override ?? false),
      [false, true, false],
      'signer add never writes override',
    );
    // Setting the broader rule again points out the narrower rule that now weakens it.
    const again = await ok(['trustext', 'policy', 'set', `${base}/prod/*`, '--threshold', '2', '--signer', 'alice', '--signer', 'bob'], platform);
    assert.match(
      again.stderr,
      new RegExp(
        `^warning: rule ${escapeRegExp(base)}/prod/db \\(rules\\[1\\]\\) overrides ${escapeRegExp(base)}/prod/\\* \\(rules\\[2\\]\\) and is weaker: `,
        'm',
      ),
    );
    const showed = await ok(['trustext', 'policy', 'show'], platform);
    assert.match(showed.stderr, /^warning: rule .*prod\/db .* is weaker/m);
  });
});

describe('an explicit policy file must exist (issue #9 item 5)', () => {
  it('TRUSTEXT_POLICY naming a missing file: pull, verify and policy show refuse in one line naming the variable', async () => {
    const env = await trustEnv();
    const ref = `${tb.registry}/${uniqueRepo('missing-policy')}:1`;
    await docker(['tag', tb.image, ref], env);
    await ok(['trustext', 'push', ref], env);
    const missing = join(await tempDir(), 'missing.json');
    const named = { ...env, TRUSTEXT_POLICY: missing };
    const why = new RegExp(
      `^policy file ${escapeRegExp(missing)} \\(TRUSTEXT_POLICY\\) does not exist: create it with docker trustext policy set, or unset TRUSTEXT_POLICY to use the default policy$`,
    );
    for (const args of [
      ['trustext', 'pull', ref],
      ['trustext', 'verify', ref],
      ['trustext', 'policy', 'show'],
      ['trustext', 'policy', 'validate'],
    ]) {
      assertRefused(await docker(args, named), why);
    }
    await ok(['trustext', 'verify', ref], env); // the default file may be absent: the empty policy
    await ok(['trustext', 'policy', 'set', `${tb.registry}/**`], named); // policy set creates the named file
    await ok(['trustext', 'verify', ref], named);
  });
});

describe('off and warn let through what they do not check (issue #9 item 12)', () => {
  it('no .sig, an unusable .sig, untrusted signatures: allowed under off and warn naming the rule, refused under enforce', async () => {
    const env = await trustEnv();
    const mallory = await trustEnv();
    const base = `${tb.registry}/${uniqueRepo('modes')}`;
    await ok(['trustext', 'policy', 'set', `${base}/**`], env);
    const off = await ok(['trustext', 'policy', 'set', `${base}/legacy/*`, '--mode', 'off'], env);
    assert.match(
      off.stderr,
      new RegExp(`^rule ${escapeRegExp(base)}/legacy/\\* overrides ${escapeRegExp(base)}/\\*\\* \\(weaker: mode off < enforce\\)$`, 'm'),
    );
    await ok(['trustext', 'policy', 'set', `${base}/soft/*`, '--mode', 'warn'], env);
    // One repository per case: signatures belong to a digest within a repository, and the cases share an image.
    const at = (dir: string, kind: string) => `${base}/${dir}/${kind}:1`;
    for (const dir of ['legacy', 'soft', 'strict']) {
      await plainPush(at(dir, 'nosig'), env);
      const bad = at(dir, 'badsig');
      await plainPush(bad, env);
      const path = bad.slice(tb.registry.length + 1, -2);
      const image = await getManifest(tb.registry, path, '1');
      // A docker manifest where the OCI signature manifest belongs: an unusable .sig.
      assert.equal(await putManifest(tb.registry, path, sigTag(image.digest), image.bytes, image.contentType), 201);
      await docker(['tag', tb.image, at(dir, 'untrusted')], mallory);
      await ok(['trustext', 'push', at(dir, 'untrusted')], mallory);
    }
    for (const kind of ['nosig', 'badsig', 'untrusted'] as const) {
      const legacy = at('legacy', kind);
      for (const cmd of ['pull', 'verify']) {
        const r = await ok(['trustext', cmd, legacy], env);
        assert.match(
          r.stderr,
          new RegExp(
            `^warning: ${escapeRegExp(legacy)} not checked: rule ${escapeRegExp(base)}/legacy/\\* is off \\(overrides ${escapeRegExp(base)}/\\*\\*\\)$`,
            'm',
          ),
          show(r),
        );
      }
      const soft = at('soft', kind);
      const why = {
        nosig: 'no signatures found',
        badsig: 'signature manifest has media type',
        untrusted: '1 not counted: no key is trusted for this repository',
      }[kind];
      for (const cmd of ['pull', 'verify']) {
        const r = await ok(['trustext', cmd, soft], env);
        assert.match(
          r.stderr,
          new RegExp(
            `^warning: ${escapeRegExp(soft)} allowed: rule ${escapeRegExp(base)}/soft/\\* is warn and not met \\(overrides ${escapeRegExp(base)}/\\*\\*\\): 0 of 1 required signature; ${escapeRegExp(why)}`,
            'm',
          ),
          show(r),
        );
        if (cmd === 'verify')
          assert.match(
            r.stdout,
            new RegExp(`^Allowed ${escapeRegExp(soft)} image sha256:[0-9a-f]{64}: not verified \\(rule ${escapeRegExp(base)}/soft/\\* is warn\\)$`, 'm'),
          );
      }
      const refusal = {
        nosig: /^remote trust data does not exist for /,
        badsig: /^No valid trust data for 1: signature manifest has media type/,
        untrusted: /^No valid trust data for 1: 1 signature for sha256:[0-9a-f]{64}, none acceptable: no key is trusted for this repository$/,
      }[kind];
      assertRefused(await docker(['trustext', 'pull', at('strict', kind)], env), refusal);
      assertRefused(await docker(['trustext', 'verify', at('strict', kind)], env), refusal);
    }
  });
});

describe('off and warn with --store both (a trust server configured)', () => {
  it('an unsigned image with no Notary trust data either: warn lets it through with its line, enforce refuses', async () => {
    const env = await dctEnv();
    const base = `${tb.registry}/${uniqueRepo('both-warn')}`;
    await ok(['trustext', 'policy', 'set', `${base}/soft/*`, '--mode', 'warn'], env);
    for (const dir of ['soft', 'strict']) await plainPush(`${base}/${dir}/app:1`, env);
    const soft = await ok(['trustext', 'verify', `${base}/soft/app:1`], env);
    assert.match(
      soft.stderr,
      new RegExp(`^warning: ${escapeRegExp(base)}/soft/app:1 allowed: rule ${escapeRegExp(base)}/soft/\\* is warn and not met`, 'm'),
      show(soft),
    );
    const strict = await docker(['trustext', 'verify', `${base}/strict/app:1`], env);
    assert.equal(strict.code, 1, show(strict));
  });
});

describe('a refusal over many signatures (issue #9 item 12)', () => {
  it('40 bad signatures: one short line with counts; every one with --debug and in verify --format json', async () => {
    const env = await trustEnv();
    const repo = uniqueRepo('many');
    const a = `${tb.registry}/${repo}:a`;
    const b = `${tb.registry}/${repo}:b`;
    await docker(['tag', tb.image, a], env);
    await docker(['tag', tb.image2, b], env);
    await ok(['trustext', 'push', a], env);
    await ok(['trustext', 'push', b], env);
    const da = (await getManifest(tb.registry, repo, 'a')).digest;
    const db = (await getManifest(tb.registry, repo, 'b')).digest;
    const sig = await readSig(tb.registry, repo, db);
    const ann = 'dev.cosignproject.cosign/signature';
    const copied = sig.manifest.layers[0]; // valid, by a trusted key, but for b's digest
    const flipped = Array.from({ length: 30 }, (_, i) => {
      const bytes = Buffer.from(copied.annotations[ann], 'base64');
      bytes[i % bytes.length]! ^= 0x01;
      return { ...copied, annotations: { ...copied.annotations, [ann]: bytes.toString('base64') } };
    });
    const layers = [...flipped, ...Array.from({ length: 10 }, () => copied)];
    assert.equal(await writeSig(tb.registry, repo, da, { ...sig.manifest, layers }, []), 201);

    const r = assertRefused(
      await docker(['trustext', 'pull', a], env),
      new RegExp(
        `^No valid trust data for a: 40 signatures for ${da}, none acceptable: 30 × it is not signed by a trusted key; 10 × it signs ${db}, not ${da}$`,
      ),
    );
    assert.ok(r.stderr.length < 400, r.stderr);
    const debug = await docker(['-D', 'trustext', 'pull', a], env);
    assert.equal(debug.code, 1, show(debug));
    assert.equal(lines(debug.stderr).filter((l) => /^ {2}sha256:[0-9a-f]{64}: /.test(l)).length, 40, show(debug));
    const json = await docker(['trustext', 'verify', '--format', 'json', a], env);
    assert.equal(json.code, 1, show(json));
    assert.equal(JSON.parse(json.stdout).Digests[0].Signatures.length, 40);
  });
});
