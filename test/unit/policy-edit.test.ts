/** Policy edits for the CLI: new validated policies, inputs untouched, loosening refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addSignerKey, emptyPolicy, policySetRule, removeSignerFromRules, type Policy } from '../../src/trust/index.ts';
import { throwsWithCode } from '../kit/index.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const BASE: Policy = {
  ...emptyPolicy(),
  signers: { alice: { keys: [A] }, bob: { keys: [B] } },
  rules: [
    { repositories: 'r.io/team/**', signers: ['alice', 'bob'], threshold: 2 },
    { repositories: 'r.io/solo/**', signers: ['alice'] },
    { repositories: 'r.io/pair/**', signers: ['alice', 'bob'] },
  ],
};
const SNAPSHOT = structuredClone(BASE);

describe('policySetRule', () => {
  it('appends a new rule with only the given fields', () => {
    const p = policySetRule(BASE, 'r.io/new/*', { mode: 'warn', requireClaims: { env: 'prod' } });
    assert.deepEqual(p.rules.at(-1), { repositories: 'r.io/new/*', requireClaims: { env: 'prod' }, mode: 'warn' });
    assert.equal(p.rules.length, 4);
    assert.deepEqual(BASE, SNAPSHOT);
  });

  it('writes override only when asked', () => {
    assert.deepEqual(policySetRule(BASE, 'r.io/team/x', { signers: ['alice'], override: true }).rules.at(-1), {
      repositories: 'r.io/team/x',
      signers: ['alice'],
      override: true,
    });
    assert.deepEqual(policySetRule(BASE, 'r.io/team/x', { signers: ['alice'] }).rules.at(-1), { repositories: 'r.io/team/x', signers: ['alice'] });
  });

  it('replaces the rule for the same glob in place', () => {
    const p = policySetRule(BASE, 'r.io/solo/**', { signers: ['bob'], threshold: 1 });
    assert.deepEqual(
      p.rules.map((r) => r.repositories),
      ['r.io/team/**', 'r.io/solo/**', 'r.io/pair/**'],
    );
    assert.deepEqual(p.rules[1], { repositories: 'r.io/solo/**', signers: ['bob'], threshold: 1 });
    assert.deepEqual(BASE, SNAPSHOT);
  });

  it('refuses a bad glob, an unmeetable threshold and an unknown signer', () => {
    assert.equal(
      throwsWithCode(
        () => policySetRule(BASE, 'team/**', {}),
        'POLICY_INVALID',
        'invalid repository glob "team/**": the first segment "team" is not a registry host; write the fully qualified name, e.g. docker.io/team/**',
      ).field,
      'repositories',
    );
    assert.equal(
      throwsWithCode(
        () => policySetRule(BASE, 'r.io/solo/**', { signers: ['alice'], threshold: 2 }),
        'POLICY_INVALID',
        'invalid policy: rules[1].threshold: must be an integer from 1 to 1 (the keys signers alice hold)',
      ).field,
      'rules[1].threshold',
    );
    assert.equal(
      throwsWithCode(
        () => policySetRule(BASE, 'r.io/x', { signers: ['carol'] }),
        'POLICY_INVALID',
        'invalid policy: rules[3].signers[0]: unknown signer "carol" (not defined under signers)',
      ).field,
      'rules[3].signers[0]',
    );
    assert.deepEqual(BASE, SNAPSHOT);
  });
});

describe('addSignerKey', () => {
  it('creates a signer and appends keys to an existing one', () => {
    const C = 'c'.repeat(64);
    assert.deepEqual(addSignerKey(BASE, 'carol', C).signers.carol, { keys: [C] });
    assert.deepEqual(addSignerKey(BASE, 'alice', C).signers.alice, { keys: [A, C] });
    assert.deepEqual(addSignerKey(BASE, 'alice', A), BASE);
    assert.deepEqual(BASE, SNAPSHOT);
  });

  it('refuses a bad name, a bad key id and a key another signer holds', () => {
    assert.equal(
      throwsWithCode(
        () => addSignerKey(BASE, 'Carol', A),
        'POLICY_INVALID',
        'invalid signer name "Carol": use 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit',
      ).field,
      'signers',
    );
    assert.equal(
      throwsWithCode(() => addSignerKey(BASE, 'carol', 'abc'), 'POLICY_INVALID', 'invalid key id "abc": expected 64 lower-case hex digits').field,
      'signers.carol.keys',
    );
    assert.equal(
      throwsWithCode(() => addSignerKey(BASE, 'bob', A), 'POLICY_INVALID', 'invalid policy: signers.bob.keys[1]: key already belongs to signer alice').field,
      'signers.bob.keys[1]',
    );
  });
});

describe('removeSignerFromRules', () => {
  it('removes the signer from the named rules only', () => {
    const p = removeSignerFromRules(BASE, 'bob', ['r.io/pair/**', 'r.io/solo/**']);
    assert.deepEqual(p.rules[2], { repositories: 'r.io/pair/**', signers: ['alice'] });
    assert.deepEqual(p.rules[1], BASE.rules[1]);
    assert.deepEqual(p.rules[0], BASE.rules[0]);
    assert.deepEqual(BASE, SNAPSHOT);
  });

  it('refuses an unknown glob, an emptied signer list and a threshold left unmeetable', () => {
    assert.equal(
      throwsWithCode(() => removeSignerFromRules(BASE, 'bob', ['r.io/none']), 'POLICY_INVALID', 'no rule for repositories "r.io/none"').field,
      'rules',
    );
    assert.equal(
      throwsWithCode(
        () => removeSignerFromRules(BASE, 'alice', ['r.io/solo/**']),
        'POLICY_INVALID',
        'rule r.io/solo/** would name no signer (it would then count any trusted key); set other signers or delete the rule',
      ).field,
      'rules[1].signers',
    );
    assert.equal(
      throwsWithCode(
        () => removeSignerFromRules(BASE, 'bob', ['r.io/team/**']),
        'POLICY_INVALID',
        'invalid policy: rules[0].threshold: must be an integer from 1 to 1 (the keys signers alice hold)',
      ).field,
      'rules[0].threshold',
    );
    assert.deepEqual(BASE, SNAPSHOT);
  });
});
