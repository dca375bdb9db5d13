export { describeManifest, parsePlatform, selectPlatform, type IndexChild, type ManifestKind, type Platform } from './manifest.ts';
export { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_INDEX, OCI_MANIFEST } from './media-types.ts';
