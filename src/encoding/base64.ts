/**
 * Standard base64 (RFC 4648 §4: the `A-Za-z0-9+/` alphabet, `=` padding) read strictly. Node's
 * `Buffer.from(text, 'base64')` alone skips characters outside the alphabet and accepts missing padding, so every
 * reader checks the text first. Pure.
 */

const PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SHAPED = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The bytes of `text` when it is padded standard base64 as Go's `base64.StdEncoding` decodes it (whole 4-character
 * groups, `=` only as final padding; the empty string is zero bytes), else undefined. Unlike Go, `\r` and `\n` are
 * not skipped (callers that must skip them strip them first), and the unused bits of the last group are not
 * checked: see decodeBase64Canonical.
 */
export function decodeBase64(text: string): Buffer | undefined {
  return PADDED.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/**
 * As decodeBase64, and canonical: the unused bits of the last group must be zero (Go's `StdEncoding.Strict()`,
 * RFC 4648 §3.5), so each byte string has exactly one text. Buffer ignores non-zero padding bits.
 */
export function decodeBase64Canonical(text: string): Buffer | undefined {
  const bytes = decodeBase64(text);
  return bytes !== undefined && bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * A looser shape test than decodeBase64: one or more alphabet characters then at most two `=`, whatever the
 * length. It is what the notary client asks of a key the server mints (`GET …/<role>.key`) before passing it on
 * untouched into the root it publishes; notary-server checks that root, and every reader of it decodes strictly
 * (notary/tuf parse-fields.ts).
 */
export function looksLikeBase64(text: string): boolean {
  return SHAPED.test(text);
}
