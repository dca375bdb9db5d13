/** One use case per command (push, pull, sign, inspect, revoke, signer, key, policy, migrate, install, version). */
export { parseImageArgument } from './image-argument.ts';
export { inspectTrust } from './inspect.ts';
export { installPath, installPlugin, type InstallResult, SYSTEM_PLUGIN_DIRS, uninstallPlugin } from './install.ts';
export { exportCosignKey, exportPublicKey, generateKey, importPublicKey, loadKey, revokeKey, rotateKey } from './key.ts';
export { type MigrateOutcome, migrateRepository } from './migrate.ts';
export { type PolicySetOutcome, setPolicyRule, showPolicy, validatePolicyFile } from './policy.ts';
export { pullImage, type PullOutcome, type PullRequest } from './pull.ts';
export { pushImage, type PushOutcome, type PushRequest } from './push.ts';
export { type RevokeOutcome, revokeTrust } from './revoke.ts';
export { signExisting, type SignExistingOutcome } from './sign.ts';
export { addSigner, removeSigner } from './signer.ts';
export { type EngineReport, engineVersion, pluginVersion, type PluginVersion } from './version.ts';
