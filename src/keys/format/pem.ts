/**
 * PEM (RFC 7468) and strict base64, the framing of every key file: public keys are `PUBLIC KEY` blocks and
 * cosign private keys `ENCRYPTED COSIGN PRIVATE KEY` blocks whose body is base64 of a JSON document.
 * Decoding is stricter than Go's encoding/pem: exactly one block, no RFC 1421 headers, nothing but
 * whitespace around it, canonical base64. Pure.
 */
import { KeyError } from '../../shared/errors.ts';

/** One decoded PEM block: its type label (e.g. 'PUBLIC KEY') and its body bytes. */
export interface PemBlock {
  readonly type: string;
  readonly body: Buffer;
}

const BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END ([A-Z0-9 ]+)-----$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The PEM text of one block: 64-character base64 lines, as Go's pem.Encode writes them, ending in a newline. */
export function encodePem(type: string, body: Uint8Array): string {
  const b64 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}-----END ${type}-----\n`;
}

/**
 * The single PEM block in `text`. Throws KeyError KEY_INVALID when there is no block, more than one, text
 * around it, headers (an OpenSSL-encrypted key), mismatched labels or non-canonical base64. Messages name
 * the block type but never quote the contents.
 */
export function decodePem(text: string): PemBlock {
  const match = BLOCK.exec(text.trim());
  if (!match) {
    const count = (text.match(/-----BEGIN /g) ?? []).length;
    throw new KeyError('KEY_INVALID', count === 0 ? 'not a PEM file: no BEGIN line' : `expected exactly one PEM block, found ${count}`);
  }
  const [, type = '', content = '', endType = ''] = match;
  if (type !== endType) throw new KeyError('KEY_INVALID', `PEM block "${type}" ends with "${endType}"`);
  if (content.includes('-----')) throw new KeyError('KEY_INVALID', 'expected exactly one PEM block, found more');
  if (content.includes(':')) throw new KeyError('KEY_INVALID', `PEM block "${type}" has headers (an encrypted OpenSSL key?); not supported`);
  const body = decodeBase64Strict(content.replace(/\s+/g, ''));
  if (body === undefined) throw new KeyError('KEY_INVALID', `PEM block "${type}" is not valid base64`);
  return { type, body };
}

/** One PEM block with its RFC 1421 headers (`Proc-Type`, or notary's `role` and `gun`), in file order. */
export interface PemBlockWithHeaders extends PemBlock {
  readonly headers: ReadonlyMap<string, string>;
}

/**
 * The single PEM block in `text`, as decodePem but with `Name: value` header lines (up to an optional blank
 * line) split off the base64: how notary and OpenSSL's legacy encryption annotate private keys. A leading
 * OpenSSL `EC PARAMETERS` block is ignored. trustext's own store files have no headers; the DCT key files it
 * writes (notary-key-file.ts) do.
 */
export function decodePemWithHeaders(text: string): PemBlockWithHeaders {
  const withoutParams = text.replace(/-----BEGIN EC PARAMETERS-----[\s\S]*?-----END EC PARAMETERS-----/, '');
  const match = BLOCK.exec(withoutParams.trim());
  if (!match) return { ...decodePem(withoutParams), headers: new Map() };
  const lines = (match[2] ?? '').split(/\r?\n/);
  const headers = new Map<string, string>();
  let i = 0;
  for (let header: RegExpExecArray | null; i < lines.length && (header = /^([A-Za-z0-9-]+):\s*(.*?)\s*$/.exec(lines[i] ?? '')); i++) {
    headers.set(header[1] ?? '', header[2] ?? '');
  }
  if (headers.size > 0 && lines[i]?.trim() === '') i++;
  const rest = lines.slice(i).join('\n');
  return { ...decodePem(`-----BEGIN ${match[1]}-----\n${rest}\n-----END ${match[3]}-----`), headers };
}

/** The bytes of canonical standard base64 (padded, no stray characters, zero trailing bits), else undefined. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Buffer ignores non-zero padding bits; Go's StdEncoding.Strict and RFC 4648 §3.5 reject them.
  return bytes.toString('base64') === text ? bytes : undefined;
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
