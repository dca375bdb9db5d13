/**
 * Notary v1 trust data as DCT reads and writes it: verified reads (trust.ts), `docker trust inspect`'s view
 * (inspect.ts), publishing tags and signers (publish.ts, tag.ts, signers.ts), the keys (keys.ts), the policy's view of
 * a Notary target (policy.ts), and the TrustBackend over all of them (backend.ts).
 */
export { notaryBackend } from './backend.ts';
export { inspectNotary, natural } from './inspect.ts';
export { type NotaryPublisher, type NotaryPublishOutcome, prepareNotaryPublish } from './publish.ts';
export { manifestTarget, publishTag } from './tag.ts';
export { type NotaryTarget, notaryTargets, resolveFromNotary } from './trust.ts';
