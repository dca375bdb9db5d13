/**
 * The proxy's gate over a stand-in engine (images by tag, by content digest and by id, as dockerd resolves them)
 * and stand-in trust data: creates run only verified images, pinned; an image whose RepoDigests claim a signed
 * digest it does not have (a `docker load` on the containerd store can name anything so) is refused by id; starts
 * are re-checked and forwarded for the container's id; plugins, swarm joins, plugin services and rollbacks are
 * refused; a verification that outlives a policy change is not remembered; an index digest is never remembered
 * for every platform; warn mode lets trust refusals through but not unreadable requests.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { proxyGate, type Session } from '../../src/app/index.ts';
import type { Engine, LocalImage } from '../../src/engine/index.ts';
import { classifyRequest, type GateDecision } from '../../src/proxy/index.ts';
import { formatReference, type Reference } from '../../src/reference/index.ts';
import { VerificationError } from '../../src/shared/errors.ts';
import { rejectsWithCode, settingsFrom } from '../kit/index.ts';

const R = 'r.test/app';
const D = (c: string) => `sha256:${c.repeat(64)}`;
const ID = (c: string) => `sha256:${c.repeat(64)}`;

/** An engine holding `images`: resolved by tag, by `name@digest` (by content), by id or id prefix. */
function engine(world: {
  images: LocalImage[];
  byContent: Record<string, string>;
  containers?: Record<string, { container: string; id: string; asked: string }>;
}) {
  const byId = new Map(world.images.map((i) => [i.id, i]));
  const stub: Partial<Engine> = {
    image: async (name) => {
      if (name.includes('@')) return byId.get(world.byContent[name] ?? '');
      const byTag = world.images.find((i) => i.repoTags.includes(name));
      if (byTag) return byTag;
      return world.images.find((i) => i.id.startsWith(name.startsWith('sha256:') ? name : `sha256:${name}`));
    },
    containerImage: async (name) => world.containers?.[name],
  };
  return stub as Engine;
}

/**
 * Trust data: `signed` maps a reference (repo:tag or repo@digest) to the digest it verifies as, or to
 * `INDEX>CHILD` for an index whose platform manifest CHILD is what a pull takes.
 */
function trusted(signed: Record<string, string>, calls: string[] = [], delay?: Promise<void>) {
  return async (_s: Session, ref: Reference, req: { platform?: string }) => {
    calls.push(`${formatReference(ref)}${req.platform ? ` ${req.platform}` : ''}`);
    await delay;
    const entry = signed[formatReference(ref)];
    if (!entry) throw new VerificationError('NO_TRUST_DATA', `remote trust data does not exist for ${formatReference(ref)}`);
    const [top, child] = entry.split('>');
    return { digest: child ?? top!, warnings: [], verified: { digest: top! } };
  };
}

async function gateOver(
  eng: Engine,
  signed: Record<string, string>,
  opts: { mode?: 'enforce' | 'warn'; policy?: object; calls?: string[]; delay?: Promise<void> } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), 'trustext-gate-'));
  const policyFile = join(dir, 'policy.json');
  await writeFile(policyFile, JSON.stringify(opts.policy ?? { version: 2 }));
  const { parsePolicy } = await import('../../src/trust/index.ts');
  const { readFile } = await import('node:fs/promises');
  const session = {
    environment: { settings: settingsFrom({ TRUSTEXT_KEYS_DIR: dir }) },
    engine: async () => eng,
    policyFile: () => policyFile,
    policy: async () => parsePolicy(await readFile(policyFile, 'utf8'), policyFile),
  } as unknown as Session;
  const gate = proxyGate(session, { mode: opts.mode ?? 'enforce', trusted: trusted(signed, opts.calls, opts.delay) });
  return { gate, policyFile };
}

const create = (body: object, userAgent = 'docker-py/7', query = '') => ({
  route: classifyRequest('POST', `/v1.41/containers/create${query}`),
  contentTypes: ['application/json'],
  body: new TextEncoder().encode(JSON.stringify(body)),
  userAgent,
});
const bodyOf = (d: GateDecision) => JSON.parse(new TextDecoder().decode((d as { body: Uint8Array }).body)) as Record<string, unknown>;

