/**
 * The registry adapter's public surface: an OCI distribution v2 client (RegistryClient) with docker's auth,
 * scheme and certs.d rules, the keychain seam it asks for credentials, the transport seam tests inject, and the
 * network plumbing the Notary client shares (deadlines, retries, proxies as Go decides them).
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
export type { Keychain, RegistryCredentials } from './keychain.ts';
export type { Transport, TransportRequest, TransportResponse } from './transport.ts';
export { createNodeTransport, type NodeTransportOptions } from './node-transport.ts';
export { httpTransports, type HttpTransports } from './http-transport.ts';
export { DEFAULT_HTTP, DEFAULT_HTTP_TIMEOUT_MS, type HttpSettings } from './http-settings.ts';
export { DEFAULT_RETRY, RETRY_STATUSES, withRetries, type RetryPolicy } from './retry.ts';
export { DEFAULT_MIN_RATE, type MinRate } from './rate-window.ts';
export { hasProxy, proxyEnvironment, proxyFunc, type ProxyEnvironment, type ProxyFunc } from './proxy-from-env.ts';
export { GaveUpError, gaveUpNote, TransportError } from './transport-error.ts';
export { DEFAULT_MANIFEST_ACCEPT } from './content.ts';
export { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_INDEX, OCI_MANIFEST } from '../manifest/index.ts';
export { sha256Digest } from '../reference/index.ts';
export { apiHost, isInsecureRegistryHost, isLoopbackHost, type RegistryEndpoint } from './endpoint.ts';
export { certsDirName } from './certs-dir.ts';
// The HTTP plumbing the Notary client shares.
export { Authenticator } from './authenticator.ts';
export { readBody, readPrefix } from './body.ts';
export { repositoryScope } from './challenge.ts';
export { redact, safeUrl } from './redact.ts';
export { Requester } from './requester.ts';
export { errorEntries } from './response-error.ts';
