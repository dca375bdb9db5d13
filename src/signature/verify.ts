import { decodeBase64 } from '../encoding/index.ts';
import { parseReference, type Reference, repositoryName } from '../reference/index.ts';
import { decodePayload, type SignaturePayload } from './payload.ts';

/** A key trusted for the repository being verified, with its own verification function (injected). */
export interface VerifyingKey {
  readonly id: string;
  readonly name: string;
  /** True when `signature` is a valid signature by this key over exactly `payload`. */
  verify(payload: Uint8Array, signature: Uint8Array): boolean;
}

/** A signature found in the registry: its layer digest, the payload bytes (undefined if unreadable), the signature. */
export interface FoundSignature {
  readonly layerDigest: string;
  readonly payload: Buffer | undefined;
  /** Base64 as stored in the annotation. */
  readonly signature: string;
  /** Why the payload could not be read, when it could not. */
  readonly unreadable?: string;
}

/** What the image being pulled must be: fully qualified repository, the manifest digest, and the tag if pulled by tag. */
export interface Expectation {
  readonly repository: string;
  readonly digest: string;
  readonly tag?: string;
}

/** The verdict on one signature. */
export interface Verdict {
  readonly layerDigest: string;
  readonly accepted: boolean;
  readonly reason: string;
  readonly key?: { readonly id: string; readonly name: string };
  readonly payload?: SignaturePayload;
}

/** The key among `keys` whose signature over `payload` verifies, if any. */
function signer(keys: readonly VerifyingKey[], payload: Buffer, signature: string): VerifyingKey | undefined {
  const bytes = decodeBase64(signature);
  if (bytes === undefined) return undefined;
  return keys.find((k) => k.verify(payload, bytes));
}

/** Checks that a payload names exactly the expected digest, repository and (for tag pulls) tag. */
function contentProblem(p: SignaturePayload, want: Expectation): string | undefined {
  if (p.manifestDigest !== want.digest) return `it signs ${p.manifestDigest}, not ${want.digest}`;
  let ref: Reference;
  try {
    ref = parseReference(p.dockerReference);
  } catch {
    return `its docker-reference "${p.dockerReference}" is not a valid reference`;
  }
  if (repositoryName(ref) !== want.repository) return `it was signed for ${repositoryName(ref)}, not ${want.repository}`;
  if (want.tag !== undefined && ref.tag !== want.tag) {
    return ref.tag === undefined ? `it names no tag, and ${want.tag} was asked for` : `it was signed for tag ${ref.tag}, not ${want.tag}`;
  }
  return undefined;
}

/**
 * Judges every signature found for an image: accepted only when it verifies under a trusted key over the exact
 * payload bytes, the payload passes the strict schema, and it names exactly the expected digest, repository and
 * (when pulled by tag) tag. Pure and synchronous; the caller decides what "enough" accepted signatures means.
 */
export function judgeSignatures(found: readonly FoundSignature[], want: Expectation, keys: readonly VerifyingKey[]): Verdict[] {
  return found.map((f): Verdict => {
    const base = { layerDigest: f.layerDigest, accepted: false };
    if (!f.payload) return { ...base, reason: `its payload could not be read: ${f.unreadable ?? 'unknown error'}` };
    const key = signer(keys, f.payload, f.signature);
    if (!key) return { ...base, reason: keys.length ? 'it is not signed by a trusted key' : 'no key is trusted for this repository' };
    const decoded = decodePayload(f.payload);
    if ('error' in decoded) return { ...base, key: { id: key.id, name: key.name }, reason: `its payload is malformed: ${decoded.error}` };
    const problem = contentProblem(decoded.payload, want);
    const verdict = { ...base, key: { id: key.id, name: key.name }, payload: decoded.payload };
    return problem ? { ...verdict, reason: problem } : { ...verdict, accepted: true, reason: `signed by ${key.name} (${key.id.slice(0, 12)})` };
  });
}
