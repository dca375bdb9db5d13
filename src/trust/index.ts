// The policy's whole surface (policy/index.ts) is the trust core's too.
export * from './policy/index.ts';
export { checkRollback, signingTimestamp, newestTimestamp, type TagRecord, type RollbackCheck } from './rollback.ts';
