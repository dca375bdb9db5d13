/**
 * The application layer's public surface, for the command line: a session, then one use case per command
 * (use-cases/), and the few pieces of the trust stores the commands print (stores/).
 */
export { openSession, type Environment, type KeyInfo, type Session } from './session/index.ts';
export {
  addSigner,
  engineVersion,
  exportCosignKey,
  exportPublicKey,
  generateKey,
  importPublicKey,
  inspectTrust,
  installPlugin,
  loadKey,
  migrateRepository,
  parseImageArgument,
  pluginVersion,
  pullImage,
  pushImage,
  removeSigner,
  revokeKey,
  revokeTrust,
  rotateKey,
  setPolicyRule,
  showPolicy,
  signExisting,
  uninstallPlugin,
  validatePolicyFile,
  type EngineReport,
  type PluginVersion,
} from './use-cases/index.ts';
export {
  enforceOff,
  enforceOn,
  enforceStatus,
  proxyGate,
  serveProxy,
  SERVICE_UNIT,
  type EnforcementMode,
  type EnforceReport,
  type ServiceKind,
  type ServingProxy,
} from './enforcement/index.ts';
export { readTrust, TRUST_STORES, type TrustStore } from './stores/index.ts';
export { policyWarnings, refusal, type DigestReport, type RepositoryInspection, type SignOutcome, type VerificationReport } from './stores/registry/index.ts';
export type { NotaryPublishOutcome } from './stores/notary/index.ts';
export type { ProgressEvent, ProgressListener } from '../engine/index.ts';
export { parseReference, repositoryName as repositoryOf } from '../reference/index.ts';
export { readSettings, VARIABLES, type Settings } from '../settings/index.ts';
export { ruleLabel, type RuleSettings } from '../trust/index.ts';
