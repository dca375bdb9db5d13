import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  buildSignatureImage,
  signatureLayer,
  decodePayload,
  encodePayload,
  judgeSignatures,
  parseSignatureManifest,
  signatureTag,
  type FoundSignature,
  type VerifyingKey,
} from '../../src/signature/index.ts';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const REPO = '127.0.0.1:5000/team/app';

function keyPair(name: string): { key: VerifyingKey; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const id = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  return { privateKey, key: { id, name, verify: (p, s) => verify(null, p, publicKey, s) } };
}

function signed(privateKey: KeyObject, payload: Buffer, layerDigest = `sha256:${'0'.repeat(64)}`): FoundSignature {
  return { layerDigest, payload, signature: sign(null, payload, privateKey).toString('base64') };
}

const payloadFor = (ref: string, digest: string, optional: Record<string, unknown> | null = null) =>
  encodePayload({ dockerReference: ref, manifestDigest: digest, optional });

describe('payload', () => {
  it('serialises exactly as sigstore/sigstore and containers/image write it (golden bytes)', () => {
    assert.equal(
      payloadFor(`${REPO}:1.0`, D1).toString(),
      `{"critical":{"identity":{"docker-reference":"${REPO}:1.0"},"image":{"docker-manifest-digest":"${D1}"},"type":"cosign container image signature"},"optional":null}`,
    );
    assert.equal(
      payloadFor(`${REPO}:1.0`, D1, { creator: 'trustext 0.1.0', timestamp: 1700000000 }).toString(),
      `{"critical":{"identity":{"docker-reference":"${REPO}:1.0"},"image":{"docker-manifest-digest":"${D1}"},"type":"cosign container image signature"},"optional":{"creator":"trustext 0.1.0","timestamp":1700000000}}`,
    );
  });

  it('round-trips through the strict parser', () => {
    const d = decodePayload(payloadFor(`${REPO}:1.0`, D1, { creator: 'x', timestamp: 1 }));
    assert.ok('payload' in d);
    assert.deepEqual(d.payload, { dockerReference: `${REPO}:1.0`, manifestDigest: D1, optional: { creator: 'x', timestamp: 1 } });
  });

  const crit = (inner: string) => `{"critical":${inner},"optional":null}`;
  const good = `{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"${D1}"},"type":"cosign container image signature"}`;
  for (const [name, text, why] of [
    ['an extra top-level field', `{"critical":${good},"optional":null,"x":1}`, /unexpected field "x"/],
    ['missing optional', `{"critical":${good}}`, /lacks field "optional"/],
    ['an extra critical field', crit(good.replace('"type"', '"extra":1,"type"')), /critical has unexpected field "extra"/],
    [
      'an extra image field',
      crit(good.replace(`"docker-manifest-digest":"${D1}"`, `"docker-manifest-digest":"${D1}","x":"y"`)),
      /critical.image has unexpected/,
    ],
    ['an extra identity field', crit(good.replace('"docker-reference":"r"', '"docker-reference":"r","x":"y"')), /critical.identity has unexpected/],
    ['the wrong type', crit(good.replace('cosign container image signature', 'atomic container signature')), /critical.type/],
    ['a non-string digest', crit(good.replace(`"${D1}"`, '1')), /not a string/],
    [
      'a duplicated digest key (JSON.parse would keep the last)',
      crit(good.replace(`"docker-manifest-digest":"${D1}"`, `"docker-manifest-digest":"${D1}","docker-manifest-digest":"${D2}"`)),
      /duplicate key "docker-manifest-digest"/,
    ],
    ['optional as an array', `{"critical":${good},"optional":[]}`, /optional is neither null nor an object/],
    ['a string timestamp', `{"critical":${good},"optional":{"timestamp":"1"}}`, /timestamp is not an integer/],
    ['a fractional timestamp', `{"critical":${good},"optional":{"timestamp":1.5}}`, /timestamp is not an integer/],
    ['a numeric creator', `{"critical":${good},"optional":{"creator":1}}`, /creator is not a string/],
    ['not JSON', '{"critical":', /not valid JSON/],
  ] as const) {
    it(`refuses ${name}`, () => {
      const d = decodePayload(Buffer.from(text));
      assert.ok('error' in d, 'must be refused');
      assert.match(d.error, why);
    });
  }
});

