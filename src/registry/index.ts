/**
 * The registry adapter's public surface: an OCI distribution v2 client (RegistryClient) with docker's auth,
 * scheme and certs.d rules, the keychain seam it asks for credentials, and the transport seam tests inject.
 */
export { RegistryClient } from './client.ts';
export {
  DEFAULT_LIMITS, DEFAULT_UPLOAD, type Manifest, type ManifestHead, type RegistryClientOptions, type RegistryLimits,
  type RequestOptions, type UploadSettings,
} from './client-options.ts';
export type { Repository } from './repository.ts';
export type { UploadOptions } from './upload.ts';
export type { ListTagsOptions } from './tags.ts';
export type { Keychain, RegistryCredentials } from './keychain.ts';
export type { Transport, TransportRequest, TransportResponse } from './transport.ts';
export { createNodeTransport, type NodeTransportOptions } from './node-transport.ts';
export { DEFAULT_MANIFEST_ACCEPT, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_INDEX, OCI_MANIFEST, sha256Digest } from './content.ts';
export { apiHost, schemeFor } from './endpoint.ts';
