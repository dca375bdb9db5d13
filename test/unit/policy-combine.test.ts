/**
 * Rules combine (issue #9, item 4): every matching rule applies, most specific first, until an override; any unmet
 * enforce rule refuses, unmet warn rules warn, off rules are not checked; the decision names the rules applied and
 * the one that decided. Also: a thousand rejected signatures still give a short reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Verdict } from '../../src/signature/index.ts';
import { emptyPolicy, evaluatePolicy, parsePolicy, summarizeReasons, type PolicyKey } from '../../src/trust/index.ts';

const A = 'a'.repeat(64); // alice
const B = 'b'.repeat(64); // bob
const C = 'c'.repeat(64); // carol
const X = 'd'.repeat(64); // trusted, no signer
const KEYS: PolicyKey[] = [
  { id: A, name: 'alice' },
  { id: B, name: 'bob' },
  { id: C, name: 'carol' },
  { id: X, name: 'ci' },
];

/** The issue's scenario (signer add made prod/api and prod/db, policy set made prod/*), plus the other shapes. */
const POLICY = parsePolicy(
  JSON.stringify({
    version: 2,
    signers: { alice: { keys: [A] }, bob: { keys: [B] }, carol: { keys: [C] } },
    rules: [
      { repositories: 'r.io/prod/api', signers: ['alice', 'bob'] },
      { repositories: 'r.io/prod/db', signers: ['carol'] },
      { repositories: 'r.io/prod/*', signers: ['alice', 'bob'], threshold: 2 },
      { repositories: 'r.io/prod/hot', signers: ['alice'], override: true },
      { repositories: 'r.io/legacy/*', mode: 'off', override: true },
      { repositories: 'r.io/legacy/old', mode: 'off' },
      { repositories: 'r.io/warn/*', signers: ['bob'], mode: 'warn', override: true },
      { repositories: 'r.io/soft/*', requireClaims: { env: 'prod' }, mode: 'warn' },
      { repositories: 'r.io/dead/*', mode: 'off' },
      { repositories: 'r.io/**' },
    ],
  }),
  'test',
);

let n = 0;
function sig(keyId: string, optional: Record<string, unknown> | null = null, accepted = true): Verdict {
  const name = KEYS.find((k) => k.id === keyId)?.name ?? 'stranger';
  return {
    layerDigest: `sha256:${String(++n).padStart(64, '0')}`,
    accepted,
    reason: accepted ? `signed by ${name}` : 'it is not signed by a trusted key',
    key: { id: keyId, name },
    payload: { dockerReference: 'r.io/x:1', manifestDigest: 'sha256:00', optional },
  };
}

interface Case {
  name: string;
  repo: string;
  verdicts: Verdict[];
  policy?: typeof POLICY;
  allowed: boolean;
  satisfied: boolean;
  applied: string[];
  decided: string;
  overridden?: string[];
  warnings?: string[];
  reason?: string;
}

