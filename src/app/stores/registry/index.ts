/**
 * Cosign signatures in the registry: signing (sign.ts, signing-key.ts), the `.sig` image (signature-store.ts), the
 * policy's verdict (verify.ts) with rollback protection (rollback.ts), inspect and revoke, the policy's signers, and
 * the TrustBackend over all of them (backend.ts).
 */
export { registryBackend } from './backend.ts';
export { inspectRepository, type RepositoryInspection } from './inspect.ts';
export { revokeSignatures } from './revoke.ts';
export { checkClaims, PartlySignedError, signDigest, signImage, type SignOutcome, type SignRequest } from './sign.ts';
export { DEFAULT_KEY, prepareSigningKey, type SigningKey } from './signing-key.ts';
export { type DigestReport, policyWarnings, refusal, verificationReport, type VerificationReport, verifyImage } from './verify.ts';
