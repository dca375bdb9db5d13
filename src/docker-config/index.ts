export { resolveConfigDir } from './config-dir.ts';
export { loadConfigFile, type DockerConfigFile } from './config-file.ts';
export { loadContextEndpoint, loadContextMetadata, contextDirId, type ContextEndpoint } from './context-store.ts';
export { removeContext, saveContext, setCurrentContext } from './config-writes.ts';