const cases: Case[] = [
  {
    name: 'a narrower rule cannot weaken a broader one: 1 of 2 is refused',
    repo: 'r.io/prod/api',
    verdicts: [sig(A)],
    allowed: false,
    satisfied: false,
    applied: ['r.io/prod/api', 'r.io/prod/*', 'r.io/**'],
    decided: 'r.io/prod/*',
    reason: '1 of 2 required signatures (by alice); missing: bob',
  },
  {
    name: 'both signatures meet every applicable rule',
    repo: 'r.io/prod/api',
    verdicts: [sig(A), sig(B)],
    allowed: true,
    satisfied: true,
    applied: ['r.io/prod/api', 'r.io/prod/*', 'r.io/**'],
    decided: 'r.io/prod/api',
  },
  {
    name: 'carol alone meets her narrow rule, not the broader one asking for alice and bob',
    repo: 'r.io/prod/db',
    verdicts: [sig(C)],
    allowed: false,
    satisfied: false,
    applied: ['r.io/prod/db', 'r.io/prod/*', 'r.io/**'],
    decided: 'r.io/prod/*',
    reason: `0 of 2 required signatures; missing: alice, bob; 1 not counted: key carol (${C.slice(0, 12)}) belongs to none of the signers alice, bob`,
  },
  {
    name: 'an explicit override weakens on purpose',
    repo: 'r.io/prod/hot',
    verdicts: [sig(A)],
    allowed: true,
    satisfied: true,
    applied: ['r.io/prod/hot'],
    decided: 'r.io/prod/hot',
    overridden: ['r.io/prod/*', 'r.io/**'],
  },
  {
    name: 'the override rule itself must still be met',
    repo: 'r.io/prod/hot',
    verdicts: [sig(B)],
    allowed: false,
    satisfied: false,
    applied: ['r.io/prod/hot'],
    decided: 'r.io/prod/hot',
    overridden: ['r.io/prod/*', 'r.io/**'],
  },
  {
    name: 'an overriding off rule: not checked, saying which rule and what it overrides',
    repo: 'r.io/legacy/app',
    verdicts: [],
    allowed: true,
    satisfied: false,
    applied: ['r.io/legacy/*'],
    decided: 'r.io/legacy/*',
    overridden: ['r.io/**'],
    warnings: ['r.io/legacy/app not checked: rule r.io/legacy/* is off (overrides r.io/**)'],
    reason: 'not checked: rule r.io/legacy/* is off',
  },
  {
    name: 'off also lets untrusted signatures through unchecked',
    repo: 'r.io/legacy/app',
    verdicts: [sig(X, null, false)],
    allowed: true,
    satisfied: false,
    applied: ['r.io/legacy/*'],
    decided: 'r.io/legacy/*',
    overridden: ['r.io/**'],
    warnings: ['r.io/legacy/app not checked: rule r.io/legacy/* is off (overrides r.io/**)'],
  },
  {
    name: 'two off rules, the broader one overriding',
    repo: 'r.io/legacy/old',
    verdicts: [],
    allowed: true,
    satisfied: false,
    applied: ['r.io/legacy/old', 'r.io/legacy/*'],
    decided: 'r.io/legacy/old',
    overridden: ['r.io/**'],
    warnings: ['r.io/legacy/old not checked: rules r.io/legacy/old, r.io/legacy/* are off (r.io/legacy/* overrides r.io/**)'],
  },
  {
    name: 'an overriding warn rule allows an unsigned image with a warning',
    repo: 'r.io/warn/app',
    verdicts: [],
    allowed: true,
    satisfied: false,
    applied: ['r.io/warn/*'],
    decided: 'r.io/warn/*',
    overridden: ['r.io/**'],
    warnings: ['r.io/warn/app allowed: rule r.io/warn/* is warn and not met (overrides r.io/**): 0 of 1 required signature; missing: bob; no signatures found'],
  },
  {
    name: 'a met warn rule says nothing',
    repo: 'r.io/warn/app',
    verdicts: [sig(B)],
    allowed: true,
    satisfied: true,
    applied: ['r.io/warn/*'],
    decided: 'r.io/warn/*',
    overridden: ['r.io/**'],
  },
  {
    name: 'a combining warn rule warns when the broader enforce rule is met',
    repo: 'r.io/soft/app',
    verdicts: [sig(X)],
    allowed: true,
    satisfied: false,
    applied: ['r.io/soft/*', 'r.io/**'],
    decided: 'r.io/soft/*',
    warnings: ['r.io/soft/app allowed: rule r.io/soft/* is warn and not met: 0 of 1 required signature; 1 not counted: lacks claim env'],
  },
  {
    name: 'a combining warn rule cannot stop the broader enforce rule refusing',
    repo: 'r.io/soft/app',
    verdicts: [],
    allowed: false,
    satisfied: false,
    applied: ['r.io/soft/*', 'r.io/**'],
    decided: 'r.io/**',
    reason: '0 of 1 required signature; no signatures found',
  },
  {
    name: 'a combining off rule is not checked and changes nothing',
    repo: 'r.io/dead/app',
    verdicts: [],
    allowed: false,
    satisfied: false,
    applied: ['r.io/dead/*', 'r.io/**'],
    decided: 'r.io/**',
  },
  {
    name: 'a combining off rule with the broader rule met',
    repo: 'r.io/dead/app',
    verdicts: [sig(X)],
    allowed: true,
    satisfied: true,
    applied: ['r.io/dead/*', 'r.io/**'],
    decided: 'r.io/**',
  },
  {
    name: 'no matching rule: the default rule alone',
    repo: 'other.io/app',
    verdicts: [sig(X)],
    allowed: true,
    satisfied: true,
    applied: ['(default)'],
    decided: '(default)',
  },
  {
    name: 'default off: not checked, named',
    repo: 'other.io/app',
    verdicts: [],
    policy: { ...emptyPolicy(), default: { mode: 'off' } },
    allowed: true,
    satisfied: false,
    applied: ['(default)'],
    decided: '(default)',
    warnings: ['other.io/app not checked: the default rule is off'],
  },
  {
    name: 'default warn: allowed with a warning',
    repo: 'other.io/app',
    verdicts: [],
    policy: { ...emptyPolicy(), default: { mode: 'warn' } },
    allowed: true,
    satisfied: false,
    applied: ['(default)'],
    decided: '(default)',
    warnings: ['other.io/app allowed: the default rule is warn and not met: 0 of 1 required signature; no signatures found'],
  },
];

