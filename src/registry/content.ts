/**
 * Content identity: the manifest media types the client asks for by default (the types themselves are manifest/'s),
 * and digests computed over the bytes we actually hold ("the digest is the truth": we never take a registry's
 * Docker-Content-Digest on trust).
 */
import { createHash } from 'node:crypto';
import { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_INDEX, OCI_MANIFEST } from '../manifest/index.ts';

/** The Accept list getManifest and headManifest send unless told otherwise. */
export const DEFAULT_MANIFEST_ACCEPT: readonly string[] = [DOCKER_MANIFEST_V2, DOCKER_MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX];

/** The digest of `bytes` with the algorithm of `digest` (sha256, sha384 or sha512; validated by the caller). */
export function digestWithAlgorithmOf(digest: string, bytes: Uint8Array): string {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** True when `bytes` hash to `digest` (a valid digest). */
export function matchesDigest(digest: string, bytes: Uint8Array): boolean {
  return digestWithAlgorithmOf(digest, bytes) === digest;
}

/** A media type without parameters, lower case (`Content-Type: application/json; charset=utf-8` → application/json). */
export function bareMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
