export type {
  Engine,
  EngineVersion,
  LocalImage,
  ProgressEvent,
  ProgressListener,
  PushResult,
  RegistryAuth,
  RegistrySettings,
  RequestOptions,
} from './engine.ts';
export {
  resolveEndpoint,
  resolveContextName,
  DEFAULT_CONTEXT,
  type ClientOptions,
  type Endpoint,
  type EndpointSources,
  type StoredContext,
} from './endpoint.ts';
export { parseDockerHost, DEFAULT_UNIX_SOCKET } from './host.ts';
export { DockerodeEngine, type DockerodeEngineOptions } from './dockerode-engine.ts';
export { SshDialStdioAgent } from './ssh-agent.ts';
