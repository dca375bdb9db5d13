/** How rules relate: which glob covers which, how an override is weaker, findings for show/validate, the policy set line. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { covers, emptyPolicy, policyFindings, ruleRelation, validatePolicy, type Policy, type PolicyRule } from '../../src/trust/index.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const policy = (...rules: PolicyRule[]): Policy =>
  validatePolicy({
    ...emptyPolicy(),
    signers: { alice: { keys: [A] }, bob: { keys: [B] }, carol: { keys: [C] } },
    rules,
  });

describe('covers', () => {
  const table: [string, string, boolean][] = [
    ['r.io/prod/*', 'r.io/prod/api', true],
    ['r.io/prod/*', 'r.io/prod/api-*', true],
    ['r.io/**', 'r.io/prod/*', true],
    ['**', 'r.io/prod/api', true],
    ['r.io/prod/api', 'r.io/prod/*', false],
    ['r.io/prod/*', 'r.io/prod/**', false],
    ['r.io/prod/*', 'r.io/prod/*', false],
    ['r.io/a*', 'r.io/*b', false],
    ['r.io/*b', 'r.io/a*', false],
    ['r.io/dev/*', 'r.io/prod/api', false],
  ];
  for (const [broad, narrow, want] of table) it(`${broad} ${want ? 'covers' : 'does not cover'} ${narrow}`, () => assert.equal(covers(broad, narrow), want));
});

describe('policyFindings', () => {
  const BROAD: PolicyRule = { repositories: 'r.io/prod/*', signers: ['alice', 'bob'], threshold: 2, requireClaims: { env: 'prod' } };
  const table: [string, PolicyRule, string[]][] = [
    [
      'an override with a lower threshold',
      { repositories: 'r.io/prod/api', signers: ['alice', 'bob'], requireClaims: { env: 'prod' }, override: true },
      ['rule r.io/prod/api (rules[1]) overrides r.io/prod/* (rules[0]) and is weaker: threshold 1 < 2'],
    ],
    [
      'an override by another signer, without the claim',
      { repositories: 'r.io/prod/db', signers: ['carol'], override: true },
      [
        'rule r.io/prod/db (rules[1]) overrides r.io/prod/* (rules[0]) and is weaker: threshold 1 < 2; signers carol not among alice, bob; claim env=prod not required',
      ],
    ],
    [
      'an override counting any trusted key',
      { repositories: 'r.io/prod/x', threshold: 2, requireClaims: { env: 'prod' }, override: true },
      ['rule r.io/prod/x (rules[1]) overrides r.io/prod/* (rules[0]) and is weaker: any trusted key counts, not only signers alice, bob'],
    ],
    [
      'an off override: only the mode is worth saying',
      { repositories: 'r.io/prod/old', mode: 'off', override: true },
      ['rule r.io/prod/old (rules[1]) overrides r.io/prod/* (rules[0]) and is weaker: mode off < enforce'],
    ],
    [
      'a warn override that also asks for less',
      { repositories: 'r.io/prod/w', signers: ['alice'], requireClaims: { env: 'prod' }, mode: 'warn', override: true },
      ['rule r.io/prod/w (rules[1]) overrides r.io/prod/* (rules[0]) and is weaker: mode warn < enforce; threshold 1 < 2'],
    ],
    [
      'an override at least as strict',
      { repositories: 'r.io/prod/s', signers: ['alice', 'bob'], threshold: 2, requireClaims: { env: 'prod', team: 'x' }, override: true },
      [],
    ],
    ['a combining rule that asks for less (the broader rule still applies)', { repositories: 'r.io/prod/c', signers: ['carol'] }, []],
    [
      'a combining off rule has no effect',
      { repositories: 'r.io/prod/dead', mode: 'off' },
      [
        'rule r.io/prod/dead (rules[1]) is off but combines with r.io/prod/* (rules[0]), which still applies: it has no effect (set "override": true to stop checking)',
      ],
    ],
    ['an override of a rule it does not cover', { repositories: 'r.io/dev/*', mode: 'off', override: true }, []],
  ];
  for (const [name, rule, want] of table) {
    it(name, () =>
      assert.deepEqual(
        policyFindings(policy(BROAD, rule)).map((f) => f.message),
        want,
      ),
    );
  }

  it('names each broader rule an override cuts off, and nothing against an off broader rule', () => {
    const p = policy(
      { repositories: 'r.io/**', threshold: 2 },
      { repositories: 'r.io/prod/*', mode: 'off' },
      { repositories: 'r.io/prod/api', override: true },
    );
    assert.deepEqual(
      policyFindings(p).map((f) => [f.index, f.other, f.kind]),
      [
        [1, 0, 'no-effect'],
        [2, 0, 'weakens'],
      ],
    );
  });
});

describe('ruleRelation', () => {
  const broad: PolicyRule = { repositories: 'r.io/prod/*', signers: ['alice', 'bob'], threshold: 2 };
  it('combines with one broader rule', () => {
    assert.equal(
      ruleRelation(policy(broad, { repositories: 'r.io/prod/api', signers: ['alice'] }), 'r.io/prod/api'),
      'rule r.io/prod/api combines with r.io/prod/*: both must be met',
    );
  });
  it('combines with several, most specific first', () => {
    assert.equal(
      ruleRelation(policy({ repositories: 'r.io/**' }, broad, { repositories: 'r.io/prod/api' }), 'r.io/prod/api'),
      'rule r.io/prod/api combines with r.io/prod/*, r.io/**: all must be met',
    );
  });
  it('overrides, saying how it is weaker', () => {
    assert.equal(
      ruleRelation(policy({ repositories: 'r.io/**' }, broad, { repositories: 'r.io/prod/api', signers: ['alice'], override: true }), 'r.io/prod/api'),
      'rule r.io/prod/api overrides r.io/prod/* (weaker: threshold 1 < 2), r.io/**',
    );
  });
  it('says nothing without a broader rule', () => {
    assert.equal(ruleRelation(policy(broad, { repositories: 'r.io/prod/api' }), 'r.io/prod/*'), undefined);
    assert.equal(ruleRelation(policy(broad), 'r.io/none'), undefined);
  });
});
