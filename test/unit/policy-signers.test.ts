/**
 * signer add over the key store: a signer key already in the store under another name is found by the name the
 * store reports (KeyError.existingName), never by searching the error's message, and its scopes are widened.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Session } from '../../src/app/session/index.ts';
import { addPolicySigner } from '../../src/app/stores/registry/policy-signers.ts';
import { KeyError } from '../../src/shared/errors.ts';

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
    const entries: Entry[] = [
      { name: 'alice', id: 'a'.repeat(64), scopes: ['r.test/other'] },
      { name: 'ci-alice', id: 'b'.repeat(64), scopes: ['r.test/one'] },
    ];
    const calls: string[] = [];
    const file = join(await mkdtemp(join(tmpdir(), 'trustext-signers-')), 'policy.json');
    const out = await addPolicySigner(session(entries, file, calls), 'alice', ['PEM'], ['r.test/app']);
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
});
