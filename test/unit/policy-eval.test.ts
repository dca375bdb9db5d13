/** evaluatePolicy and applicableRules: which signatures count, thresholds, claims, expiry, modes, rule specificity. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Verdict } from '../../src/signature/index.ts';
import { applicableRules, compareSpecificity, emptyPolicy, evaluatePolicy, parsePolicy, type Policy, type PolicyKey } from '../../src/trust/index.ts';

const A1 = 'a'.repeat(64); // alice
const A2 = 'c'.repeat(64); // alice, second key
const B = 'b'.repeat(64); // bob
const X = 'd'.repeat(64); // trusted, no signer
const R = 'e'.repeat(64); // bob's revoked key
const NOW = new Date('2025-01-01T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;

const KEYS: PolicyKey[] = [
  { id: A1, name: 'alice-laptop' },
  { id: A2, name: 'alice-ci' },
  { id: B, name: 'bob-key' },
  { id: X, name: 'ci-key' },
  { id: R, name: 'bob-old', revoked: true },
];

const POLICY = parsePolicy(
  JSON.stringify({
    version: 1,
    signers: { alice: { keys: [A1, A2] }, bob: { keys: [B, R] } },
    rules: [
      { repositories: 'registry.example/team/**', signers: ['alice', 'bob'], threshold: 2 },
      { repositories: 'registry.example/team/prod/*', signers: ['alice'], requireClaims: { env: 'prod' }, override: true },
      { repositories: 'registry.example/warn/**', signers: ['bob'], mode: 'warn', override: true },
      { repositories: 'registry.example/off/**', signers: ['bob'], mode: 'off', override: true },
      { repositories: 'registry.example/**' },
    ],
  }),
  'test',
);

let layer = 0;
function sig(keyId: string, optional: Record<string, unknown> | null = null, accepted = true): Verdict {
  const key = KEYS.find((k) => k.id === keyId) ?? { id: keyId, name: 'stranger' };
  return {
    layerDigest: `sha256:${String(++layer).padStart(64, '0')}`,
    accepted,
    reason: accepted ? 'signed' : 'it is not signed by a trusted key',
    key: { id: key.id, name: key.name },
    payload: { dockerReference: 'registry.example/x:1', manifestDigest: 'sha256:00', optional },
  };
}

interface Case {
  name: string;
  repo: string;
  verdicts: Verdict[];
  policy?: Policy;
  allowed: boolean;
  satisfied: boolean;
  rule: string;
  counted: string[];
  rejected: string[];
  reason: string;
  warnings?: number;
}

const cases: Case[] = [
  {
    name: 'two signers meet threshold 2',
    repo: 'registry.example/team/app',
    verdicts: [sig(A1), sig(B)],
    allowed: true,
    satisfied: true,
    rule: 'registry.example/team/**',
    counted: [A1, B],
    rejected: [],
    reason: '2 of 2 required signatures (by alice, bob)',
  },
  {
    name: 'one of two signers is refused',
    repo: 'registry.example/team/app',
    verdicts: [sig(A1)],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/team/**',
    counted: [A1],
    rejected: [],
    reason: '1 of 2 required signatures (by alice); missing: bob',
  },
  {
    name: 'the same key twice counts once',
    repo: 'registry.example/team/app',
    verdicts: [sig(A1), sig(A1)],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/team/**',
    counted: [A1, A1],
    rejected: [],
    reason: '1 of 2 required signatures (by alice); missing: bob',
  },
  {
    name: 'two keys of one signer are two distinct keys',
    repo: 'registry.example/team/app',
    verdicts: [sig(A1), sig(A2)],
    allowed: true,
    satisfied: true,
    rule: 'registry.example/team/**',
    counted: [A1, A2],
    rejected: [],
    reason: '2 of 2 required signatures (by alice)',
  },
  {
    name: 'a revoked key never counts',
    repo: 'registry.example/team/app',
    verdicts: [sig(A1), sig(R)],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/team/**',
    counted: [A1],
    rejected: [`key bob-old (${R.slice(0, 12)}) is revoked`],
    reason: `1 of 2 required signatures (by alice); missing: bob; 1 not counted: key bob-old (${R.slice(0, 12)}) is revoked`,
  },
  {
    name: 'a revoked key never counts, even under a rule without signers',
    repo: 'registry.example/other',
    verdicts: [sig(R, { timestamp: NOW_S - 86400 * 365 })],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/**',
    counted: [],
    rejected: [`key bob-old (${R.slice(0, 12)}) is revoked`],
    reason: `0 of 1 required signature; 1 not counted: key bob-old (${R.slice(0, 12)}) is revoked`,
  },
  {
    name: 'a trusted key of no named signer does not count',
    repo: 'registry.example/team/app',
    verdicts: [sig(A1), sig(X)],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/team/**',
    counted: [A1],
    rejected: [`key ci-key (${X.slice(0, 12)}) belongs to none of the signers alice, bob`],
    reason: `1 of 2 required signatures (by alice); missing: bob; 1 not counted: key ci-key (${X.slice(0, 12)}) belongs to none of the signers alice, bob`,
  },
  {
    name: 'a key missing from the trusted keys does not count',
    repo: 'registry.example/other',
    verdicts: [sig('f'.repeat(64))],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/**',
    counted: [],
    rejected: [`key stranger (${'f'.repeat(12)}) is not trusted for this repository`],
    reason: `0 of 1 required signature; 1 not counted: key stranger (${'f'.repeat(12)}) is not trusted for this repository`,
  },
  {
    name: 'an unaccepted verdict keeps its reason',
    repo: 'registry.example/other',
    verdicts: [sig(X, null, false)],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/**',
    counted: [],
    rejected: ['it is not signed by a trusted key'],
    reason: '0 of 1 required signature; 1 not counted: it is not signed by a trusted key',
  },
  {
    name: 'no signatures at all',
    repo: 'registry.example/team/app',
    verdicts: [],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/team/**',
    counted: [],
    rejected: [],
    reason: '0 of 2 required signatures; missing: alice, bob; no signatures found',
  },
  {
    name: 'a rule without signers counts any trusted key, named by key',
    repo: 'registry.example/other',
    verdicts: [sig(X)],
    allowed: true,
    satisfied: true,
    rule: 'registry.example/**',
    counted: [X],
    rejected: [],
    reason: '1 of 1 required signature (by ci-key)',
  },
  {
    name: 'an expired signature does not count',
    repo: 'registry.example/other',
    verdicts: [sig(X, { expires: NOW_S - 1 })],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/**',
    counted: [],
    rejected: ['signature expired at 2024-12-31T23:59:59.000Z'],
    reason: '0 of 1 required signature; 1 not counted: signature expired at 2024-12-31T23:59:59.000Z',
  },
  {
    name: 'a signature expiring exactly now still counts',
    repo: 'registry.example/other',
    verdicts: [sig(X, { expires: NOW_S })],
    allowed: true,
    satisfied: true,
    rule: 'registry.example/**',
    counted: [X],
    rejected: [],
    reason: '1 of 1 required signature (by ci-key)',
  },
  {
    name: 'a string expires is malformed',
    repo: 'registry.example/other',
    verdicts: [sig(X, { expires: String(NOW_S + 60) })],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/**',
    counted: [],
    rejected: ['its expires claim is not an integer of unix seconds'],
    reason: '0 of 1 required signature; 1 not counted: its expires claim is not an integer of unix seconds',
  },
  {
    name: 'a fractional expires is malformed',
    repo: 'registry.example/other',
    verdicts: [sig(X, { expires: NOW_S + 0.5 }), sig(X, { expires: NOW_S + 60 })],
    allowed: true,
    satisfied: true,
    rule: 'registry.example/**',
    counted: [X],
    rejected: ['its expires claim is not an integer of unix seconds'],
    reason: '1 of 1 required signature (by ci-key)',
  },
  {
    name: 'a required claim that matches counts',
    repo: 'registry.example/team/prod/app',
    verdicts: [sig(A1, { env: 'prod', other: 1 })],
    allowed: true,
    satisfied: true,
    rule: 'registry.example/team/prod/*',
    counted: [A1],
    rejected: [],
    reason: '1 of 1 required signature (by alice)',
  },
  {
    name: 'a required claim with another value does not count',
    repo: 'registry.example/team/prod/app',
    verdicts: [sig(A1, { env: 'dev' })],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/team/prod/*',
    counted: [],
    rejected: ['claim env is "dev", policy requires "prod"'],
    reason: '0 of 1 required signature; missing: alice; 1 not counted: claim env is "dev", policy requires "prod"',
  },
  {
    name: 'a required claim compares as a string, not a number',
    repo: 'registry.example/team/prod/app',
    policy: parsePolicy(JSON.stringify({ version: 1, rules: [{ repositories: 'registry.example/**', requireClaims: { level: '3' } }] }), 't'),
    verdicts: [sig(X, { level: 3 })],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/**',
    counted: [],
    rejected: ['claim level is 3, policy requires "3"'],
    reason: '0 of 1 required signature; 1 not counted: claim level is 3, policy requires "3"',
  },
  {
    name: 'a missing required claim does not count',
    repo: 'registry.example/team/prod/app',
    verdicts: [sig(A1, { creator: 'x' }), sig(A2, null)],
    allowed: false,
    satisfied: false,
    rule: 'registry.example/team/prod/*',
    counted: [],
    rejected: ['lacks claim env', 'lacks claim env'],
    reason: '0 of 1 required signature; missing: alice; 2 not counted: 2 × lacks claim env',
  },
  {
    name: 'warn mode allows an unmet rule with a warning',
    repo: 'registry.example/warn/app',
    verdicts: [sig(A1)],
    allowed: true,
    satisfied: false,
    rule: 'registry.example/warn/**',
    counted: [],
    rejected: [`key alice-laptop (${A1.slice(0, 12)}) belongs to none of the signers bob`],
    reason: `0 of 1 required signature; missing: bob; 1 not counted: key alice-laptop (${A1.slice(0, 12)}) belongs to none of the signers bob`,
    warnings: 1,
  },
  {
    name: 'warn mode with the rule met has no warnings',
    repo: 'registry.example/warn/app',
    verdicts: [sig(B)],
    allowed: true,
    satisfied: true,
    rule: 'registry.example/warn/**',
    counted: [B],
    rejected: [],
    reason: '1 of 1 required signature (by bob)',
    warnings: 0,
  },
  {
    name: 'off mode allows without checking',
    repo: 'registry.example/off/app',
    verdicts: [sig(B), sig(X, null, false)],
    allowed: true,
    satisfied: false,
    rule: 'registry.example/off/**',
    counted: [],
    rejected: [],
    reason: 'not checked: rule registry.example/off/** is off',
    warnings: 1,
  },
  {
    name: 'the default rule (enforce) counts any trusted key',
    repo: 'docker.io/library/busybox',
    verdicts: [sig(X)],
    allowed: true,
    satisfied: true,
    rule: '(default)',
    counted: [X],
    rejected: [],
    reason: '1 of 1 required signature (by ci-key)',
  },
  {
    name: 'the default rule (enforce) refuses without signatures',
    repo: 'docker.io/library/busybox',
    verdicts: [],
    policy: emptyPolicy(),
    allowed: false,
    satisfied: false,
    rule: '(default)',
    counted: [],
    rejected: [],
    reason: '0 of 1 required signature; no signatures found',
  },
  {
    name: 'the default rule takes default.mode',
    repo: 'docker.io/library/busybox',
    verdicts: [],
    policy: { ...emptyPolicy(), default: { mode: 'warn' } },
    allowed: true,
    satisfied: false,
    rule: '(default)',
    counted: [],
    rejected: [],
    reason: '0 of 1 required signature; no signatures found',
    warnings: 1,
  },
];

describe('evaluatePolicy', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluatePolicy({ policy: c.policy ?? POLICY, repository: c.repo, verdicts: c.verdicts, keys: KEYS, now: NOW });
      assert.equal(d.rule.repositories, c.rule);
      assert.deepEqual(
        d.counted.map((x) => x.keyId),
        c.counted,
      );
      assert.deepEqual(
        d.rejected.map((x) => x.reason),
        c.rejected,
      );
      assert.equal(d.reason, c.reason);
      assert.equal(d.satisfied, c.satisfied);
      assert.equal(d.allowed, c.allowed);
      assert.equal(d.warnings.length, c.warnings ?? 0);
    });
  }

  it('reports the rule, mode, signer and layer of each counted signature', () => {
    const v = sig(A1);
    const d = evaluatePolicy({ policy: POLICY, repository: 'registry.example/team/app', verdicts: [v], keys: KEYS, now: NOW });
    assert.deepEqual(d.rule, { repositories: 'registry.example/team/**', threshold: 2, signers: ['alice', 'bob'], mode: 'enforce', override: false });
    assert.equal(d.mode, 'enforce');
    assert.deepEqual(d.counted, [{ layerDigest: v.layerDigest, keyId: A1, keyName: 'alice-laptop', signer: 'alice' }]);
    const w = evaluatePolicy({ policy: POLICY, repository: 'registry.example/warn/a', verdicts: [], keys: KEYS, now: NOW });
    assert.deepEqual(w.warnings, [
      'registry.example/warn/a allowed: rule registry.example/warn/** is warn and not met (overrides registry.example/**): 0 of 1 required signature; missing: bob; no signatures found',
    ]);
  });
});

/** [rule globs in policy order, repository, the glob that must govern it] */
const specificity: [string[], string, string][] = [
  [['registry.example/**', 'registry.example/team/**'], 'registry.example/team/app', 'registry.example/team/**'],
  [['registry.example/team/**', 'registry.example/team/*'], 'registry.example/team/app', 'registry.example/team/*'],
  [['registry.example/team/*', 'registry.example/team/app'], 'registry.example/team/app', 'registry.example/team/app'],
  [['registry.example/team/*', 'registry.example/team/app-*'], 'registry.example/team/app-web', 'registry.example/team/app-*'],
  [['registry.example/*/app', 'registry.example/team/*'], 'registry.example/team/app', 'registry.example/team/*'],
  [['registry.example/**/app', 'registry.example/team/**'], 'registry.example/team/app', 'registry.example/team/**'],
  [['*.example/**', 'registry.example/**'], 'registry.example/x', 'registry.example/**'],
  [['**', 'registry.example/**'], 'registry.example/x', 'registry.example/**'],
  [['**', 'registry.example/**'], 'docker.io/library/x', '**'],
  [['registry.example/a/**', 'registry.example/b/**'], 'docker.io/library/x', '(default)'],
  [['registry.example/team/*'], 'registry.example/team/a/b', '(default)'],
];

