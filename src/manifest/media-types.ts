/**
 * Every media type trustext names, in one place: image manifests and indexes (OCI image-spec media-types.md,
 * docker's distribution manifest v2 schema 2 and manifest list) and the parts of cosign's tag-based signature
 * image (sigstore/cosign specs/SIGNATURE_SPEC.md). Pure.
 */

/** Docker image manifest, schema 2. */
export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker manifest list (multi-platform). */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** OCI image manifest (also the media type of every cosign `.sig` manifest). */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** OCI image config (the config of a cosign `.sig` image). */
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
/** cosign's simple-signing payload layer. */
export const SIMPLESIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

/** Media types of manifest lists / indexes, whose children are per-platform manifests. */
export const INDEX_MEDIA_TYPES: readonly string[] = [OCI_INDEX, DOCKER_MANIFEST_LIST];
