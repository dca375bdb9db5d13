/** verifyRepository: the whole chain, and every refusal (expiry, rollback, hashes, lengths, signatures, threshold). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupTarget, verifyRepository, type RepositoryInput } from '../../src/notary/tuf/index.ts';
import { NOW, PAST, RELEASE_DIGEST, ecdsaSigner, encode, repoSpec, type RepoFiles, type RepoSpec } from './tuf-fixtures.ts';
import { throwsWithCode } from '../kit/index.ts';

const flip = (b: Buffer, at = b.length - 5) => {
  const c = Buffer.from(b);
  c[at]! ^= 1;
  return c;
};
const input = (f: RepoFiles, extra: Partial<RepositoryInput> = {}): RepositoryInput => ({ ...f, ...extra });

describe('verifyRepository', () => {
  it('verifies a docker-shaped repository and reports versions and targets', () => {
    const spec = repoSpec();
    const v = verifyRepository(input(encode(spec)));
    assert.deepEqual(v.rootKeyIds, [spec.keys.root.id]);
    assert.notEqual(v.rootCanonicalKeyIds[0], spec.keys.root.id);
    assert.deepEqual(
      [...v.versions],
      [
        ['root', 1],
        ['timestamp', 3],
        ['snapshot', 3],
        ['targets', 2],
        ['targets/releases', 1],
      ],
    );
    assert.deepEqual([...v.targets.keys()], ['targets', 'targets/releases']);
    assert.deepEqual(v.children.get('targets'), ['targets/releases']);
    assert.deepEqual(v.skipped, []);
    assert.equal(lookupTarget(v, 'latest')?.digest, `sha256:${RELEASE_DIGEST.hex}`);
  });

  const expiries: [string, (s: RepoSpec) => void, RegExp][] = [
    [
      'timestamp',
      (s) => {
        s.timestamp.expires = PAST;
      },
      /^timestamp/,
    ],
    [
      'snapshot',
      (s) => {
        s.snapshot.expires = PAST;
      },
      /^snapshot/,
    ],
    [
      'targets',
      (s) => {
        s.targets.expires = PAST;
      },
      /^targets/,
    ],
    [
      'root',
      (s) => {
        s.root.expires = PAST;
      },
      /^root/,
    ],
  ];
  for (const [role, mutate, pattern] of expiries) {
    it(`refuses an expired ${role} (TRUST_DATA_EXPIRED)`, () => {
      const spec = repoSpec();
      mutate(spec);
      throwsWithCode(() => verifyRepository(input(encode(spec))), 'TRUST_DATA_EXPIRED', pattern);
    });
  }

  const rollbacks: [string, number][] = [
    ['root', 2],
    ['timestamp', 4],
    ['snapshot', 4],
    ['targets', 3],
  ];
  for (const [role, seen] of rollbacks) {
    it(`refuses ${role} older than the version seen before (TRUST_DATA_ROLLBACK)`, () => {
      const files = encode(repoSpec());
      throwsWithCode(() => verifyRepository(input(files, { previous: new Map([[role, seen]]) })), 'TRUST_DATA_ROLLBACK');
      verifyRepository(input(files, { previous: new Map([[role, seen - 1]]) }));
    });
  }

  const tampered: [string, (f: RepoFiles) => void, RegExp][] = [
    [
      'snapshot bytes (timestamp hash)',
      (f) => {
        f.snapshot = flip(f.snapshot);
      },
      /snapshot does not match the sha256/,
    ],
    [
      'targets bytes (snapshot hash)',
      (f) => {
        f.targets = flip(f.targets);
      },
      /targets does not match the sha256/,
    ],
    [
      'root bytes (snapshot hash)',
      (f) => {
        f.root = Buffer.from(f.root.toString().replace('"version":1}', '"version":1 }'));
      },
      /root is \d+ bytes/,
    ],
    [
      'targets/releases bytes',
      (f) => {
        f.delegations.set('targets/releases', flip(f.delegations.get('targets/releases')!));
      },
      /targets\/releases does not match/,
    ],
    [
      'targets with an extra byte (length)',
      (f) => {
        f.targets = Buffer.concat([f.targets, Buffer.from(' ')]);
      },
      /targets is \d+ bytes, snapshot says/,
    ],
  ];
  for (const [name, tamper, pattern] of tampered) {
    it(`refuses tampered ${name}`, () => {
      const files = encode(repoSpec());
      tamper(files);
      throwsWithCode(() => verifyRepository(input(files)), 'TRUST_DATA_INVALID', pattern);
    });
  }

  const metaPatches: [string, (file: 'snapshot' | 'timestamp', meta: Record<string, any>) => void, RegExp][] = [
    [
      'a targets length the snapshot lies about',
      (file, m) => {
        if (file === 'snapshot') m.targets.length += 1;
      },
      /targets is \d+ bytes/,
    ],
    [
      'a snapshot length the timestamp lies about',
      (file, m) => {
        if (file === 'timestamp') m.snapshot.length -= 1;
      },
      /snapshot is \d+ bytes/,
    ],
    [
      'a sha512 mismatch with a good sha256',
      (file, m) => {
        if (file === 'snapshot') m.targets.hashes.sha512 = m.root.hashes.sha512;
      },
      /sha512/,
    ],
    [
      'a snapshot without targets',
      (file, m) => {
        if (file === 'snapshot') delete m.targets;
      },
      /snapshot.meta.targets has no sha256/,
    ],
  ];
  for (const [name, patchMeta, pattern] of metaPatches) {
    it(`refuses ${name}`, () => {
      const spec = repoSpec();
      spec.patchMeta = patchMeta;
      throwsWithCode(() => verifyRepository(input(encode(spec))), 'TRUST_DATA_INVALID', pattern);
    });
  }

  const signatures: [string, (s: RepoSpec) => void, RegExp][] = [
    [
      'targets signed by the snapshot key',
      (s) => {
        s.signers.targets = [s.keys.snapshot];
      },
      /^targets: 0 valid/,
    ],
    [
      'targets signed by an unknown key',
      (s) => {
        s.signers.targets = [ecdsaSigner()];
      },
      /^targets: 0 valid/,
    ],
    [
      'targets signed with DER instead of raw r||s',
      (s) => {
        const der = ecdsaSigner({ der: true });
        s.keys.targets = der;
        s.signers.targets = [der];
        s.root.keys[der.id] = { keytype: 'ecdsa', keyval: { private: null, public: der.key.public } };
        s.root.roles.targets = { keyids: [der.id], threshold: 1 };
      },
      /^targets: 0 valid/,
    ],
    [
      'timestamp signed by the snapshot key',
      (s) => {
        s.signers.timestamp = [s.keys.snapshot];
      },
      /^timestamp: 0 valid/,
    ],
    [
      'snapshot with no signatures',
      (s) => {
        s.signers.snapshot = [];
      },
      /^snapshot: 0 valid/,
    ],
    [
      'targets threshold 2 with one signature',
      (s) => {
        const second = ecdsaSigner();
        s.root.keys[second.id] = { keytype: 'ecdsa', keyval: { private: null, public: second.key.public } };
        s.root.roles.targets = { keyids: [s.keys.targets.id, second.id], threshold: 2 };
      },
      /^targets: 1 valid signature\(s\), threshold is 2/,
    ],
    [
      'a root key listed under an id that is not its own',
      (s) => {
        const fake = 'f'.repeat(64);
        s.root.keys[fake] = s.root.keys[s.keys.targets.id];
        s.root.roles.targets = { keyids: [fake], threshold: 1 };
        s.signers.targets = [{ ...s.keys.targets, id: fake }];
      },
      /does not have that id/,
    ],
  ];
  for (const [name, mutate, pattern] of signatures) {
    it(`refuses ${name}`, () => {
      const spec = repoSpec();
      mutate(spec);
      throwsWithCode(() => verifyRepository(input(encode(spec))), 'TRUST_DATA_INVALID', pattern);
    });
  }

  it('accepts targets at threshold 2 with both signatures (the threshold test can pass)', () => {
    const spec = repoSpec();
    const second = ecdsaSigner();
    spec.root.keys[second.id] = { keytype: 'ecdsa', keyval: { private: null, public: second.key.public } };
    spec.root.roles.targets = { keyids: [spec.keys.targets.id, second.id], threshold: 2 };
    spec.signers.targets.push(second);
    verifyRepository(input(encode(spec)));
  });

  const malformed: [string, (s: RepoSpec) => void, RegExp][] = [
    [
      'a wrong _type',
      (s) => {
        s.targets._type = 'Snapshot';
      },
      /_type/,
    ],
    [
      'a fractional version',
      (s) => {
        s.targets.version = 1.5;
      },
      /integers only|version/,
    ],
    [
      'version 0',
      (s) => {
        s.targets.version = 0;
      },
      /version/,
    ],
    [
      'a bad expiry',
      (s) => {
        s.targets.expires = '2030-01-01';
      },
      /invalid time/,
    ],
    [
      'a target hash that is not 32 bytes',
      (s) => {
        s.targets.targets.latest.hashes.sha256 = 'AAAA';
      },
      /3 bytes, not 32/,
    ],
    [
      'a delegation that is not a direct child',
      (s) => {
        s.targets.delegations.roles[0].name = 'targets/a/b';
      },
      /not a direct delegation/,
    ],
    [
      'a role naming a key root lacks',
      (s) => {
        s.root.roles.snapshot.keyids = ['0'.repeat(64)];
      },
      /root.keys lacks/,
    ],
  ];
  for (const [name, mutate, pattern] of malformed) {
    it(`refuses metadata with ${name}`, () => {
      const spec = repoSpec();
      mutate(spec);
      throwsWithCode(() => verifyRepository(input(encode(spec))), 'TRUST_DATA_INVALID', pattern);
    });
  }

  it('refuses files that are not JSON envelopes', () => {
    const files = encode(repoSpec());
    throwsWithCode(() => verifyRepository(input(files, { timestamp: Buffer.from('[]') })), 'TRUST_DATA_INVALID');
    throwsWithCode(() => verifyRepository(input(files, { timestamp: Buffer.from('{"signed":') })), 'TRUST_DATA_INVALID');
  });

  it('uses the caller clock: the same files are expired later', () => {
    const files = encode(repoSpec());
    verifyRepository(input(files, { now: NOW }));
    throwsWithCode(() => verifyRepository(input(files, { now: new Date('2030-01-01T00:00:00.001Z') })), 'TRUST_DATA_EXPIRED');
  });
});
