import type { RequestOptions } from '../shared/request-options.ts';
import type { Endpoint } from './endpoint.ts';

/** Options every engine request takes: an abort signal. */
export type { RequestOptions };

/** One progress message from the engine's JSON stream (moby pkg/jsonmessage), reduced to what we display. */
export interface ProgressEvent {
  readonly id?: string;
  readonly status: string;
  /** Bytes done and total for a layer transfer, when the engine reports them. */
  readonly current?: number;
  readonly total?: number;
}

/** Called for each progress message while a push or pull streams. */
export type ProgressListener = (event: ProgressEvent) => void;

/** The engine's version, as `GET /version` reports it. */
export interface EngineVersion {
  readonly version: string;
  readonly apiVersion: string;
  readonly minApiVersion?: string;
  readonly os: string;
  readonly arch: string;
  readonly gitCommit?: string;
  readonly goVersion?: string;
}

/** What the engine says it pushed: the manifest digest and size of the tag (aux PushResult or the final line). */
export interface PushResult {
  readonly tag: string;
  readonly digest: string;
  readonly size: number;
}

/** Registry credentials to hand the engine as X-Registry-Auth; empty means anonymous. */
export interface RegistryAuth {
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly serveraddress?: string;
}

/** The daemon's insecure-registries setting, as GET /info reports it (RegistryConfig). */
export interface RegistrySettings {
  /** Registry names (host[:port]) the daemon reaches over plain http or unverified TLS. */
  readonly insecureRegistries: readonly string[];
  /** IP ranges whose registries are insecure (always includes 127.0.0.0/8). */
  readonly insecureCIDRs: readonly string[];
}

/**
 * The engine operations trustext needs. Implementations wrap errors in EngineError (ENGINE_UNREACHABLE when
 * nothing answers, ENGINE_FAILED when the engine refuses) and reject with the signal's reason when aborted.
 */
/** What the engine says of a local image: its id, the `name@digest` it was pulled by, and its tags. */
export interface LocalImage {
  readonly id: string;
  readonly repoDigests: readonly string[];
  readonly repoTags: readonly string[];
  /** os/architecture[/variant], from the image's config. */
  readonly platform?: string;
}

export interface Engine {
  readonly endpoint: Endpoint;
  version(opts?: RequestOptions): Promise<EngineVersion>;
  /** Pushes `repository:tag` (fully qualified name) and returns what the engine reports as pushed. */
  push(repository: string, tag: string, auth: RegistryAuth, onProgress: ProgressListener, opts?: RequestOptions): Promise<PushResult>;
  /** Pulls `repository` at a tag or a digest (`sha256:…`). */
  pull(repository: string, tagOrDigest: string, auth: RegistryAuth, onProgress: ProgressListener, opts?: RequestOptions & { platform?: string }): Promise<void>;
  /** Tags `source` (name, name:tag, name@digest or id) as `repository:tag`. */
  tag(source: string, repository: string, tag: string, opts?: RequestOptions): Promise<void>;
  /** The daemon's insecure-registries setting, so trustext talks to a registry as the daemon does. */
  registrySettings(opts?: RequestOptions): Promise<RegistrySettings>;
  /** A local image as the engine resolves `name` (name, name:tag, name@digest, id or id prefix); undefined when it has none. */
  image(name: string, opts?: RequestOptions): Promise<LocalImage | undefined>;
  /** A container's full id and its image (id, and the name it was created with); undefined when there is no such container. */
  containerImage(idOrName: string, opts?: RequestOptions): Promise<{ readonly container: string; readonly id: string; readonly asked: string } | undefined>;
}
