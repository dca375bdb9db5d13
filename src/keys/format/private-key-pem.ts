/**
 * Private key files made by other tools, read for importing into the key store:
 *   - `PRIVATE KEY`: unencrypted PKCS#8 (RFC 5208; `openssl genpkey`, node:crypto);
 *   - `EC PRIVATE KEY`: SEC1 (RFC 5915; `openssl ecparam -genkey`), plain or OpenSSL-legacy encrypted
 *     (`Proc-Type: 4,ENCRYPTED` + `DEK-Info`, as notary before v0.6 wrote);
 *   - `ENCRYPTED PRIVATE KEY`: PKCS#8 EncryptedPrivateKeyInfo (RFC 5958, PBES2), what Docker Content Trust
 *     (notary's trustmanager) writes to ~/.docker/trust/private, with `role:` / `gun:` PEM headers;
 *   - `ENCRYPTED COSIGN PRIVATE KEY` / `ENCRYPTED SIGSTORE PRIVATE KEY`: cosign's (encrypted-key.ts).
 * Only Ed25519 and ECDSA P-256 keys are accepted (KEY_INVALID naming anything else). Pure.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { decodePemWithHeaders, encodePem, type PemBlockWithHeaders } from '../../encoding/index.ts';
import { KeyError } from '../../shared/errors.ts';
import { COSIGN_PRIVATE_KEY_PEM_TYPE, decryptPrivateKey, SIGSTORE_PRIVATE_KEY_PEM_TYPE, type Passphrase } from './encrypted-key.ts';
import { privateKeyFromPkcs8, type PrivateKey } from './private-key.ts';

/** The PEM block types privateKeyFromPem reads. */
export const IMPORTABLE_PRIVATE_KEY_PEM_TYPES: readonly string[] = [
  'PRIVATE KEY',
  'EC PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  COSIGN_PRIVATE_KEY_PEM_TYPE,
  SIGSTORE_PRIVATE_KEY_PEM_TYPE,
];

/**
 * The private key in PEM `text`, decrypted with `passphrase` when the file is encrypted (cosign keys may
 * have an empty one). PASSPHRASE_REQUIRED when it is encrypted and `passphrase` is undefined;
 * PASSPHRASE_WRONG when decryption fails (a wrong passphrase or a damaged file); KEY_INVALID for other PEM
 * types, malformed keys, RSA and curves other than P-256. Messages never contain the passphrase or key.
 */
export async function privateKeyFromPem(text: string, passphrase: Passphrase | undefined): Promise<PrivateKey> {
  const block = decodePemWithHeaders(text);
  switch (block.type) {
    case 'PRIVATE KEY':
      return privateKeyFromPkcs8(block.body);
    case 'EC PRIVATE KEY':
      if (/ENCRYPTED/.test(block.headers.get('Proc-Type') ?? '')) return fromKeyObject(decryptLegacy(block, need(passphrase, block.type)));
      return fromKeyObject(parse(() => createPrivateKey({ key: block.body, format: 'der', type: 'sec1' }), 'not a SEC1 EC private key'));
    case 'ENCRYPTED PRIVATE KEY': {
      const secret = need(passphrase, block.type);
      return fromKeyObject(decrypting(() => createPrivateKey({ key: block.body, format: 'der', type: 'pkcs8', passphrase: secret })));
    }
    case COSIGN_PRIVATE_KEY_PEM_TYPE:
    case SIGSTORE_PRIVATE_KEY_PEM_TYPE: {
      const pkcs8 = await decryptPrivateKey(encodePem(block.type, block.body), need(passphrase, block.type));
      try {
        return privateKeyFromPkcs8(pkcs8);
      } finally {
        pkcs8.fill(0);
      }
    }
    case 'RSA PRIVATE KEY':
      throw new KeyError('KEY_INVALID', 'unsupported private key: rsa (only ecdsa P-256 and ed25519)');
    default:
      throw new KeyError('KEY_INVALID', `unsupported PEM block "${block.type}"; expected one of: ${IMPORTABLE_PRIVATE_KEY_PEM_TYPES.join(', ')}`);
  }
}

/**
 * The `role` and `gun` PEM headers of a notary key file (notary's `ExtractPrivateKeyAttributes`), absent ones
 * left out; nothing is decrypted. KEY_INVALID when `text` is not a single PEM block.
 */
export function notaryKeyFileHeaders(text: string): { role?: string; gun?: string } {
  const { headers } = decodePemWithHeaders(text);
  const role = headers.get('role');
  const gun = headers.get('gun');
  return { ...(role !== undefined && role !== '' && { role }), ...(gun !== undefined && gun !== '' && { gun }) };
}

/** OpenSSL's legacy PEM encryption: hand node only the two headers OpenSSL understands (it refuses others). */
function decryptLegacy(block: PemBlockWithHeaders, passphrase: Passphrase): KeyObject {
  const dekInfo = block.headers.get('DEK-Info');
  if (!dekInfo) throw new KeyError('KEY_INVALID', `PEM block "${block.type}" is encrypted but has no DEK-Info header`);
  const pem = encodePem(block.type, block.body, [
    ['Proc-Type', '4,ENCRYPTED'],
    ['DEK-Info', dekInfo],
  ]);
  return decrypting(() => createPrivateKey({ key: pem, format: 'pem', passphrase: toBuffer(passphrase) }));
}

function need(passphrase: Passphrase | undefined, type: string): Buffer {
  if (passphrase === undefined) throw new KeyError('PASSPHRASE_REQUIRED', `the key file is encrypted ("${type}"); a passphrase is required`);
  return toBuffer(passphrase);
}

function toBuffer(passphrase: Passphrase): Buffer {
  return typeof passphrase === 'string' ? Buffer.from(passphrase, 'utf8') : Buffer.from(passphrase);
}

/** OpenSSL reports a wrong passphrase as "bad decrypt" or, when the padding happens to fit, as bad DER. */
function decrypting(fn: () => KeyObject): KeyObject {
  try {
    return fn();
  } catch (cause) {
    throw new KeyError('PASSPHRASE_WRONG', 'wrong passphrase for the key file (or the file is damaged)', { cause });
  }
}

function parse(fn: () => KeyObject, what: string): KeyObject {
  try {
    return fn();
  } catch (cause) {
    throw new KeyError('KEY_INVALID', what, { cause });
  }
}

/** Through PKCS#8, so privateKeyFromPkcs8 applies the one set of type rules (and names refused types). */
function fromKeyObject(key: KeyObject): PrivateKey {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  try {
    return privateKeyFromPkcs8(der);
  } finally {
    der.fill(0);
  }
}