const signedImage: LocalImage = { id: ID('a'), repoDigests: [`${R}@${D('1')}`], repoTags: [`${R}:v1`] };

describe('the enforcement gate: containers/create', () => {
  it('runs a verified tag pinned to name@digest, and checks and pins image mounts the same way', async () => {
    const { gate } = await gateOver(engine({ images: [signedImage], byContent: { [`${R}@${D('1')}`]: ID('a') } }), { [`${R}:v1`]: D('1') });
    const d = await gate.decide(create({ Image: `${R}:v1`, HostConfig: { Mounts: [{ Type: 'image', Source: `${R}:v1`, Target: '/d' }] } }));
    const body = bodyOf(d);
    assert.equal(body.Image, `${R}@${D('1')}`);
    assert.equal((body.HostConfig as { Mounts: { Source: string }[] }).Mounts[0]!.Source, `${R}@${D('1')}`);
  });

  it('refuses by id an image whose RepoDigests name a signed digest it does not have', async () => {
    // A tarball loaded as `r.test/app@<signed digest>` over other content: the digest resolves to the real image.
    const evil: LocalImage = { id: ID('e'), repoDigests: [`${R}@${D('1')}`], repoTags: [] };
    const eng = engine({ images: [signedImage, evil], byContent: { [`${R}@${D('1')}`]: ID('a') } });
    const { gate } = await gateOver(eng, { [`${R}@${D('1')}`]: D('1') });
    await rejectsWithCode(gate.decide(create({ Image: ID('e') })), 'API_REQUEST_REFUSED', /is a local image/);
    const ok = bodyOf(await gate.decide(create({ Image: ID('a') })));
    assert.equal(ok.Image, ID('a'));
  });

  it('answers the docker CLI 404 for a local tag over other content (it pulls, then creates again), others 403', async () => {
    const other: LocalImage = { id: ID('b'), repoDigests: [`${R}@${D('2')}`], repoTags: [`${R}:v1`] };
    const eng = engine({ images: [other], byContent: { [`${R}@${D('2')}`]: ID('b') } });
    const { gate } = await gateOver(eng, { [`${R}:v1`]: D('1') });
    const cli = await gate.decide(create({ Image: `${R}:v1` }, 'Docker-Client/28.2.2 (linux)')).catch((e: { status: number }) => e.status);
    assert.equal(cli, 404);
    const py = await gate.decide(create({ Image: `${R}:v1` })).catch((e: { status: number; message: string }) => e);
    assert.equal((py as { status: number }).status, 403);
  });

  it('refuses a local image unless the policy allows local images, then runs it by id', async () => {
    const built: LocalImage = { id: ID('c'), repoDigests: [], repoTags: ['app:dev'] };
    const eng = engine({ images: [built], byContent: {} });
    const refusing = await gateOver(eng, {});
    await rejectsWithCode(refusing.gate.decide(create({ Image: 'app:dev' })), 'API_REQUEST_REFUSED', /engine": \{"localImages": "allow"\}/);
    const allowing = await gateOver(eng, {}, { policy: { version: 2, engine: { localImages: 'allow' } } });
    assert.equal(bodyOf(await allowing.gate.decide(create({ Image: 'app:dev' }))).Image, ID('c'));
  });
});

describe('the enforcement gate: starts, services and what it refuses outright', () => {
  it('forwards a start for the container’s full id, refuses an unknown container and an unverified image', async () => {
    const unsigned: LocalImage = { id: ID('d'), repoDigests: [`r.test/u@${D('4')}`], repoTags: [] };
    const eng = engine({
      images: [signedImage, unsigned],
      byContent: { [`${R}@${D('1')}`]: ID('a'), [`r.test/u@${D('4')}`]: ID('d') },
      containers: { web: { container: 'f'.repeat(64), id: ID('a'), asked: `${R}:v1` }, old: { container: '0'.repeat(64), id: ID('d'), asked: 'r.test/u:1' } },
    });
    const { gate } = await gateOver(eng, { [`${R}@${D('1')}`]: D('1') });
    const d = await gate.decide({ route: classifyRequest('POST', '/v1.41/containers/web/start?detachKeys=ctrl-x'), contentTypes: [] });
    assert.equal((d as { path: string }).path, `/v1.41/containers/${'f'.repeat(64)}/start?detachKeys=ctrl-x`);
    const missing = await gate
      .decide({ route: classifyRequest('POST', '/containers/nope/start'), contentTypes: [] })
      .catch((e: { status: number }) => e.status);
    assert.equal(missing, 404);
    await rejectsWithCode(
      gate.decide({ route: classifyRequest('POST', '/containers/old/restart'), contentTypes: [] }),
      'API_REQUEST_REFUSED',
      /container old runs r.test\/u:1, which is not trusted/,
    );
  });

  const refusedOutright: [string, string, object?][] = [
    ['a plugin install', '/v1.41/plugins/pull?remote=r.test/p:1'],
    ['a plugin enable', '/plugins/p/enable'],
    ['a swarm join', '/v1.41/swarm/join'],
    ['a service rollback', '/v1.41/services/s/update?version=3&rollback=previous', { TaskTemplate: { ContainerSpec: { Image: `${R}:v1` } } }],
    ['a plugin-runtime service', '/v1.41/services/create', { TaskTemplate: { Runtime: 'plugin', ContainerSpec: { Image: `${R}:v1` } } }],
  ];
  for (const [what, path, body] of refusedOutright) {
    it(`refuses ${what}`, async () => {
      const { gate } = await gateOver(engine({ images: [], byContent: {} }), { [`${R}:v1`]: D('1') });
      const req = { route: classifyRequest('POST', path), contentTypes: [], ...(body && { body: new TextEncoder().encode(JSON.stringify(body)) }) };
      const status = await gate.decide(req).then(
        () => 0,
        (e: { status: number }) => e.status,
      );
      assert.equal(status, 403);
    });
  }

  it('verifies a service image and pins it name:tag@digest', async () => {
    const { gate } = await gateOver(engine({ images: [], byContent: {} }), { [`${R}:v1`]: D('1') });
    const d = await gate.decide({
      route: classifyRequest('POST', '/v1.41/services/create'),
      contentTypes: [],
      body: new TextEncoder().encode(JSON.stringify({ Name: 's', TaskTemplate: { ContainerSpec: { Image: `${R}:v1` } } })),
    });
    assert.equal((bodyOf(d).TaskTemplate as { ContainerSpec: { Image: string } }).ContainerSpec.Image, `${R}:v1@${D('1')}`);
  });
});

describe('the enforcement gate: what it remembers, and warn mode', () => {
  it('does not remember a verification that finished after the policy changed', async () => {
    let release!: () => void;
    const delay = new Promise<void>((done) => {
      release = done;
    });
    const calls: string[] = [];
    const eng = engine({ images: [signedImage], byContent: { [`${R}@${D('1')}`]: ID('a') } });
    const { gate, policyFile } = await gateOver(eng, { [`${R}:v1`]: D('1') }, { calls, delay });
    const first = gate.decide(create({ Image: `${R}:v1` }));
    await new Promise((done) => setTimeout(done, 20));
    // A revocation lands while the first verification is under way; another request (a build) sees it.
    await writeFile(policyFile, JSON.stringify({ version: 2, default: { mode: 'enforce' }, rules: [] }));
    await gate.decide({ route: classifyRequest('POST', '/build'), contentTypes: [] });
    release();
    await first;
    await gate.decide(create({ Image: `${R}:v1` }));
    assert.equal(calls.length, 2, `the second create must verify again: ${calls.join(', ')}`);
  });

  it('never remembers an index digest for every platform (only the digest verified end to end)', async () => {
    const calls: string[] = [];
    const index = `${R}@${D('9')}`;
    const img: LocalImage = { id: ID('a'), repoDigests: [index], repoTags: [] };
    const eng = engine({ images: [img], byContent: { [index]: ID('a') } });
    const { gate } = await gateOver(eng, { [index]: D('1') }, { calls });
    await gate.decide(create({ Image: index }));
    await gate.decide(create({ Image: index }));
    assert.equal(calls.length, 2);
  });

  it('pulls an index by its own digest, and runs the local image pulled by it (pinned to the index, verified for its platform)', async () => {
    const calls: string[] = [];
    const index = D('7');
    const child = D('8');
    const local: LocalImage = { id: ID('a'), repoDigests: [`${R}@${index}`], repoTags: [`${R}:v1`], platform: 'linux/amd64' };
    const eng = engine({ images: [local], byContent: { [`${R}@${index}`]: ID('a') } });
    const { gate } = await gateOver(eng, { [`${R}:v1`]: `${index}>${child}`, [`${R}@${index}`]: `${index}>${child}` }, { calls });
    const pull = await gate.decide({ route: classifyRequest('POST', `/images/create?fromImage=${R}&tag=v1`), contentTypes: [] });
    assert.equal((pull as { digest: string }).digest, index, 'the index digest is pulled, not the platform manifest');
    assert.equal(bodyOf(await gate.decide(create({ Image: `${R}:v1` }))).Image, `${R}@${index}`);
    assert.equal(bodyOf(await gate.decide(create({ Image: `${R}@${index}` }))).Image, `${R}@${index}`);
    // The pull verified for the engine's platform; every check of the local image, for the image's own.
    assert.ok(
      calls.length > 1 && calls.slice(1).every((c) => c.endsWith(' linux/amd64')),
      `an index is verified for the image's platform: ${calls.join(', ')}`,
    );
  });

  it('refuses a create that asks for another platform than the local image’s (an index pin would run that one)', async () => {
    const index = D('7');
    const local: LocalImage = { id: ID('a'), repoDigests: [`${R}@${index}`], repoTags: [`${R}:v1`], platform: 'linux/amd64' };
    const eng = engine({ images: [local], byContent: { [`${R}@${index}`]: ID('a') } });
    const { gate } = await gateOver(eng, { [`${R}:v1`]: `${index}>${D('8')}` });
    await rejectsWithCode(
      gate.decide(create({ Image: `${R}:v1` }, 'x', '?platform=linux/arm64')),
      'API_REQUEST_REFUSED',
      /is for linux\/amd64, not linux\/arm64/,
    );
    assert.equal(bodyOf(await gate.decide(create({ Image: `${R}:v1` }, 'x', '?platform=linux/amd64'))).Image, `${R}@${index}`);
  });

  it('warn mode forwards a trust refusal with a warning, but still refuses a request it cannot read', async () => {
    const unsigned: LocalImage = { id: ID('d'), repoDigests: [`r.test/u@${D('4')}`], repoTags: ['r.test/u:1'] };
    const { gate } = await gateOver(engine({ images: [unsigned], byContent: { [`r.test/u@${D('4')}`]: ID('d') } }), {}, { mode: 'warn' });
    const d = await gate.decide(create({ Image: 'r.test/u:1' }));
    assert.equal(d.kind, 'forward');
    assert.match(d.warning ?? '', /content trust would refuse this: remote trust data does not exist/);
    const bad = { ...create({}), body: new TextEncoder().encode('{"image":"x"}') };
    await rejectsWithCode(gate.decide(bad), 'API_REQUEST_REFUSED', /spells Image/);
  });

  it('refuses builds when the policy says engine.builds: refuse', async () => {
    const { gate } = await gateOver(engine({ images: [], byContent: {} }), {}, { policy: { version: 2, engine: { builds: 'refuse' } } });
    for (const path of ['/v1.41/build', '/grpc', '/session']) {
      await rejectsWithCode(gate.decide({ route: classifyRequest('POST', path), contentTypes: [] }), 'API_REQUEST_REFUSED', /builds are refused/);
    }
  });
});
