/**
 * The trust stores behind the use cases: the store-choice table (which stores an operation uses and what `both`
 * means), the TrustBackend each store implements, and the signing path push and sign share.
 */
export {
  defaultStore,
  STORE_CHOICE,
  storeSteps,
  TRUST_STORES,
  type Part,
  type Step,
  type StoreName,
  type TrustOperation,
  type TrustStore,
} from './store-choice.ts';
export type { ReadOptions, ReadResult, Revoked, SignedStores, SignerAdded, SigningOptions, SignStep, TrustBackend } from './trust-backend.ts';
export { forEachStore, trustBackend } from './backends.ts';
export { prepareSigning, type PreparedSigning, type SigningFailure } from './signing.ts';
export { readTrust, type TrustSource } from './trust-source.ts';
export { trustedDigest } from './trusted-digest.ts';
