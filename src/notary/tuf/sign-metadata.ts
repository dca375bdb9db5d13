/**
 * Writing Notary v1 metadata as notary's Go client does (tuf/signed/sign.go `Sign`, tuf/data `Signed`): the
 * `signed` value as canonical JSON, signatures over exactly those bytes (ecdsa: SHA-256 with raw r‖s; eddsa:
 * plain Ed25519), and the envelope as Go's json.Marshal writes it, because the server hashes its own
 * re-serialisation into the snapshot (notaryproject/notary server/snapshot): the bytes we upload must be the bytes it would write.
 * Pure.
 */
import { createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { NotaryError } from '../../shared/errors.ts';
import { canonicalJson } from './canonical-json.ts';
import { tufKeyId } from './key-id.ts';
import type { TufKey } from './types.ts';

/** Signs metadata for one key: its id as the role lists it and its notary method. */
export interface MetadataSigner {
  readonly keyid: string;
  readonly method: 'ecdsa' | 'eddsa';
  sign(message: Uint8Array): Uint8Array;
}

/** The KEY of an ECDSA P-256 public key as notary lists it (`ecdsa`, base64 SPKI DER). */
export function ecdsaTufKey(key: KeyObject): TufKey {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return { keytype: 'ecdsa', public: pub.export({ type: 'spki', format: 'der' }).toString('base64') };
}

/** The KEY of an Ed25519 public key (`ed25519`, base64 of the raw 32 bytes). */
export function ed25519TufKey(raw: Uint8Array): TufKey {
  return { keytype: 'ed25519', public: Buffer.from(raw).toString('base64') };
}

/** A signer with an ECDSA P-256 private key, listed under `keyid` (default: the id of its `ecdsa` KEY; root uses its certificate's). */
export function ecdsaMetadataSigner(key: KeyObject, keyid: string = tufKeyId(ecdsaTufKey(key))): MetadataSigner {
  return { keyid, method: 'ecdsa', sign: (m) => nodeSign('sha256', m, { key, dsaEncoding: 'ieee-p1363' }) };
}

/**
 * An ASN.1 DER ECDSA signature (`SEQUENCE { r INTEGER, s INTEGER }`, what cosign-style signers produce) as the raw
 * r‖s notary requires, each left-padded to `size` bytes; TRUST_DATA_INVALID for anything else.
 */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Buffer {
  const seq = tlv(Buffer.from(der), 0, 0x30);
  if (seq.next !== der.length) throw malformed();
  const r = tlv(seq.body, 0, 0x02);
  const s = tlv(seq.body, r.next, 0x02);
  if (s.next !== seq.body.length) throw malformed();
  return Buffer.concat([padded(r.body, size), padded(s.body, size)]);
}

const malformed = () => new NotaryError('TRUST_DATA_INVALID', 'malformed ecdsa signature');

/** One DER TLV with `tag` at `at` (short or one-byte long length): its body and where the next one starts. */
function tlv(b: Buffer, at: number, tag: number): { body: Buffer; next: number } {
  if (b[at] !== tag) throw malformed();
  let len = b[at + 1] ?? -1;
  let start = at + 2;
  if (len === 0x81) {
    len = b[at + 2] ?? -1;
    start++;
  } else if (len > 0x7f) throw malformed();
  if (len < 0 || start + len > b.length) throw malformed();
  return { body: b.subarray(start, start + len), next: start + len };
}

/** An unsigned DER INTEGER body as exactly `size` big-endian bytes. */
function padded(n: Buffer, size: number): Buffer {
  let i = 0;
  while (i < n.length - 1 && n[i] === 0) i++;
  const v = n.subarray(i);
  if (v.length > size || ((v[0] ?? 0) & 0x80 && n[0] !== 0)) throw malformed();
  return Buffer.concat([Buffer.alloc(size - v.length), v]);
}

/** A KEY as it is written into root.keys or delegations.keys. */
export function keyJson(key: TufKey): { keytype: string; keyval: { private: null; public: string } } {
  return { keytype: key.keytype, keyval: { private: null, public: key.public } };
}

/**
 * The file bytes of `signed` signed by `signers`: `{"signed":<canonical>,"signatures":[{"keyid","method","sig"}]}`
 * as Go's json.Marshal writes the envelope (which also HTML-escapes `<`, `>`, `&`, U+2028 and U+2029, so strings
 * holding them are refused rather than written differently from what the server would hash).
 */
export function signMetadata(signed: unknown, signers: readonly MetadataSigner[]): Buffer {
  if (signers.length === 0) throw new NotaryError('TRUST_DATA_INVALID', 'metadata needs at least one signature');
  const message = canonicalJson(signed);
  if (/[<>&\u2028\u2029]/.test(message.toString('utf8'))) {
    throw new NotaryError('TRUST_DATA_INVALID', 'metadata may not contain <, >, & or line/paragraph separators');
  }
  const signatures = signers.map((s) => ({ keyid: s.keyid, method: s.method, sig: Buffer.from(s.sign(message)).toString('base64') }));
  const envelope = Buffer.from(`{"signed":`, 'utf8');
  const tail = Buffer.from(`,"signatures":[${signatures.map((s) => `{"keyid":"${s.keyid}","method":"${s.method}","sig":"${s.sig}"}`).join(',')}]}`, 'utf8');
  return Buffer.concat([envelope, message, tail]);
}
