/**
 * The refusal line (app/verify.ts): DCT's message starts, one bounded line however many signatures there are, and
 * every reason carried in the cause (what --debug prints). Also the warnings of an accepted report, each once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyWarnings, refusal, type DigestReport, type VerificationReport } from '../../src/app/index.ts';
import { parseReference } from '../../src/reference/index.ts';
import type { Verdict } from '../../src/signature/index.ts';
import { evaluatePolicy, parsePolicy, type PolicyKey } from '../../src/trust/index.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const KEYS: PolicyKey[] = [
  { id: A, name: 'alice' },
  { id: B, name: 'bob' },
];
const DIGEST = `sha256:${'1'.repeat(64)}`;
const OTHER = `sha256:${'2'.repeat(64)}`;
const REF = parseReference('r.io/prod/app:1');
const POLICY = parsePolicy(
  JSON.stringify({
    version: 2,
    signers: { alice: { keys: [A] }, bob: { keys: [B] } },
    rules: [
      { repositories: 'r.io/prod/*', signers: ['alice', 'bob'], threshold: 2 },
      { repositories: 'r.io/legacy/*', mode: 'off', override: true },
      { repositories: 'r.io/**' },
    ],
  }),
  'p',
);

let n = 0;
const layer = () => `sha256:${String(++n).padStart(64, '0')}`;
const untrusted = (): Verdict => ({ layerDigest: layer(), accepted: false, reason: 'it is not signed by a trusted key' });
const wrongDigest = (): Verdict => ({ layerDigest: layer(), accepted: false, reason: `it signs ${OTHER}, not ${DIGEST}`, key: { id: A, name: 'alice' } });
const good = (id: string): Verdict => ({ layerDigest: layer(), accepted: true, reason: `signed by ${id}`, key: { id, name: id === A ? 'alice' : 'bob' } });

function report(verdicts: Verdict[], repository = 'r.io/prod/app', stored: DigestReport['stored'] = 'found', problem?: string): VerificationReport {
  const decision = evaluatePolicy({
    policy: POLICY,
    repository,
    verdicts,
    keys: KEYS,
    now: new Date(0),
    subject: `${repository}:1`,
    ...(problem && { problem }),
  });
  const d: DigestReport = { digest: DIGEST, kind: 'image', stored, ...(problem && { problem }), verdicts, decision, accepted: decision.allowed };
  return { repository, tag: '1', digest: DIGEST, pullDigest: DIGEST, digests: [d], accepted: d.accepted };
}

describe('refusal', () => {
  it('1,000 unacceptable signatures: one short line with counts and the first reasons; every one in the cause', () => {
    const verdicts = [...Array.from({ length: 998 }, untrusted), wrongDigest(), wrongDigest()];
    const err = refusal(REF, report(verdicts))!;
    assert.equal(err.code, 'NO_VALID_SIGNATURE');
    assert.equal(
      err.message,
      `No valid trust data for 1: 1000 signatures for ${DIGEST}, none acceptable: 998 × it is not signed by a trusted key; 2 × it signs ${OTHER}, not ${DIGEST}`,
    );
    assert.ok(!err.message.includes('\n') && err.message.length < 400);
    const cause = String(err.cause).split('\n');
    assert.equal(cause.length, 1001);
    assert.equal(cause[0], `every signature of ${DIGEST}:`);
    assert.equal(cause[1], `  ${verdicts[0]!.layerDigest}: it is not signed by a trusted key`);
  });

  it('1,000 signatures under a policy rule not met: one short line naming the rule; the rejections in the cause', () => {
    const verdicts = [good(A), ...Array.from({ length: 999 }, untrusted)];
    const err = refusal(REF, report(verdicts))!;
    assert.equal(
      err.message,
      `No valid trust data for 1: ${DIGEST}: policy rule r.io/prod/* not met: 1 of 2 required signatures (by alice); missing: bob; 999 not counted: 999 × it is not signed by a trusted key`,
    );
    const cause = String(err.cause).split('\n');
    assert.equal(
      cause[0],
      'rule r.io/prod/* (enforce): 1 of 2 required signatures (by alice); missing: bob; 999 not counted: 999 × it is not signed by a trusted key',
    );
    assert.equal(cause.length, 1000);
  });

  it('keeps DCT’s message starts for no signature and an unusable .sig', () => {
    assert.match(
      refusal(REF, report([], 'r.io/prod/app', 'none'))!.message,
      /^remote trust data does not exist for r\.io\/prod\/app: no signature for 1 \(sha256:1+\)$/,
    );
    assert.equal(
      refusal(REF, report([], 'r.io/prod/app', 'invalid', 'signature layer 0 has no annotation'))!.message,
      'No valid trust data for 1: signature layer 0 has no annotation',
    );
  });

  it('lets through what an off rule does not check, with the warning once per line', () => {
    for (const [stored, problem] of [
      ['none', undefined],
      ['invalid', 'bad .sig'],
      ['found', undefined],
    ] as const) {
      const r = report(stored === 'found' ? [untrusted()] : [], 'r.io/legacy/app', stored, problem);
      assert.equal(refusal(REF, r), undefined);
      const twice: VerificationReport = { ...r, digests: [r.digests[0]!, r.digests[0]!] };
      assert.deepEqual(policyWarnings(twice), ['r.io/legacy/app:1 not checked: rule r.io/legacy/* is off (overrides r.io/**)']);
    }
  });
});
