/**
 * Encodings shared by every tier, pure: strict standard base64 (base64.ts) and Go-compatible PEM (pem.ts).
 * No I/O, nothing runs at import time.
 */
export { decodeBase64, decodeBase64Canonical, looksLikeBase64 } from './base64.ts';
export { decodePem, decodePemWithHeaders, encodePem, type PemBlock, type PemBlockWithHeaders } from './pem.ts';
