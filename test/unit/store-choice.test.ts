/**
 * The use cases over in-memory trust stores: what --store registry|notary|both does for each operation (the table in
 * src/app/stores/store-choice.ts, and the README's copy of it), the order stores are asked in, which misses are
 * tolerated, the inspect merge and push's wording of what is stored when signing fails. No test bed needed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Session } from '../../src/app/index.ts';
import { addSigner, inspectTrust, pushImage, readTrust, removeSigner, revokeTrust, signExisting } from '../../src/app/index.ts';
import { type StoreName, STORE_CHOICE, type TrustBackend, type TrustOperation, type TrustStore } from '../../src/app/stores/index.ts';
import type { VerificationReport } from '../../src/app/stores/registry/verify.ts';
import { parseReference } from '../../src/reference/index.ts';
import { KeyError, NotaryError, PolicyError, RegistryError, VerificationError } from '../../src/shared/errors.ts';
import { environmentFrom, rejectsWithCode } from '../kit/index.ts';

type Calls = string[];
type Overrides = Partial<{ [K in keyof TrustBackend]: TrustBackend[K] }>;

const report = (stored: 'none' | 'found', accepted: boolean): VerificationReport =>
  ({
    reference: 'r.test/app:1',
    repository: 'r.test/app',
    tag: '1',
    digest: 'sha256:aa',
    accepted,
    digests: [{ stored, accepted }],
  }) as unknown as VerificationReport;
const inspection = (tag: string, signers: string[], admin = false) => ({
  name: 'r.test/app',
  signedTags: [{ tag, digest: 'sha256:aa', signers }],
  signers: signers.map((name) => ({ name, keys: [{ id: `${name}-key` }] })),
  ...(admin && { administrativeKeys: [{ name: 'Root', keys: [{ id: 'root' }] }] }),
});

/** An in-memory store that records each call as `store:operation` and answers with what `over` says. */
function memoryBackend(store: StoreName, calls: Calls, over: Overrides = {}): TrustBackend {
  const note = (op: string) => calls.push(`${store}:${op}`);
  return {
    store,
    async prepareSigning(_ref, _opts) {
      note('prepare');
      return async () => {
        note('sign');
        return store === 'registry'
          ? { registry: { reference: 'r', key: { name: 'k', id: 'i', created: false }, signed: [], warnings: [] } }
          : { notary: { roles: [] } as never };
      };
    },
    async read() {
      note('read');
      return store === 'registry' ? { source: { kind: 'registry', report: report('found', true) } } : { source: { kind: 'notary', target: {} as never } };
    },
    async inspect() {
      note('inspect');
      return inspection('1', [store]);
    },
    async revoke() {
      note('revoke');
      return store === 'registry' ? { digests: [{ digest: 'sha256:aa', removed: 1, kept: 0 }] } : { notary: { roles: ['targets'] } as never };
    },
    async addSigner() {
      note('signer-add');
      return store === 'registry' ? { keys: [] } : { notary: [] };
    },
    async prepareSigner() {
      note('signer-check');
    },
    async removeSigner() {
      note('signer-remove');
    },
    ...over,
  };
}

/** A session whose stores are in memory; `server` sets DOCKER_CONTENT_TRUST_SERVER (so the default store is both). */
function session(calls: Calls, over: Partial<Record<StoreName, Overrides>> = {}, server = true): Session {
  const env = server ? { DOCKER_CONTENT_TRUST_SERVER: 'https://notary.test' } : {};
  return {
    environment: environmentFrom(env),
    contentTrust: true,
    backends: { registry: memoryBackend('registry', calls, over.registry), notary: memoryBackend('notary', calls, over.notary) },
    engine: async () => ({
      push: async () => {
        calls.push('engine:push');
        return { digest: 'sha256:aa', size: 1 };
      },
    }),
    registryAuth: async () => ({}),
  } as unknown as Session;
}

