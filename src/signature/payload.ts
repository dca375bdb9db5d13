import { parseStrictJson } from '../encoding/index.ts';

/** The `critical.type` of every cosign simple-signing payload. */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

/** What a signature payload says: the signed identity, the manifest digest, and the optional claims. */
export interface SignaturePayload {
  /** `critical.identity.docker-reference`: the fully qualified reference as signed (repo:tag, or repo alone for cosign). */
  readonly dockerReference: string;
  /** `critical.image.docker-manifest-digest`. */
  readonly manifestDigest: string;
  /** `optional`, or null. Values as found; `creator` (string) and `timestamp` (integer) are typed by the schema. */
  readonly optional: Readonly<Record<string, unknown>> | null;
}

/**
 * Serialises a payload exactly as cosign (sigstore/sigstore pkg/signature/payload) and containers/image write it:
 * field order critical{identity, image, type}, then optional; `optional` is null when there is nothing in it.
 * These bytes are what gets signed and stored; they are never re-serialised after signing.
 */
export function encodePayload(p: SignaturePayload): Buffer {
  const optional = p.optional && Object.keys(p.optional).length > 0 ? p.optional : null;
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': p.dockerReference },
        image: { 'docker-manifest-digest': p.manifestDigest },
        type: COSIGN_SIGNATURE_TYPE,
      },
      optional,
    }),
    'utf8',
  );
}

function exactKeys(obj: unknown, keys: readonly string[], where: string): string | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return `${where} is not a JSON object`;
  const have = Object.keys(obj);
  const extra = have.filter((k) => !keys.includes(k));
  const missing = keys.filter((k) => !have.includes(k));
  if (extra.length) return `${where} has unexpected field "${extra[0]}"`;
  if (missing.length) return `${where} lacks field "${missing[0]}"`;
  return undefined;
}

/**
 * Parses payload bytes with containers/image's strict rules (signature/internal/sigstore_payload.go): exactly
 * critical+optional; critical exactly identity, image, type; image exactly docker-manifest-digest; identity exactly
 * docker-reference; type the cosign constant; optional null or an object whose creator is a string and timestamp an
 * integer. No duplicate keys anywhere. Returns the payload or the reason it is refused.
 */
export function decodePayload(bytes: Uint8Array): { payload: SignaturePayload } | { error: string } {
  const parsed = parseStrictJson(Buffer.from(bytes).toString('utf8'));
  if ('error' in parsed) return { error: `payload is not valid JSON: ${parsed.error}` };
  const top = parsed.value as { critical?: unknown; optional?: unknown };
  const problem = exactKeys(top, ['critical', 'optional'], 'payload');
  if (problem) return { error: problem };
  const critical = top.critical as { identity?: unknown; image?: unknown; type?: unknown };
  const checks = [
    exactKeys(critical, ['identity', 'image', 'type'], 'critical'),
    () => exactKeys(critical.image, ['docker-manifest-digest'], 'critical.image'),
    () => exactKeys(critical.identity, ['docker-reference'], 'critical.identity'),
  ];
  for (const check of checks) {
    const p = typeof check === 'function' ? check() : check;
    if (p) return { error: p };
  }
  if (critical.type !== COSIGN_SIGNATURE_TYPE) return { error: `critical.type is not "${COSIGN_SIGNATURE_TYPE}"` };
  const digest = (critical.image as Record<string, unknown>)['docker-manifest-digest'];
  const reference = (critical.identity as Record<string, unknown>)['docker-reference'];
  if (typeof digest !== 'string') return { error: 'critical.image.docker-manifest-digest is not a string' };
  if (typeof reference !== 'string') return { error: 'critical.identity.docker-reference is not a string' };
  const optional = top.optional;
  if (optional !== null && (typeof optional !== 'object' || Array.isArray(optional))) return { error: 'optional is neither null nor an object' };
  const o = optional as Record<string, unknown> | null;
  if (o && 'creator' in o && typeof o.creator !== 'string') return { error: 'optional.creator is not a string' };
  if (o && 'timestamp' in o && !Number.isSafeInteger(o.timestamp)) return { error: 'optional.timestamp is not an integer' };
  return { payload: { dockerReference: reference, manifestDigest: digest, optional: o } };
}
