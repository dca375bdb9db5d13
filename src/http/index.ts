/**
 * HTTP for the registry and Notary clients, as docker's and go-containerregistry's transports do it: the transport
 * seam (node:http/https with certs.d TLS, proxies as Go's ProxyFromEnvironment, deadlines and a minimum rate,
 * bounded retries), the requester around it (scheme fallback for insecure registries, auth challenges and the
 * token flow, credentials from the keychain seam), body limits, redaction and error bodies.
 */
export type { Keychain, RegistryCredentials } from './keychain.ts';
export type { Transport, TransportRequest, TransportResponse } from './transport.ts';
export { createNodeTransport, type NodeTransportOptions } from './node-transport.ts';
export { httpTransports, type HttpTransports } from './http-transport.ts';
export { DEFAULT_HTTP, DEFAULT_HTTP_TIMEOUT_MS, type HttpSettings } from './http-settings.ts';
export { DEFAULT_RETRY, RETRY_STATUSES, withRetries, type RetryPolicy } from './retry.ts';
export { DEFAULT_MIN_RATE, type MinRate } from './rate-window.ts';
export { hasProxy, proxyFunc, type ProxyEnvironment, type ProxyFunc } from './proxy-from-env.ts';
export { GaveUpError, gaveUpNote, TransportError } from './transport-error.ts';
export { apiHost, isInsecureRegistryHost, isLoopbackHost, registryEndpoint, type RegistryEndpoint } from './endpoint.ts';
export { Authenticator } from './authenticator.ts';
export { readBody, readPrefix } from './body.ts';
export { repositoryScope, type ScopeAction } from './challenge.ts';
export { redact, safeUrl } from './redact.ts';
export { Requester, type RegistryCall } from './requester.ts';
export { Schemes } from './schemes.ts';
export { certsDirName } from './certs-dir.ts';
export { errorEntries, invalidResponse } from './response-error.ts';
