export { openSession, type Environment, type Session } from './session.ts';
export { pluginVersion, engineVersion, type PluginVersion, type EngineReport } from './version.ts';
export { installPlugin, uninstallPlugin, installPath, SYSTEM_PLUGIN_DIRS, type InstallResult } from './install.ts';
export { pushImage, type PushRequest, type PushOutcome } from './push.ts';
export { pullImage, type PullRequest, type PullOutcome } from './pull.ts';
export type { ClientOptions, ProgressEvent, ProgressListener } from '../engine/index.ts';
