/**
 * Docker Content Trust private key files, `~/.docker/trust/private/<key id>.key`, as notary writes them
 * (notaryproject/notary tuf/utils/x509.go `ConvertPrivateKeyToPKCS8`, tuf/utils/pkcs8.go
 * `convertTUFKeyToPKCS8Encrypted`): PEM `ENCRYPTED PRIVATE KEY` with `gun:` / `role:` headers around a PKCS#8
 * EncryptedPrivateKeyInfo of PBES2 + PBKDF2 + AES-256-CBC. The DER is built by hand because notary's reader
 * (`ParsePKCS8ToTufKey`) derives the key with HMAC-SHA1 whatever the `prf` says, and node:crypto's export
 * writes hmacWithSHA256; leaving `prf` out states the SHA-1 default, which node and OpenSSL honour when reading
 * (privateKeyFromPem). Pure.
 */
import { createCipheriv, createPrivateKey, pbkdf2Sync, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { encodePem } from '../../encoding/index.ts';
import { KeyError } from '../../shared/errors.ts';

/** PBKDF2 iterations for new files (notary itself writes 2048 and reads any count from the file). */
export const NOTARY_KEY_ITERATIONS = 10000;

const PEM_TYPE = 'ENCRYPTED PRIVATE KEY';
const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';

/**
 * The PEM text of `pkcs8` (unencrypted PKCS#8 DER) encrypted under `passphrase` with a fresh 8-byte salt and
 * 16-byte IV unless given, written as Go's pem.Encode writes notary's block: headers sorted (`gun` only when
 * non-empty, then `role`), a blank line, 64-column base64. PASSPHRASE_REQUIRED for an empty passphrase;
 * KEY_INVALID for a non-PKCS#8 key, an empty or multi-line header value, or bad salt, IV or iterations.
 */
export function encodeNotaryKeyFile(
  pkcs8: Uint8Array,
  passphrase: string,
  headers: { role: string; gun?: string },
  opts: { iterations?: number; salt?: Uint8Array; iv?: Uint8Array } = {},
): string {
  if (passphrase === '') throw new KeyError('PASSPHRASE_REQUIRED', 'a passphrase is required to write a notary key file');
  if (!passphrase.isWellFormed()) throw new KeyError('KEY_INVALID', 'the passphrase is not well-formed unicode');
  const iterations = opts.iterations ?? NOTARY_KEY_ITERATIONS;
  const salt = opts.salt ?? randomBytes(8);
  const iv = opts.iv ?? randomBytes(16);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > 10_000_000)
    throw new KeyError('KEY_INVALID', 'PBKDF2 iterations must be 1 to 10000000');
  if (salt.length < 8) throw new KeyError('KEY_INVALID', 'the PBKDF2 salt must be at least 8 bytes');
  if (iv.length !== 16) throw new KeyError('KEY_INVALID', 'the AES-256-CBC IV must be 16 bytes');
  try {
    createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new KeyError('KEY_INVALID', 'not an unencrypted PKCS#8 private key', { cause });
  }
  const pemHeaders = headerEntries(headers);

  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha1');
  const cipher = createCipheriv('aes-256-cbc', key, iv); // PKCS#7 padding, as notary pads
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  key.fill(0);

  const der = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: OID_PBES2 }),
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [
                  new asn1js.ObjectIdentifier({ value: OID_PBKDF2 }),
                  // No keyLength, no prf: the default hmacWithSHA1 (RFC 8018 §A.2), as notary writes it.
                  new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: bytes(salt) }), new asn1js.Integer({ value: iterations })] }),
                ],
              }),
              new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID_AES256_CBC }), new asn1js.OctetString({ valueHex: bytes(iv) })] }),
            ],
          }),
        ],
      }),
      new asn1js.OctetString({ valueHex: bytes(ciphertext) }),
    ],
  }).toBER(false);

  return encodePem(PEM_TYPE, new Uint8Array(der), pemHeaders);
}

/** The headers sorted by name, as Go's pem.Encode writes a header map; values must read back unchanged. */
function headerEntries(headers: { role: string; gun?: string }): [string, string][] {
  const entries: [string, string | undefined][] = [
    ['gun', headers.gun],
    ['role', headers.role],
  ];
  if (headers.role === '') throw new KeyError('KEY_INVALID', 'a notary key file needs a role');
  return entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => {
      if (/[\x00-\x1f\x7f]/.test(value) || value.trim() !== value) {
        throw new KeyError('KEY_INVALID', `the ${name} header of a notary key file must be one line without surrounding spaces`);
      }
      return [name, value];
    });
}

function bytes(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
