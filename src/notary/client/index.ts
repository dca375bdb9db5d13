/**
 * The Notary v1 client adapter's public surface: where a repository's trust server is (trustServerFor), an HTTP
 * client for its trust data (NotaryClient), and the local cache of verified metadata (TrustCache).
 */
export { DOCKER_HUB_NOTARY, trustServerFor } from './trust-server.ts';
export { NotaryClient } from './notary-client.ts';
export {
  DEFAULT_NOTARY_LIMITS,
  type GetRoleOptions,
  type NotaryClientOptions,
  type NotaryLimits,
  type NotaryPublicKey,
  type NotaryRequestOptions,
} from './client-options.ts';
export { encodeMultipart, type MetadataFile, type MultipartBody } from './multipart.ts';
export { isVersionConflict, NotaryServerError, parseNotaryErrorBody, serverError, VERSION_CONFLICT, type NotaryErrorDetail } from './server-error.ts';
export { checkGun, isRoleName } from './names.ts';
export { TrustCache } from './trust-cache.ts';
export { fetchVerified, MAX_ROOT_ROTATIONS, type NotaryContext } from './verified-fetch.ts';
