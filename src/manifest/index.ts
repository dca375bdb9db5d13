export { describeManifest, parsePlatform, selectPlatform, type IndexChild, type ManifestKind, type Platform } from './manifest.ts';
export { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_CONFIG, OCI_INDEX, OCI_MANIFEST, SIMPLESIGNING } from './media-types.ts';
