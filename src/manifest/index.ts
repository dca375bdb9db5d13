export { describeManifest, parsePlatform, selectPlatform, INDEX_MEDIA_TYPES, type IndexChild, type ManifestKind, type Platform } from './manifest.ts';