describe('evaluatePolicy: rules combine', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluatePolicy({ policy: c.policy ?? POLICY, repository: c.repo, verdicts: c.verdicts, keys: KEYS, now: new Date(0) });
      assert.deepEqual(
        d.rules.map((o) => o.rule.repositories),
        c.applied,
      );
      assert.equal(d.rule.repositories, c.decided);
      assert.deepEqual(d.overridden, c.overridden ?? []);
      assert.equal(d.allowed, c.allowed);
      assert.equal(d.satisfied, c.satisfied);
      assert.deepEqual(d.warnings, c.warnings ?? []);
      if (c.reason !== undefined) assert.equal(d.reason, c.reason);
      assert.equal(d.reason, d.rules.find((o) => o.rule.repositories === c.decided)!.reason, 'the reason is the deciding rule’s');
    });
  }

  it('a version 1 file gets the same meaning: the narrower rule no longer outranks the broader one', () => {
    const v1 = parsePolicy(
      JSON.stringify({
        version: 1,
        signers: { alice: { keys: [A] }, bob: { keys: [B] } },
        rules: [
          { repositories: 'r.io/prod/api', signers: ['alice'] },
          { repositories: 'r.io/prod/*', signers: ['alice', 'bob'], threshold: 2 },
        ],
      }),
      'v1',
    );
    const d = evaluatePolicy({ policy: v1, repository: 'r.io/prod/api', verdicts: [sig(A)], keys: KEYS, now: new Date(0) });
    assert.equal(d.allowed, false);
    assert.equal(d.rule.repositories, 'r.io/prod/*');
  });

  it('an unusable .sig is named in the reason instead of "no signatures found"', () => {
    const d = evaluatePolicy({
      policy: POLICY,
      repository: 'r.io/warn/app',
      verdicts: [],
      keys: KEYS,
      now: new Date(0),
      subject: 'r.io/warn/app:1',
      problem: 'signature layer 0 has no annotation',
    });
    assert.deepEqual(d.warnings, [
      'r.io/warn/app:1 allowed: rule r.io/warn/* is warn and not met (overrides r.io/**): 0 of 1 required signature; missing: bob; signature layer 0 has no annotation',
    ]);
  });

  it('a thousand rejected signatures make a short reason, with every one in the rule outcome', () => {
    const verdicts = [...Array.from({ length: 997 }, () => sig(X, null, false)), sig(C), sig(C), sig(A)];
    const d = evaluatePolicy({ policy: POLICY, repository: 'r.io/prod/api', verdicts, keys: KEYS, now: new Date(0) });
    assert.equal(d.allowed, false);
    assert.equal(
      d.reason,
      `1 of 2 required signatures (by alice); missing: bob; 999 not counted: 997 × it is not signed by a trusted key; 2 × key carol (${C.slice(0, 12)}) belongs to none of the signers alice, bob`,
    );
    assert.equal(d.rejected.length, 999);
  });
});

describe('summarizeReasons', () => {
  const table: [string[], string][] = [
    [[], ''],
    [['a'], 'a'],
    [['a', 'a'], '2 × a'],
    [['b', 'a', 'a', 'c'], '2 × a; b; c'],
    [['d', 'c', 'b', 'a', 'a'], '2 × a; d; c; and 1 other reason'],
    [['e', 'd', 'c', 'b', 'a'], 'e; d; c; and 2 other reasons'],
  ];
  for (const [reasons, want] of table) it(`[${reasons.join(', ')}] → ${want || '(empty)'}`, () => assert.equal(summarizeReasons(reasons), want));
});
