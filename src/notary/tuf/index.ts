/**
 * The pure TUF core for Notary v1 / Docker Content Trust interop: Go-exact canonical JSON and times, strict
 * metadata parsers, key ids, signature checks, the client verification chain and docker's pull lookup.
 * No I/O: callers download the files (size-limited) and pass their bytes and the clock in.
 */
export { canonicalJson, compareUtf8, parseJsonBytes } from './canonical-json.ts';
export { goRfc3339Nano, parseGoTime, isExpired } from './go-time.ts';
export type {
  TufKeyType,
  TufKey,
  TufSignature,
  RoleKeys,
  DelegationRole,
  FileMeta,
  SignedCommon,
  Root,
  Targets,
  Snapshot,
  Timestamp,
  Signed,
} from './types.ts';
export { parseRoot, parseTargets, parseSnapshot, parseTimestamp, isDelegationName, parentRole } from './parse-roles.ts';
export { tufKeyId, canonicalKeyId, certificateOf, keyFromCertificate } from './key-id.ts';
/** createRootCertificate, loaded on demand: @peculiar/asn1-x509 would cost every command's start-up. */
export const loadRootCertificate = () => import('./root-certificate.ts');
export { verifyTufSignature, countValidSignatures, verifyThreshold } from './signatures.ts';
export { checkFileMeta, checkVersion, checkExpiry } from './file-meta.ts';
export { trustRoot, rootKeys, type RootInput } from './verify-root.ts';
export { walkDelegations, type SkippedRole, type WalkResult } from './delegations.ts';
export { verifyRepository, type RepositoryInput, type VerifiedRepository } from './verify-repository.ts';
export { lookupTarget, RELEASES_ROLE, roleSigners, type TrustedTarget } from './lookup.ts';
export {
  ecdsaDerToRaw,
  ecdsaMetadataSigner,
  ecdsaTufKey,
  ed25519TufKey,
  keyJson,
  signMetadata,
  type MetadataSigner,
} from './sign-metadata.ts';
export {
  ALL_TARGETS,
  dockerTarget,
  emptyTargets,
  expiresAt,
  ROOT_EXPIRY_MS,
  rootSigned,
  TARGETS_EXPIRY_MS,
  withDelegation,
  withoutDelegation,
  withTarget,
  type RootKeys,
} from './build-metadata.ts';
