/**
 * signer add over the key store: a signer key already in the store under another name is found by the name the
 * store reports (KeyError.existingName), never by searching the error's message, and its scopes are widened; a
 * signer name that a different key holds is refused before anything changes (a real FileKeyStore in a temp dir).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Session } from '../../src/app/session/index.ts';
import { addPolicySigner } from '../../src/app/stores/registry/policy-signers.ts';
import { keyStorePort } from '../../src/app/session/key-store.ts';
import { publicKeyFromPem, spkiKeyId } from '../../src/keys/index.ts';
import { KeyError } from '../../src/shared/errors.ts';
import { environmentFrom, rejectsWithCode } from '../kit/index.ts';

const pem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

interface Entry {
  name: string;
  id: string;
  scopes: string[];
}

function session(entries: Entry[], policyFile: string, calls: string[]): Session {
  const store = {
    list: async () => entries.map((e) => ({ ...e, scopes: [...e.scopes] })),
    get: async (name: string) => entries.find((e) => e.name === name)!,
    importPublic: async (name: string) => {
      calls.push(`import ${name}`);
      // The message names a different key on purpose: matching on it would pick "alice" instead of "ci-alice".
      throw new KeyError('KEY_EXISTS', 'this key is already in the store as "alice" (really)', { existingName: 'ci-alice' });
    },
    addScope: async (name: string, scope: string) => {
      calls.push(`scope ${name} ${scope}`);
      entries.find((e) => e.name === name)!.scopes.push(scope);
    },
  };
  return { keyStore: async () => store, policyFile: () => policyFile, environment: { env: {} } } as unknown as Session;
}

describe('addPolicySigner', () => {
  it('widens the scopes of the key the store names, and requires the signer in the policy', async () => {
    const given = pem();
    const entries: Entry[] = [
      { name: 'alice', id: 'a'.repeat(64), scopes: ['r.test/other'] },
      { name: 'ci-alice', id: spkiKeyId(publicKeyFromPem(given)), scopes: ['r.test/one'] },
    ];
    const calls: string[] = [];
    const file = join(await mkdtemp(join(tmpdir(), 'trustext-signers-')), 'policy.json');
    const out = await addPolicySigner(session(entries, file, calls), 'alice', [given], ['r.test/app']);
    assert.deepEqual(calls, ['import alice', 'scope ci-alice r.test/app']);
    assert.deepEqual(
      out.keys.map((k) => k.name),
      ['ci-alice'],
    );
    assert.deepEqual(entries[0]!.scopes, ['r.test/other']);
    const policy = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(
      policy.rules.map((r: { repositories: string; signers?: string[] }) => [r.repositories, r.signers]),
      [['r.test/app', ['alice']]],
    );
  });

  /** A session over a real key store and policy file in a fresh temp dir. */
  async function realSession(): Promise<{ session: Session; dir: string; policyFile: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'trustext-signers-'));
    const policyFile = join(dir, 'policy.json');
    const keys = keyStorePort(join(dir, 'keys'));
    return { session: { keyStore: async () => keys, policyFile: () => policyFile, environment: environmentFrom({}) } as unknown as Session, dir, policyFile };
  }

  it('refuses a signer name a different key holds, leaving that key, the store and the policy as they were', async () => {
    const { session, policyFile } = await realSession();
    const store = await session.keyStore();
    const alice = await store.importPublic('alice', pem(), { scopes: ['r.test/one'] });
    await rejectsWithCode(
      addPolicySigner(session, 'alice', [pem()], ['r.test/app']),
      'KEY_EXISTS',
      'a different key named "alice" is already in the key store: choose another signer name, or import this key under its own name first (key import --public)',
    );
    assert.deepEqual(await store.list(), [alice]);
    await assert.rejects(readFile(policyFile), { code: 'ENOENT' });
  });

  it('refuses a taken name among several keys before importing any of them', async () => {
    const { session } = await realSession();
    const store = await session.keyStore();
    const taken = await store.importPublic('bob-2', pem(), { scopes: [] });
    await rejectsWithCode(addPolicySigner(session, 'bob', [pem(), pem()], ['r.test/app']), 'KEY_EXISTS', /different key named "bob-2"/);
    assert.deepEqual(await store.list(), [taken]);
  });

  it('never widens a different key that takes the name after the check (the store refuses, its error stands)', async () => {
    const { session } = await realSession();
    const real = await session.keyStore();
    const other = await real.importPublic('dave', pem(), { scopes: ['r.test/one'] });
    // A list that is stale once: the check sees an empty store, as if "dave" arrived just after it looked.
    let stale = true;
    const list = async () => {
      if (!stale) return real.list();
      stale = false;
      return [];
    };
    const racing = { ...real, list };
    const raced = { ...session, keyStore: async () => racing } as Session;
    await rejectsWithCode(addPolicySigner(raced, 'dave', [pem()], ['r.test/app']), 'KEY_EXISTS', 'a key named "dave" already exists');
    assert.deepEqual(await real.list(), [other]);
  });

  it('widens the scopes of the same key given again under its own name', async () => {
    const { session, policyFile } = await realSession();
    const store = await session.keyStore();
    const key = pem();
    await store.importPublic('carol', key, { scopes: ['r.test/one'] });
    const out = await addPolicySigner(session, 'carol', [key], ['r.test/app']);
    assert.deepEqual(
      out.keys.map((k) => [k.name, k.scopes]),
      [['carol', ['r.test/one', 'r.test/app']]],
    );
    const policy = JSON.parse(await readFile(policyFile, 'utf8'));
    assert.deepEqual(policy.signers.carol?.keys ?? policy.signers.carol, [out.keys[0]!.id]);
  });
});