describe('.sig image layout', () => {
  it('builds cosign’s layout: OCI manifest, config diff_ids = payload digests, simplesigning layers with the signature annotation', () => {
    const payload = payloadFor(`${REPO}:1.0`, D1);
    const img = buildSignatureImage([signatureLayer({ payload, signature: 'c2ln' }).layer]);
    const m = JSON.parse(img.manifest.toString());
    const c = JSON.parse(img.config.bytes.toString());
    const payloadDigest = `sha256:${createHash('sha256').update(payload).digest('hex')}`;
    assert.equal(m.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(m.schemaVersion, 2);
    assert.deepEqual(m.config, {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      size: img.config.bytes.length,
      digest: `sha256:${createHash('sha256').update(img.config.bytes).digest('hex')}`,
    });
    assert.deepEqual(m.layers, [
      {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        size: payload.length,
        digest: payloadDigest,
        annotations: { 'dev.cosignproject.cosign/signature': 'c2ln' },
      },
    ]);
    assert.deepEqual(c.rootfs, { type: 'layers', diff_ids: [payloadDigest] });
    assert.equal(c.created, '0001-01-01T00:00:00Z');
  });

  it('names the tag sha256-<hex>.sig', () => assert.equal(signatureTag(D1), `sha256-${'a'.repeat(64)}.sig`));

  it('parses its own output and skips non-signature layers', () => {
    const img = buildSignatureImage([signatureLayer({ payload: Buffer.from('{}'), signature: 'AA==' }).layer]);
    const m = JSON.parse(img.manifest.toString());
    m.layers.push({ mediaType: 'application/vnd.in-toto+json', size: 1, digest: D2 });
    const r = parseSignatureManifest(Buffer.from(JSON.stringify(m)), undefined);
    assert.ok('layers' in r);
    assert.equal(r.layers.length, 1);
    assert.equal(r.layers[0]!.signature, 'AA==');
    assert.equal(r.skipped, 1, 'the attachment is counted, so a rewrite knows it would drop it');
  });

  for (const [name, mutate, why] of [
    [
      'a docker schema2 manifest',
      (m: any) => {
        m.mediaType = 'application/vnd.docker.distribution.manifest.v2+json';
      },
      /media type/,
    ],
    [
      'a layer without signature',
      (m: any) => {
        delete m.layers[0].annotations;
      },
      /no dev.cosignproject.cosign\/signature/,
    ],
    [
      'a bad layer digest',
      (m: any) => {
        m.layers[0].digest = 'sha256:xyz';
      },
      /invalid digest/,
    ],
    [
      'a negative size',
      (m: any) => {
        m.layers[0].size = -1;
      },
      /invalid size/,
    ],
    [
      'over 1000 layers',
      (m: any) => {
        m.layers = Array(1001).fill(m.layers[0]);
      },
      /over the 1000 limit/,
    ],
    [
      'layers not an array',
      (m: any) => {
        m.layers = {};
      },
      /no layers/,
    ],
  ] as const) {
    it(`refuses ${name}`, () => {
      const m = JSON.parse(buildSignatureImage([signatureLayer({ payload: Buffer.from('{}'), signature: 'AA==' }).layer]).manifest.toString());
      mutate(m);
      const r = parseSignatureManifest(Buffer.from(JSON.stringify(m)), undefined);
      assert.ok('error' in r);
      assert.match(r.error, why);
    });
  }
});

describe('judgeSignatures', () => {
  const alice = keyPair('alice');
  const mallory = keyPair('mallory');
  const want = { repository: REPO, digest: D1, tag: '1.0' };

  it('accepts a signature by a trusted key over the exact digest, repository and tag', () => {
    const [v] = judgeSignatures([signed(alice.privateKey, payloadFor(`${REPO}:1.0`, D1))], want, [alice.key]);
    assert.equal(v!.accepted, true, v!.reason);
    assert.equal(v!.key!.name, 'alice');
  });

  it('accepts by digest without a tag requirement, and an index.docker.io reference normalises', () => {
    const hub = 'docker.io/library/busybox';
    const [v] = judgeSignatures([signed(alice.privateKey, payloadFor('index.docker.io/library/busybox:1', D1))], { repository: hub, digest: D1 }, [alice.key]);
    assert.equal(v!.accepted, true, v!.reason);
  });

  const cases: [string, () => FoundSignature, readonly VerifyingKey[], RegExp][] = [
    ['a signature copied from another digest', () => signed(alice.privateKey, payloadFor(`${REPO}:1.0`, D2)), [alice.key], /it signs sha256:b+, not sha256:a+/],
    [
      'a payload rewritten to name another digest',
      () => {
        const s = signed(alice.privateKey, payloadFor(`${REPO}:1.0`, D2));
        return { ...s, payload: payloadFor(`${REPO}:1.0`, D1) };
      },
      [alice.key],
      /not signed by a trusted key/,
    ],
    [
      'a signature for the same digest in another repository',
      () => signed(alice.privateKey, payloadFor('127.0.0.1:5000/team/other:1.0', D1)),
      [alice.key],
      /signed for 127\.0\.0\.1:5000\/team\/other, not/,
    ],
    ['a signature for another tag', () => signed(alice.privateKey, payloadFor(`${REPO}:2.0`, D1)), [alice.key], /signed for tag 2\.0, not 1\.0/],
    ['a name-only reference on a tag pull', () => signed(alice.privateKey, payloadFor(REPO, D1)), [alice.key], /names no tag/],
    [
      'a bit-flipped signature',
      () => {
        const s = signed(alice.privateKey, payloadFor(`${REPO}:1.0`, D1));
        const b = Buffer.from(s.signature, 'base64');
        b[10]! ^= 1;
        return { ...s, signature: b.toString('base64') };
      },
      [alice.key],
      /not signed by a trusted key/,
    ],
    ['a signature by an untrusted key', () => signed(mallory.privateKey, payloadFor(`${REPO}:1.0`, D1)), [alice.key], /not signed by a trusted key/],
    ['any signature when no key is trusted', () => signed(alice.privateKey, payloadFor(`${REPO}:1.0`, D1)), [], /no key is trusted/],
    [
      'a signature that is not base64',
      () => ({ ...signed(alice.privateKey, payloadFor(`${REPO}:1.0`, D1)), signature: '!!!' }),
      [alice.key],
      /not signed by a trusted key/,
    ],
    ['a signed but malformed payload', () => signed(alice.privateKey, Buffer.from('{"critical":{}}')), [alice.key], /payload is malformed/],
    [
      'an unreadable payload',
      () => ({ layerDigest: D2, payload: undefined, signature: '', unreadable: 'blob digest mismatch' }),
      [alice.key],
      /could not be read: blob digest mismatch/,
    ],
  ];
  for (const [name, make, keys, why] of cases) {
    it(`refuses ${name}`, () => {
      const [v] = judgeSignatures([make()], want, keys);
      assert.equal(v!.accepted, false);
      assert.match(v!.reason, why);
    });
  }
});
