/**
 * PEM (RFC 7468, with the RFC 1421 headers Go's encoding/pem keeps), the framing of every key file and of notary's
 * x509 root keys. Encoding is Go's `pem.Encode` byte for byte. Decoding is stricter than Go's `pem.Decode`: exactly
 * one block, no headers unless asked for, nothing but whitespace around it, canonical base64. PEM is only ever read
 * for keys, so a malformed block is a KeyError KEY_INVALID. Pure.
 */
import { KeyError } from '../shared/errors.ts';
import { decodeBase64Canonical } from './base64.ts';

/** One decoded PEM block: its type label (e.g. 'PUBLIC KEY') and its body bytes. */
export interface PemBlock {
  readonly type: string;
  readonly body: Buffer;
}

/** One PEM block with its RFC 1421 headers (`Proc-Type`, or notary's `role` and `gun`), in file order. */
export interface PemBlockWithHeaders extends PemBlock {
  readonly headers: ReadonlyMap<string, string>;
}

const BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END ([A-Z0-9 ]+)-----$/;

/**
 * The PEM text of one block as Go's `pem.Encode` writes it: the `name: value` header lines in the order given
 * (Go writes `Proc-Type` first, then the rest sorted; callers order them) and a blank line when there are any,
 * 64-character base64 lines, LF line ends, a trailing LF.
 */
export function encodePem(type: string, body: Uint8Array, headers: readonly (readonly [string, string])[] = []): string {
  const b64 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  const head = headers.length > 0 ? `${headers.map(([name, value]) => `${name}: ${value}\n`).join('')}\n` : '';
  return `-----BEGIN ${type}-----\n${head}${lines.join('\n')}${lines.length > 0 ? '\n' : ''}-----END ${type}-----\n`;
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
  const body = decodeBase64Canonical(content.replace(/\s+/g, ''));
  if (body === undefined) throw new KeyError('KEY_INVALID', `PEM block "${type}" is not valid base64`);
  return { type, body };
}

/**
 * The single PEM block in `text`, as decodePem but with `Name: value` header lines (up to an optional blank
 * line) split off the base64: how notary and OpenSSL's legacy encryption annotate private keys. A leading
 * OpenSSL `EC PARAMETERS` block is ignored.
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
