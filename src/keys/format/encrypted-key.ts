/**
 * cosign's encrypted private key file (sigstore/cosign pkg/cosign/keys.go, secure-systems-lab/go-securesystemslib encrypted): a PEM block whose body is the JSON of
 * go-securesystemslib `encrypted` (v0.11.0, same as go-tuf v0.5.1's):
 *
 *   {"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":b64(32 bytes)},
 *    "cipher":{"name":"nacl/secretbox","nonce":b64(24 bytes)},"ciphertext":b64(secretbox)}
 *
 * key = scrypt(passphrase, salt, N, r, p, 32); ciphertext = NaCl secretbox (XSalsa20-Poly1305, 16-byte tag
 * first) of the PKCS#8 DER. New files use `ENCRYPTED COSIGN PRIVATE KEY` and N=2^15, the one combination
 * both cosign and containers/image v5.23 (go-tuf v0.5.1 decrypts only N=32768) read (§8.6). Pure.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { KeyError } from '../../shared/errors.ts';
import { decodeBase64Canonical, decodePem, encodePem } from '../../encoding/index.ts';

/** The PEM type trustext writes (cosign's legacy label, read by every cosign and c/image >= v5.23). */
export const COSIGN_PRIVATE_KEY_PEM_TYPE = 'ENCRYPTED COSIGN PRIVATE KEY';
/** cosign's current default PEM type; read, never written. */
export const SIGSTORE_PRIVATE_KEY_PEM_TYPE = 'ENCRYPTED SIGSTORE PRIVATE KEY';

/** The scrypt work factors go-securesystemslib accepts (legacy, standard, OWASP), each with r=8, p=1. */
export type ScryptN = 32768 | 65536 | 131072;
const ACCEPTED_N: readonly number[] = [32768, 65536, 131072];
const SCRYPT_R = 8;
const SCRYPT_P = 1;

/** A passphrase: text (encoded as UTF-8, as Go's []byte(string)) or raw bytes. */
export type Passphrase = string | Uint8Array;

/** The encrypted PEM text of a PKCS#8 DER private key: fresh 32-byte salt, 24-byte nonce, N=2^15 unless given. */
export async function encryptPrivateKey(pkcs8Der: Uint8Array, passphrase: Passphrase, options: { N?: ScryptN } = {}): Promise<string> {
  const N = options.N ?? 32768;
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const key = await deriveKey(passphrase, salt, N);
  const ciphertext = xsalsa20poly1305(key, nonce).encrypt(pkcs8Der);
  key.fill(0);
  const doc = {
    kdf: { name: 'scrypt', params: { N, r: SCRYPT_R, p: SCRYPT_P }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  return encodePem(COSIGN_PRIVATE_KEY_PEM_TYPE, Buffer.from(JSON.stringify(doc), 'utf8'));
}

/**
 * The PKCS#8 DER inside an `ENCRYPTED COSIGN PRIVATE KEY` or `ENCRYPTED SIGSTORE PRIVATE KEY` file.
 * KEY_INVALID for another PEM type, malformed JSON, another KDF or cipher, or scrypt parameters other
 * than N in {2^15, 2^16, 2^17} with r=8, p=1; PASSPHRASE_WRONG when the secretbox does not authenticate
 * (a wrong passphrase, or a file altered after encryption). Messages never contain the passphrase.
 */
export async function decryptPrivateKey(pem: string, passphrase: Passphrase): Promise<Uint8Array> {
  const block = decodePem(pem);
  if (block.type !== COSIGN_PRIVATE_KEY_PEM_TYPE && block.type !== SIGSTORE_PRIVATE_KEY_PEM_TYPE) {
    throw new KeyError('KEY_INVALID', `expected an encrypted cosign private key, found a PEM "${block.type}" block`);
  }
  const { N, salt, nonce, ciphertext } = parseEncrypted(block.body);
  const key = await deriveKey(passphrase, salt, N);
  try {
    return xsalsa20poly1305(key, nonce).decrypt(ciphertext);
  } catch (cause) {
    throw new KeyError('PASSPHRASE_WRONG', 'wrong passphrase for the private key (or the key file was altered)', { cause });
  } finally {
    key.fill(0);
  }
}

function parseEncrypted(body: Buffer): { N: number; salt: Buffer; nonce: Buffer; ciphertext: Buffer } {
  const invalid = (what: string) => new KeyError('KEY_INVALID', `encrypted private key: ${what}`);
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new KeyError('KEY_INVALID', 'encrypted private key: the body is not JSON', { cause });
  }
  const kdf = at(doc, 'kdf', 'name');
  const cipher = at(doc, 'cipher', 'name');
  if (kdf !== 'scrypt') throw invalid(`unsupported kdf ${JSON.stringify(String(kdf)).slice(0, 40)}`);
  if (cipher !== 'nacl/secretbox') throw invalid(`unsupported cipher ${JSON.stringify(String(cipher)).slice(0, 40)}`);
  const [N, r, p] = ['N', 'r', 'p'].map((k) => at(doc, 'kdf', 'params', k));
  if (typeof N !== 'number' || !ACCEPTED_N.includes(N) || r !== SCRYPT_R || p !== SCRYPT_P) {
    throw invalid(`unsupported scrypt parameters N=${String(N)} r=${String(r)} p=${String(p)} (N must be 2^15, 2^16 or 2^17 with r=8, p=1)`);
  }
  const salt = bytesField(at(doc, 'kdf', 'salt'));
  const nonce = bytesField(at(doc, 'cipher', 'nonce'));
  const ciphertext = bytesField(at(doc, 'ciphertext'));
  if (!salt || salt.length === 0) throw invalid('missing or malformed salt');
  if (nonce?.length !== 24) throw invalid('the nonce must be 24 bytes of base64');
  if (!ciphertext || ciphertext.length < 16) throw invalid('missing or malformed ciphertext');
  return { N, salt, nonce, ciphertext };
}

/** The value at a property path of parsed JSON, or undefined when any step is missing or not an object. */
function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const k of path) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function bytesField(value: unknown): Buffer | undefined {
  return typeof value === 'string' ? decodeBase64Canonical(value) : undefined;
}

/** scrypt needs 128·N·r bytes; node's 32 MiB default maxmem is too small for N=2^17, so allow twice that. */
function deriveKey(passphrase: Passphrase, salt: Uint8Array, N: number): Promise<Buffer> {
  const secret = typeof passphrase === 'string' ? Buffer.from(passphrase, 'utf8') : passphrase;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, 32, { N, r: SCRYPT_R, p: SCRYPT_P, maxmem: 256 * N * SCRYPT_R }, (err, key) => {
      if (err) reject(new KeyError('KEY_INVALID', 'scrypt key derivation failed', { cause: err }));
      else resolve(key);
    });
  });
}