const ref = parseReference('r.test/app:1');
const missing = () => new NotaryError('TRUST_DATA_MISSING', 'no trust data for r.test/app');
describe('the store-choice table', () => {
  it('names every operation and every --store value, with the registry or Notary first as the README says', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Trust stores'));
    for (const [op, choices] of Object.entries(STORE_CHOICE) as [TrustOperation, Record<TrustStore, { store: StoreName; part: string }[]>][]) {
      const row = section.split('\n').find((l) => l.startsWith(`| ${op} |`));
      assert.ok(row, `README has no row for ${op}`);
      const cells = row.split('|').map((c) => c.trim());
      const both = choices.both.map((s) => (s.part === 'always' ? s.store : `${s.store} (${s.part})`)).join(', then ');
      assert.equal(cells[3], both, `README's both for ${op}`);
      assert.deepEqual(choices.registry, [{ store: 'registry', part: 'always' }]);
      assert.deepEqual(choices.notary, [{ store: 'notary', part: 'always' }]);
    }
  });
});

describe('use cases over the chosen stores', () => {
  it('signs registry then Notary under both, settling both before the push, and only the asked store otherwise', async () => {
    const calls: Calls = [];
    await pushImage(session(calls), { image: 'r.test/app:1', disableContentTrust: false, sign: false, claims: {}, onProgress: () => {} });
    assert.deepEqual(calls, ['registry:prepare', 'notary:prepare', 'engine:push', 'registry:sign', 'notary:sign']);
    for (const store of ['registry', 'notary'] as const) {
      const only: Calls = [];
      await signExisting(session(only), 'r.test/app:1', { claims: {}, store });
      assert.deepEqual(only, [`${store}:prepare`, `${store}:sign`]);
    }
    const dflt: Calls = [];
    await signExisting(session(dflt, {}, false), 'r.test/app:1', { claims: {} });
    assert.deepEqual(dflt, ['registry:prepare', 'registry:sign'], 'no trust server: the registry alone');
  });

  it('pushes nothing when a store cannot be prepared', async () => {
    const calls: Calls = [];
    const s = session(calls, { notary: { prepareSigning: async () => Promise.reject(new VerificationError('NO_VALID_SIGNATURE', 'no key')) } });
    await rejectsWithCode(
      pushImage(s, { image: 'r.test/app:1', disableContentTrust: false, sign: false, claims: {}, onProgress: () => {} }),
      'NO_VALID_SIGNATURE',
    );
    assert.deepEqual(calls, ['registry:prepare']);
  });

  it("words push's failure by what is stored", async () => {
    const failing = (store: StoreName) => ({
      prepareSigning: async () => async () => Promise.reject(new RegistryError('REGISTRY_UNREACHABLE', `${store} down`)),
    });
    const push = (s: Session) => pushImage(s, { image: 'r.test/app:1', disableContentTrust: false, sign: false, claims: {}, onProgress: () => {} });
    await rejectsWithCode(push(session([], { registry: failing('registry') })), 'SIGNING_FAILED', /was pushed \(sha256:aa\) but is NOT signed: registry down$/);
    await rejectsWithCode(
      push(session([], { notary: failing('notary') })),
      'SIGNING_FAILED',
      /was pushed \(sha256:aa\) and signed in the registry, but NOT published to Notary: notary down$/,
    );
    const calls: Calls = [];
    await rejectsWithCode(signExisting(session(calls, { registry: failing('registry') }), 'r.test/app:1', { claims: {} }), 'REGISTRY_UNREACHABLE');
    assert.deepEqual(calls, ['notary:prepare'], 'a failing store stops the rest (sign reports the cause as it is)');
  });

  it('reads the registry when it holds anything under both, else Notary, else an accepted unsigned report', async () => {
    const found: Calls = [];
    assert.equal((await readTrust(session(found), ref)).kind, 'registry');
    assert.deepEqual(found, ['registry:read']);
    const empty = (accepted: boolean): Overrides => ({
      read: async (_r, o) => {
        assert.equal(o.fallback, true);
        return { nothing: report('none', accepted) };
      },
    });
    const fallback: Calls = [];
    assert.equal((await readTrust(session(fallback, { registry: empty(false) }), ref)).kind, 'notary');
    assert.deepEqual(fallback, ['notary:read']);
    // Notary holding nothing hands back the accepted report it was given (the backend's contract) ...
    const noTrust: Overrides = { read: async (_r, o) => (o.unsigned?.accepted ? { nothing: o.unsigned } : Promise.reject(missing())) };
    const warned = await readTrust(session([], { registry: empty(true), notary: noTrust }), ref);
    assert.equal(warned.kind === 'registry' && warned.report.accepted, true);
    await rejectsWithCode(readTrust(session([], { registry: empty(false), notary: noTrust }), ref), 'TRUST_DATA_MISSING');
    // ... but a refusal of trust data Notary does hold (another digest signed for the tag, a policy rule) stands,
    // even when a warn rule would let the unsigned image through.
    const refuses: Overrides = {
      read: async () =>
        Promise.reject(new VerificationError('NO_VALID_SIGNATURE', 'No valid trust data for sha256:bb: Notary trust data for 1 names sha256:aa')),
    };
    await rejectsWithCode(readTrust(session([], { registry: empty(true), notary: refuses }), ref), 'NO_VALID_SIGNATURE', /names sha256:aa/);
    const alone: Calls = [];
    await readTrust(
      session(alone, {
        registry: {
          read: async (_r, o) => {
            assert.equal(o.fallback, false);
            return { source: { kind: 'registry', report: report('none', false) } };
          },
        },
      }),
      ref,
      { store: 'registry' },
    );
  });

  it('inspects both merged, and leaves Notary out only under both when it has no trust data', async () => {
    const calls: Calls = [];
    const s = session(calls, { notary: { inspect: async () => inspection('1', ['alice'], true) } });
    const both = await inspectTrust(s, ref);
    assert.deepEqual(both.signedTags, [{ tag: '1', digest: 'sha256:aa', signers: ['alice', 'registry'] }]);
    assert.deepEqual(both.administrativeKeys, [{ name: 'Root', keys: [{ id: 'root' }] }]);
    assert.deepEqual(calls, ['registry:inspect']);
    const none = { notary: { inspect: async () => Promise.reject(missing()) } };
    assert.deepEqual((await inspectTrust(session([], none), ref)).signers, [{ name: 'registry', keys: [{ id: 'registry-key' }] }]);
    await rejectsWithCode(inspectTrust(session([], none), ref, 'notary'), 'TRUST_DATA_MISSING');
  });

  it('revokes the registry then Notary if it has trust data; --store notary needs trust data', async () => {
    const calls: Calls = [];
    const both = await revokeTrust(session(calls), ref);
    assert.deepEqual(calls, ['registry:revoke', 'notary:revoke']);
    assert.equal(both.digests.length, 1);
    assert.ok(both.notary);
    const none = { notary: { revoke: async () => Promise.reject(missing()) } };
    assert.deepEqual(await revokeTrust(session([], none), ref), { reference: 'r.test/app:1', digests: [{ digest: 'sha256:aa', removed: 1, kept: 0 }] });
    await rejectsWithCode(revokeTrust(session([], none), ref, 'notary'), 'TRUST_DATA_MISSING');
    await rejectsWithCode(revokeTrust(session([]), parseReference(`r.test/app@sha256:${'a'.repeat(64)}`)), 'USAGE');
  });

  it('adds a signer to Notary first and removes it from the policy first, a refusal stopping the other store', async () => {
    const calls: Calls = [];
    const s = session(calls);
    await addSigner(s, 'alice', [], ['r.test/app']);
    await removeSigner(s, 'alice', ['r.test/app'], false);
    assert.deepEqual(calls, [
      'notary:signer-check',
      'registry:signer-check',
      'notary:signer-add',
      'registry:signer-add',
      'registry:signer-remove',
      'notary:signer-remove',
    ]);
    const taken: Calls = [];
    const differentKey = { registry: { prepareSigner: async () => Promise.reject(new KeyError('KEY_EXISTS', 'a different key named "alice"')) } };
    await rejectsWithCode(addSigner(session(taken, differentKey), 'alice', [], ['r.test/app']), 'KEY_EXISTS');
    assert.deepEqual(taken, ['notary:signer-check'], 'nothing is published to Notary when the registry would refuse');
    const refused: Calls = [];
    const last = { registry: { removeSigner: async () => Promise.reject(new PolicyError('POLICY_INVALID', 'alice is the last signer')) } };
    await rejectsWithCode(removeSigner(session(refused, last), 'alice', ['r.test/app'], false), 'POLICY_INVALID');
    assert.deepEqual(refused, []);
  });
});