describe('applicableRules: most specific first', () => {
  for (const [globs, repo, want] of specificity) {
    for (const order of [globs, [...globs].reverse()]) {
      it(`${repo} under [${order.join(', ')}] → ${want} first`, () => {
        const policy: Policy = { ...emptyPolicy(), rules: order.map((repositories) => ({ repositories })) };
        const { rules } = applicableRules(policy, repo);
        assert.equal(rules[0]!.repositories, want);
        const sorted = [...rules].sort((a, b) => compareSpecificity(a.repositories, b.repositories));
        assert.deepEqual(
          rules.map((r) => r.repositories),
          sorted.map((r) => r.repositories),
          'every matching rule, in specificity order',
        );
      });
    }
  }

  it('fills in defaults, and the default rule has no signers and threshold 1', () => {
    assert.deepEqual(applicableRules(POLICY, 'registry.example/team/prod/app'), {
      rules: [
        {
          repositories: 'registry.example/team/prod/*',
          index: 1,
          signers: ['alice'],
          threshold: 1,
          requireClaims: { env: 'prod' },
          mode: 'enforce',
          override: true,
        },
      ],
      overridden: ['registry.example/team/**', 'registry.example/**'],
    });
    assert.deepEqual(applicableRules({ ...emptyPolicy(), default: { mode: 'off' } }, 'docker.io/x/y'), {
      rules: [{ repositories: '(default)', threshold: 1, requireClaims: {}, mode: 'off', override: false }],
      overridden: [],
    });
  });

  it('breaks equal rank deterministically by glob text', () => {
    assert.ok(compareSpecificity('r.io/a*', 'r.io/b*') < 0);
    assert.ok(compareSpecificity('r.io/b*', 'r.io/a*') > 0);
    assert.equal(compareSpecificity('r.io/a*', 'r.io/a*'), 0);
  });
});
