/**
 * The self-signed x509 certificate notary and docker make for a repository's root key
 * (notaryproject/notary tuf/utils/x509.go `NewCertificate`, cryptoservice/certificate.go `GenerateCertificate`,
 * encoded as Go's crypto/x509 `CreateCertificate` does). Pure: the caller passes the key and the clock.
 */
import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_kp_codeSigning,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Time,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { encodePem } from '../../encoding/index.ts';
import { KeyError } from '../../shared/errors.ts';

/** What a root certificate is made of; `serial` (big-endian magnitude) defaults to 128 random bits. */
export interface RootCertificateOptions {
  readonly gun: string;
  readonly privateKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serial?: Uint8Array;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

/**
 * The DER and Go-encoded PEM (`pem.EncodeToMemory`) of a v3 certificate with subject = issuer = CN=<gun>,
 * signed ecdsa-with-SHA256 by `privateKey` (P-256), KeyUsage digitalSignature|keyEncipherment (critical),
 * ExtKeyUsage codeSigning, BasicConstraints CA:FALSE (critical). KEY_INVALID for another key, an empty or
 * non-UTF-8 gun, bad dates or serial.
 */
export function createRootCertificate(opts: RootCertificateOptions): { der: Buffer; pem: string } {
  const key = opts.privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new KeyError('KEY_INVALID', 'a root certificate needs an ecdsa P-256 private key');
  }
  if (opts.gun === '' || !opts.gun.isWellFormed()) throw new KeyError('KEY_INVALID', 'a root certificate needs a non-empty, well-formed GUN');
  const notBefore = wholeSeconds(opts.notBefore);
  const notAfter = wholeSeconds(opts.notAfter);
  if (notAfter.getTime() <= notBefore.getTime()) throw new KeyError('KEY_INVALID', 'a root certificate must expire after it starts');

  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(positiveSerial(opts.serial ?? randomSerial())),
    signature: algorithm,
    issuer: commonName(opts.gun),
    validity: Object.assign(new Validity(), { notBefore: goTime(notBefore), notAfter: goTime(notAfter) }),
    subject: commonName(opts.gun),
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions([
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment)),
      extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_codeSigning])),
      extension(id_ce_basicConstraints, true, new BasicConstraints()),
    ]),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signatureValue = toArrayBuffer(sign('sha256', tbsDer, { key, dsaEncoding: 'der' }));
  const der = Buffer.from(AsnConvert.serialize(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue })));
  return { der, pem: encodePem('CERTIFICATE', der) };
}

/** Go's encoding/asn1 picks PrintableString when every character allows it (no '*', '&', '_', …), else UTF8String. */
function commonName(gun: string): Name {
  const value = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(gun) ? new AttributeValue({ printableString: gun }) : new AttributeValue({ utf8String: gun });
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: COMMON_NAME, value })])]);
}

/** RFC 5280 §4.1.2.5: UTCTime for 1950 through 2049, GeneralizedTime otherwise (as Go's asn1 marshals time.Time). */
function goTime(date: Date): Time {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? new Time({ utcTime: date }) : new Time({ generalTime: date });
}

function wholeSeconds(date: Date): Date {
  const ms = date.getTime();
  if (!Number.isFinite(ms) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    throw new KeyError('KEY_INVALID', 'a root certificate needs validity dates in years 1 to 9999');
  }
  return new Date(ms - (((ms % 1000) + 1000) % 1000));
}

/** 16 random bytes with a non-zero first byte, so the serial is a full 128-bit number (Go: `rand.Int(2^128)`). */
function randomSerial(): Uint8Array {
  for (;;) {
    const bytes = randomBytes(16);
    if (bytes[0] !== 0) return bytes;
  }
}

/** A DER INTEGER body for a positive magnitude: no redundant leading zeros, a 0x00 prefix when the high bit is set. */
function positiveSerial(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const body = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
  if (trimmed.length === 0 || body.length > 20) throw new KeyError('KEY_INVALID', 'a certificate serial must be positive and at most 20 bytes (RFC 5280)');
  return body;
}

function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
