/** Delegations (skipped roles, paths) and docker's pull lookup: targets/releases first, then targets, nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupTarget, verifyRepository, type VerifiedRepository } from '../../src/notary/tuf/index.ts';
import { FUTURE, PAST, RELEASE_DIGEST, TAG_DIGEST, digestOf, ecdsaSigner, encode, envelope, fileMeta, repoSpec, type RepoSpec } from './tuf-fixtures.ts';
import { throwsWithCode } from '../kit/index.ts';

const verify = (spec: RepoSpec) => verifyRepository(encode(spec));
const fm = (text: string, length = 10) => ({ hashes: { sha256: digestOf(text).b64 }, length });

/** The verified repository of `spec` with hand-made extra roles (name → targets) merged in, for lookup tests. */
function withRoles(
  v: VerifiedRepository,
  extra: Record<string, Record<string, ReturnType<typeof fm>>>,
  children: Record<string, string[]>,
): VerifiedRepository {
  const targets = new Map(v.targets);
  for (const [role, t] of Object.entries(extra)) targets.set(role, new Map(Object.entries(t)));
  const kids = new Map(v.children);
  for (const [role, c] of Object.entries(children)) kids.set(role, [...(kids.get(role) ?? []), ...c]);
  return { ...v, targets, children: kids };
}

describe('delegations', () => {
  const skips: [string, (s: RepoSpec) => void, string][] = [
    [
      'expired',
      (s) => {
        s.releases!.expires = PAST;
      },
      'expired',
    ],
    [
      'signed by a key the parent does not delegate to',
      (s) => {
        s.signers.releases = [ecdsaSigner()];
      },
      'threshold',
    ],
    [
      'left out of the snapshot',
      (s) => {
        s.patchMeta = (f, m) => {
          if (f === 'snapshot') delete m['targets/releases'];
        };
      },
      'not-in-snapshot',
    ],
  ];
  for (const [name, mutate, reason] of skips) {
    it(`skips targets/releases ${name}, as notary does, and the lookup falls back to targets`, () => {
      const spec = repoSpec();
      mutate(spec);
      const v = verify(spec);
      assert.deepEqual(v.skipped, [{ role: 'targets/releases', reason }]);
      assert.equal(v.targets.has('targets/releases'), false);
      assert.equal(lookupTarget(v, 'latest')?.digest, `sha256:${TAG_DIGEST.hex}`);
    });
  }

  it('skips a delegation whose bytes were not supplied', () => {
    const files = encode(repoSpec());
    files.delegations.clear();
    assert.deepEqual(verifyRepository(files).skipped, [{ role: 'targets/releases', reason: 'not-supplied' }]);
  });

  it('refuses a delegation older than the version seen before', () => {
    const files = encode(repoSpec());
    throwsWithCode(() => verifyRepository({ ...files, previous: new Map([['targets/releases', 2]]) }), 'TRUST_DATA_ROLLBACK');
  });

  it('drops target names outside the delegation paths; "" matches everything', () => {
    const spec = repoSpec();
    spec.targets.delegations.roles[0].paths = ['lat'];
    spec.releases!.targets = { latest: fm('a'), other: fm('b') };
    assert.deepEqual([...verify(spec).targets.get('targets/releases')!.keys()], ['latest']);
    spec.targets.delegations.roles[0].paths = [''];
    assert.deepEqual([...verify(spec).targets.get('targets/releases')!.keys()], ['latest', 'other']);
    delete spec.targets.delegations.roles[0].paths;
    assert.deepEqual([...verify(spec).targets.get('targets/releases')!.keys()], []);
  });

  it('verifies nested delegations with keys from their parent, restricted to the parent paths', () => {
    const spec = repoSpec();
    const child = ecdsaSigner();
    spec.targets.delegations.roles[0].paths = ['v1'];
    spec.releases!.targets = {};
    spec.releases!.delegations = {
      keys: { [child.id]: { keytype: 'ecdsa', keyval: { private: null, public: child.key.public } } },
      roles: [{ name: 'targets/releases/ci', keyids: [child.id], threshold: 1, paths: ['v', 'v1.2'] }],
    };
    const ci = envelope({ _type: 'Targets', expires: FUTURE, version: 1, targets: { 'v1.2': fm('x'), v2: fm('y') } }, [child]);
    spec.patchMeta = (f, m) => {
      if (f === 'snapshot') m['targets/releases/ci'] = fileMeta(ci);
    };
    const files = encode(spec);
    files.delegations.set('targets/releases/ci', ci);
    const v = verifyRepository(files);
    assert.deepEqual(v.children.get('targets/releases'), ['targets/releases/ci']);
    assert.deepEqual([...v.targets.get('targets/releases/ci')!.keys()], ['v1.2'], 'path "v" is not under the parent path "v1"');
    assert.equal(lookupTarget(v, 'v1.2'), undefined, 'found only in a child of targets/releases: docker refuses');
  });
});

describe('lookupTarget', () => {
  it('prefers targets/releases over targets, and falls back to targets', () => {
    const v = verify(repoSpec());
    assert.deepEqual(lookupTarget(v, 'latest'), { digest: `sha256:${RELEASE_DIGEST.hex}`, size: 600, role: 'targets/releases' });
    assert.deepEqual(lookupTarget(v, 'old'), { digest: `sha256:${digestOf('old').hex}`, size: 100, role: 'targets' });
  });

  it('returns undefined for an unknown tag', () => {
    assert.equal(lookupTarget(verify(repoSpec()), 'nope'), undefined);
  });

  it('ignores other delegations: a tag only in targets/alice has no trust data', () => {
    const v = withRoles(verify(repoSpec({ releases: false })), { 'targets/alice': { only: fm('alice') } }, { targets: ['targets/alice'] });
    assert.equal(lookupTarget(v, 'only'), undefined);
    assert.equal(lookupTarget(v, 'latest')?.role, 'targets');
  });

  it('takes the first hit of the walk even when it is in a role docker refuses', () => {
    // `old` is in targets, but the targets/releases subtree is walked first and its child has it.
    const v = withRoles(verify(repoSpec()), { 'targets/releases/x': { old: fm('x') } }, { 'targets/releases': ['targets/releases/x'] });
    assert.equal(lookupTarget(v, 'old'), undefined);
    assert.equal(lookupTarget(verify(repoSpec()), 'old')?.role, 'targets');
  });

  it('returns undefined when the target has no sha256', () => {
    const v = withRoles(verify(repoSpec({ releases: false })), {}, {});
    const targets = new Map(v.targets);
    targets.set('targets', new Map([['weird', { hashes: { sha512: 'x' }, length: 1 }]]));
    assert.equal(lookupTarget({ ...v, targets }, 'weird'), undefined);
  });
});
