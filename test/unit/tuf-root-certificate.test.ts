/**
 * The root certificate docker/notary make for a repository (createRootCertificate): read back with node's
 * X509Certificate, with @peculiar/asn1-x509 down to the DER of each extension (golden bytes as Go's
 * crypto/x509 marshals them), with openssl, and through the TUF key-id and root-trust code.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, ExtendedKeyUsage, KeyUsage, KeyUsageFlags, Version } from '@peculiar/asn1-x509';
import { canonicalKeyId, certificateOf, keyFromCertificate, tufKeyId, trustRoot, verifyRepository } from '../../src/notary/tuf/index.ts';
import { createRootCertificate } from '../../src/notary/tuf/root-certificate.ts';
import { encode, GUN, NOW, repoSpec, x509Signer } from './tuf-fixtures.ts';
import { throwsWithCode } from '../kit/index.ts';

const P256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const KEY = P256();
const FROM = new Date('2026-11-22T20:07:50.123Z');
const TO = new Date('2036-11-19T20:07:50.987Z');
const make = (o: { gun?: string; key?: KeyObject; from?: Date; to?: Date; serial?: Uint8Array } = {}) =>
  createRootCertificate({
    gun: o.gun ?? GUN,
    privateKey: o.key ?? KEY,
    notBefore: o.from ?? FROM,
    notAfter: o.to ?? TO,
    ...(o.serial && { serial: o.serial }),
  });
const parse = (der: Buffer) => AsnConvert.parse(der, Certificate);
const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b as ArrayBuffer).toString('hex');
const spkiB64 = (k: KeyObject) => createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('base64');

describe('createRootCertificate: as node:crypto reads it', () => {
  const { der, pem } = make();
  const cert = new X509Certificate(pem);

  it('is a self-signed certificate for CN=<gun> that verifies with its own key', () => {
    assert.equal(cert.subject, `CN=${GUN}`);
    assert.equal(cert.issuer, `CN=${GUN}`);
    assert.equal(cert.verify(createPublicKey(KEY)), true);
    // OpenSSL's X509_check_issued also wants keyCertSign in the issuer's KeyUsage, which notary's certificate
    // (like an openssl-made one with the same KeyUsage) lacks: the names and signature match, the check is false.
    assert.equal(cert.checkIssued(cert), false);
    assert.deepEqual(parse(der).tbsCertificate.issuer, parse(der).tbsCertificate.subject);
    assert.equal(cert.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), spkiB64(KEY));
    assert.deepEqual(cert.raw, der);
  });

  it('is valid from notBefore to notAfter, truncated to the second', () => {
    assert.equal(cert.validFromDate.toISOString(), '2026-11-22T20:07:50.000Z');
    assert.equal(cert.validToDate.toISOString(), '2036-11-19T20:07:50.000Z');
  });

  it('is not a CA and is for code signing', () => {
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.3']);
  });

  it('is PEM as Go writes it: 64-column lines, LF endings, one trailing LF', () => {
    const lines = pem.split('\n');
    assert.equal(lines[0], '-----BEGIN CERTIFICATE-----');
    assert.deepEqual(lines.slice(-2), ['-----END CERTIFICATE-----', '']);
    for (const line of lines.slice(1, -3)) assert.equal(line.length, 64);
    assert.ok(lines.at(-3)!.length > 0 && lines.at(-3)!.length <= 64);
    assert.ok(!pem.includes('\r'));
    assert.equal(Buffer.from(lines.slice(1, -2).join(''), 'base64').toString('hex'), der.toString('hex'));
  });
});

describe('createRootCertificate: the DER, field by field', () => {
  const c = parse(make().der);
  const tbs = c.tbsCertificate;

  it('is v3, ecdsa-with-SHA256 with absent parameters inside and out', () => {
    assert.equal(tbs.version, Version.v3);
    for (const alg of [tbs.signature, c.signatureAlgorithm]) {
      assert.equal(alg.algorithm, '1.2.840.10045.4.3.2');
      assert.equal(alg.parameters, undefined);
      assert.equal(hex(AsnConvert.serialize(alg)), '300a06082a8648ce3d040302');
    }
    assert.equal(Buffer.from(c.signatureValue).readUInt8(0), 0x30, 'the signature is a DER SEQUENCE');
  });

  it('has KeyUsage (critical), ExtKeyUsage codeSigning, BasicConstraints (critical) CA:FALSE, in that order', () => {
    const exts = tbs.extensions!;
    assert.deepEqual(
      [...exts].map((e) => [e.extnID, e.critical]),
      [
        ['2.5.29.15', true],
        ['2.5.29.37', false],
        ['2.5.29.19', true],
      ],
    );
    const ku = AsnConvert.parse(exts[0]!.extnValue, KeyUsage);
    assert.equal(ku.toNumber(), KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment);
    assert.deepEqual([...AsnConvert.parse(exts[1]!.extnValue, ExtendedKeyUsage)], ['1.3.6.1.5.5.7.3.3']);
    assert.equal(AsnConvert.parse(exts[2]!.extnValue, BasicConstraints).cA, false);
    // Go's crypto/x509: BIT STRING 05 a0 (3 bits used), EKU SEQUENCE OF OID, and an empty SEQUENCE for CA:FALSE.
    assert.equal(
      hex(AsnConvert.serialize(exts)),
      '3033' + '300e0603551d0f0101ff0404030205a0' + '30130603551d25040c300a06082b06010505070303' + '300c0603551d130101ff04023000',
    );
  });

  it('draws a positive 128-bit serial: 16 bytes, or 17 with a 0x00 sign byte', () => {
    for (let i = 0; i < 64; i++) {
      const serial = new Uint8Array(parse(make().der).tbsCertificate.serialNumber);
      assert.ok(serial.length === 16 || serial.length === 17, `serial of ${serial.length} bytes`);
      if (serial.length === 17) assert.ok(serial[0] === 0 && serial[1]! >= 0x80);
      else assert.ok(serial[0]! > 0 && serial[0]! < 0x80);
    }
  });

  it('encodes a given serial minimally and positively', () => {
    const serialOf = (s: number[]) => hex(parse(make({ serial: Uint8Array.from(s) }).der).tbsCertificate.serialNumber);
    assert.equal(serialOf([0x01, 0x02]), '0102');
    assert.equal(serialOf([0x00, 0x00, 0x7f]), '7f');
    assert.equal(serialOf([0x80, 0x01]), '008001');
    assert.equal(serialOf([0x00, 0xff]), '00ff');
    throwsWithCode(() => make({ serial: Uint8Array.of(0, 0) }), 'KEY_INVALID', /serial/);
    throwsWithCode(() => make({ serial: new Uint8Array(20).fill(0x80) }), 'KEY_INVALID', /serial/);
  });

  it('uses UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', () => {
    const times = (from: string, to: string) => {
      const v = parse(make({ from: new Date(from), to: new Date(to) }).der).tbsCertificate.validity;
      return [v.notBefore, v.notAfter].map((t) => (t.utcTime ? `utc ${t.utcTime.toISOString()}` : `gen ${t.generalTime?.toISOString()}`));
    };
    assert.deepEqual(times('2049-12-31T23:59:59.999Z', '2050-01-01T00:00:00.500Z'), ['utc 2049-12-31T23:59:59.000Z', 'gen 2050-01-01T00:00:00.000Z']);
    assert.deepEqual(times('1949-12-31T23:59:59Z', '1950-01-01T00:00:00Z'), ['gen 1949-12-31T23:59:59.000Z', 'utc 1950-01-01T00:00:00.000Z']);
    const cert = new X509Certificate(make({ to: new Date('2056-01-02T03:04:05.678Z') }).pem);
    assert.equal(cert.validToDate.toISOString(), '2056-01-02T03:04:05.000Z');
  });

  it('writes the CN as PrintableString when Go would, else UTF8String', () => {
    const tagOf = (gun: string) => {
      const name = parse(make({ gun }).der).tbsCertificate.subject;
      const value = name[0]![0]!.value;
      assert.equal(value.toString(), gun);
      return value.printableString !== undefined ? 'printable' : value.utf8String !== undefined ? 'utf8' : 'other';
    };
    assert.equal(tagOf('localhost:5000/demo/hello'), 'printable');
    assert.equal(tagOf("docker.io/library/a-b.c (x)+,='?"), 'printable');
    assert.equal(tagOf('registry.example/team/my_app'), 'utf8');
    assert.equal(tagOf('registry.example/*&'), 'utf8');
    assert.equal(tagOf('registry.example/é'), 'utf8');
    assert.equal(new X509Certificate(make({ gun: 'reg.example/my_app' }).pem).subject, 'CN=reg.example/my_app');
  });

  it('is deterministic apart from the ECDSA signature', () => {
    const serial = Uint8Array.of(1, 2, 3);
    assert.deepEqual(parse(make({ serial }).der).tbsCertificateRaw, parse(make({ serial }).der).tbsCertificateRaw);
  });
});

describe('createRootCertificate: refusals', () => {
  it('takes only an ecdsa P-256 private key', () => {
    for (const key of [
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
      generateKeyPairSync('ed25519').privateKey,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      createPublicKey(KEY),
    ])
      throwsWithCode(() => make({ key }), 'KEY_INVALID', /P-256/);
  });

  it('needs a GUN and a validity that ends after it starts (at second precision)', () => {
    throwsWithCode(() => make({ gun: '' }), 'KEY_INVALID', /GUN/);
    throwsWithCode(() => make({ gun: 'a/\ud800' }), 'KEY_INVALID', /GUN/);
    throwsWithCode(() => make({ to: FROM }), 'KEY_INVALID', /expire/);
    throwsWithCode(() => make({ from: TO, to: FROM }), 'KEY_INVALID', /expire/);
    throwsWithCode(() => make({ from: new Date('2030-01-01T00:00:00.100Z'), to: new Date('2030-01-01T00:00:00.900Z') }), 'KEY_INVALID', /expire/);
    throwsWithCode(() => make({ to: new Date(Number.NaN) }), 'KEY_INVALID', /dates/);
  });
});

describe('createRootCertificate: with the rest of trustext and with openssl', () => {
  const { der, pem } = make();
  const x509Key = { keytype: 'ecdsa-x509', public: Buffer.from(pem).toString('base64') } as const;

  it('has the canonical key id of its SPKI, and is its own Go re-encoding (CertToKey)', () => {
    assert.equal(canonicalKeyId(x509Key), tufKeyId({ keytype: 'ecdsa', public: spkiB64(KEY) }));
    assert.notEqual(tufKeyId(x509Key), canonicalKeyId(x509Key));
    assert.deepEqual(certificateOf(x509Key).raw, der);
    assert.deepEqual(keyFromCertificate(new X509Certificate(pem)), x509Key);
  });

  it('signs a root that trustRoot and verifyRepository accept', () => {
    const root = x509Signer({ cert: pem, key: KEY.export({ type: 'pkcs8', format: 'pem' }).toString() });
    const files = encode(repoSpec({ root }));
    assert.ok(NOW > FROM && NOW < TO);
    assert.equal(trustRoot({ gun: GUN, root: files.root, now: NOW }).signed.version, 1);
    assert.equal(verifyRepository(files).root.signed.version, 1);
  });

  const dir = mkdtempSync(join(tmpdir(), 'trustext-cert-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads in openssl as CA:FALSE, digital signature + key encipherment (critical), code signing', () => {
    const file = join(dir, 'root.pem');
    writeFileSync(file, pem);
    const text = execFileSync('openssl', ['x509', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, new RegExp(`Issuer: CN ?= ?${GUN}`));
    assert.match(text, new RegExp(`Subject: CN ?= ?${GUN}`));
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    assert.match(text, /X509v3 Extended Key Usage: *\n\s+Code Signing/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /Not After : Nov 19 20:07:50 2036 GMT/);
    execFileSync('openssl', ['verify', '-CAfile', file, '-partial_chain', '-purpose', 'any', file], { encoding: 'utf8' });
  });
});
