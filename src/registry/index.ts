/**
 * The registry adapter's public surface: an OCI distribution v2 client (RegistryClient) with docker's auth,
 * scheme and certs.d rules (the HTTP plumbing it stands on, shared with the Notary client, is src/http/).
 */
export { RegistryClient } from './client.ts';
export {
  DEFAULT_LIMITS,
  DEFAULT_UPLOAD,
  type Manifest,
  type ManifestHead,
  type RegistryClientOptions,
  type RegistryLimits,
  type RequestOptions,
  type UploadSettings,
} from './client-options.ts';
export type { Repository } from './repository.ts';
export type { UploadOptions } from './upload.ts';
export type { ListTagsOptions } from './tags.ts';
export { DEFAULT_MANIFEST_ACCEPT } from './content.ts';
export { sha256Digest } from '../reference/index.ts';
