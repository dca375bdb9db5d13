/**
 * The TUF core against REAL trust data: stock docker 28.2.2 DCT (`docker push` with DOCKER_CONTENT_TRUST=1,
 * `docker trust signer add`, `docker trust sign`) writes to the test bed's notary-server; the raw files are read
 * back over https and must re-derive byte-exact canonical bytes, verify as a chain, and resolve tags to the
 * digests the registry serves.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, readdir, readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  canonicalJson,
  lookupTarget,
  parseJsonBytes,
  parseRoot,
  parseSnapshot,
  parseTargets,
  parseTimestamp,
  verifyRepository,
  verifyThreshold,
  type RepositoryInput,
} from '../../src/notary/tuf/index.ts';
import { baseEnv, docker, dockerConfig, show, tempDir, testbed, uniqueRepo } from './harness.ts';
import { throwsWithCode } from '../kit/index.ts';

const ROLES = ['root', 'timestamp', 'snapshot', 'targets', 'targets/releases', 'targets/alice'] as const;
function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

/** The manifest the registry serves for a tag: sha256 digest and size of the bytes. */
async function manifest(registry: string, path: string, tag: string): Promise<{ digest: string; size: number }> {
  const res = await fetch(`http://${registry}/v2/${path}/manifests/${tag}`, { headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  assert.equal(res.status, 200);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
}

describe('TUF core on trust data written by stock docker DCT', () => {
  const tb = testbed();
  const ca = readFile(process.env.TESTBED_NOTARY_CA ?? join(tb.dir, 'ca', 'ca.crt'));
  const path = uniqueRepo('tuf-dct');
  const gun = `${tb.registry}/${path}`;
  const files = new Map<string, Buffer>();
  let config = '';
  let input: RepositoryInput;

  before(async () => {
    config = await dockerConfig({ plugin: false });
    await cp(join(tb.dir, 'docker-config', 'tls'), join(config, 'tls'), { recursive: true });
    const env = baseEnv(config, {
      DOCKER_CONTENT_TRUST_SERVER: tb.notary,
      DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'root-passphrase-1',
      DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'repo-passphrase-1',
    });
    const keys = await tempDir('tuf-dct-keys-');
    const must = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await docker(args, { ...env, ...extra });
      assert.equal(r.code, 0, `docker ${args.join(' ')}\n${show(r)}`);
    };
    await must(['tag', tb.image, `${gun}:v1`]);
    await must(['push', `${gun}:v1`], { DOCKER_CONTENT_TRUST: '1' });
    await must(['trust', 'key', 'generate', 'alice', '--dir', keys]);
    await must(['trust', 'signer', 'add', '--key', join(keys, 'alice.pub'), 'alice', gun]);
    await must(['tag', tb.image2, `${gun}:v2`]);
    await must(['trust', 'sign', `${gun}:v2`]);
    const caBytes = await ca;
    for (const role of ROLES) {
      const r = await httpsGet(`${tb.notary}/v2/${gun}/_trust/tuf/${role}.json`, caBytes);
      assert.equal(r.status, 200, `${role}: ${r.body.toString()}`);
      files.set(role, r.body);
    }
    input = {
      gun,
      root: files.get('root')!,
      timestamp: files.get('timestamp')!,
      snapshot: files.get('snapshot')!,
      targets: files.get('targets')!,
      delegations: new Map(['targets/releases', 'targets/alice'].map((r) => [r, files.get(r)!])),
      now: new Date(),
    };
  });

  it('re-derives the exact `signed` bytes of every file from the parsed JSON', () => {
    for (const role of ROLES) {
      const text = files.get(role)!.toString('utf8');
      assert.ok(text.startsWith('{"signed":'), role);
      const raw = text.slice('{"signed":'.length, text.lastIndexOf(',"signatures":'));
      const value = (parseJsonBytes(files.get(role)!, role) as { signed: unknown }).signed;
      assert.equal(canonicalJson(value).toString('utf8'), raw, role);
    }
  });

  it('verifies each file under the keys root and targets name for it', () => {
    const root = parseRoot(files.get('root')!).signed;
    verifyThreshold(parseTimestamp(files.get('timestamp')!), 'timestamp', root.roles.timestamp, root.keys);
    verifyThreshold(parseSnapshot(files.get('snapshot')!), 'snapshot', root.roles.snapshot, root.keys);
    const targets = parseTargets(files.get('targets')!);
    verifyThreshold(targets, 'targets', root.roles.targets, root.keys);
    for (const d of targets.signed.delegations) verifyThreshold(parseTargets(files.get(d.name)!, d.name), d.name, d, targets.signed.delegationKeys);
    assert.deepEqual(targets.signed.delegations.map((d) => d.name).sort(), ['targets/alice', 'targets/releases']);
    throwsWithCode(() => verifyThreshold(targets, 'targets', root.roles.snapshot, root.keys), 'TRUST_DATA_INVALID');
  });

  it('verifies the whole chain and resolves tags to the digests the registry serves', async () => {
    const v = verifyRepository(input);
    assert.deepEqual(v.skipped, []);
    assert.deepEqual([...v.versions.keys()].sort(), ['root', 'snapshot', 'targets', 'targets/alice', 'targets/releases', 'timestamp']);
    const v1 = lookupTarget(v, 'v1');
    const v2 = lookupTarget(v, 'v2');
    assert.deepEqual(v1, { ...(await manifest(tb.registry, path, 'v1')), role: 'targets' });
    assert.deepEqual(v2, { ...(await manifest(tb.registry, path, 'v2')), role: 'targets/releases' });
    assert.equal(lookupTarget(v, 'v3'), undefined);
  });

  it('reports the root key ids docker shows and names its key files by', async () => {
    const v = verifyRepository(input);
    const r = await docker(['trust', 'inspect', gun], baseEnv(config, { DOCKER_CONTENT_TRUST_SERVER: tb.notary }));
    assert.equal(r.code, 0, show(r));
    const admin = (JSON.parse(r.stdout) as { AdministrativeKeys: { Name: string; Keys: { ID: string }[] }[] }[])[0]!.AdministrativeKeys;
    assert.deepEqual(
      v.rootKeyIds,
      admin.find((k) => k.Name === 'Root')!.Keys.map((k) => k.ID),
    );
    const privateKeys = await readdir(join(config, 'trust', 'private'));
    assert.ok(privateKeys.includes(`${v.rootCanonicalKeyIds[0]}.key`), privateKeys.join(' '));
  });

  it('fails when one byte of targets is tampered with, or a delegation is', () => {
    const targets = Buffer.from(input.targets);
    const at = targets.indexOf('"version":');
    targets[at + 10]! ^= 1;
    throwsWithCode(() => verifyRepository({ ...input, targets }), 'TRUST_DATA_INVALID');
    const releases = Buffer.from(files.get('targets/releases')!);
    releases[releases.length - 5]! ^= 1;
    throwsWithCode(() => verifyRepository({ ...input, delegations: new Map([['targets/releases', releases]]) }), 'TRUST_DATA_INVALID');
  });

  it('keeps pinned roots, refuses rollback and expiry', () => {
    const v = verifyRepository({ ...input, pinnedRoot: input.root, previous: new Map([['targets', 1]]) });
    assert.equal(v.root.signed.version, 1);
    throwsWithCode(() => verifyRepository({ ...input, previous: new Map([['timestamp', v.versions.get('timestamp')! + 1]]) }), 'TRUST_DATA_ROLLBACK');
    const ts = parseTimestamp(input.timestamp).signed.expires;
    throwsWithCode(() => verifyRepository({ ...input, now: new Date(Date.parse(ts) + 1000) }), 'TRUST_DATA_EXPIRED');
  });

  it('matches the consistent names notary serves (targets.<sha256>.json)', async () => {
    const hex = createHash('sha256').update(input.targets).digest('hex');
    const r = await httpsGet(`${tb.notary}/v2/${gun}/_trust/tuf/targets.${hex}.json`, await ca);
    assert.equal(r.status, 200);
    assert.ok(r.body.equals(input.targets));
  });
});
