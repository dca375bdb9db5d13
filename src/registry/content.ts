/**
 * Content identity: the manifest media types the client asks for by default, and digests computed over the
 * bytes we actually hold ("the digest is the truth": we never take a registry's Docker-Content-Digest on trust).
 */
import { createHash } from 'node:crypto';

/** Docker image manifest, schema 2. */
export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker manifest list (multi-platform). */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** OCI image manifest. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** The Accept list getManifest and headManifest send unless told otherwise. */
export const DEFAULT_MANIFEST_ACCEPT: readonly string[] = [DOCKER_MANIFEST_V2, DOCKER_MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX];

/** `sha256:<hex>` of `bytes`. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

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
