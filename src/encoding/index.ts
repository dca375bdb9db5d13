/**
 * Encodings shared by every tier, pure: strict standard base64 (base64.ts), Go-compatible PEM (pem.ts) and the one
 * strict JSON reader (json-tree.ts), with the plain value derived from it (strict-json.ts).
 * No I/O, nothing runs at import time.
 */
export { decodeBase64, decodeBase64Canonical, looksLikeBase64 } from './base64.ts';
export { parseJsonTree, type JsonEntry, type JsonNode } from './json-tree.ts';
export { decodePem, decodePemWithHeaders, encodePem, type PemBlockWithHeaders } from './pem.ts';
export { parseStrictJson } from './strict-json.ts';
