import Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { EngineError } from '../shared/errors.ts';
import { modemOptions } from './connection.ts';
import { modemFrom } from './modem.ts';
import type { Endpoint } from './endpoint.ts';
import type { Engine, EngineVersion, LocalImage, ProgressListener, PushResult, RegistryAuth, RegistrySettings, RequestOptions } from './engine.ts';
import { consumeJsonStream, type JsonMessage } from './json-stream.ts';
import { pushResultOf } from './push-result.ts';

/** Options for the dockerode engine: the endpoint to reach and the User-Agent to send. */
export interface DockerodeEngineOptions {
  readonly endpoint: Endpoint;
  readonly userAgent: string;
}

/** The Engine interface over dockerode, bound to one resolved endpoint. */
export class DockerodeEngine implements Engine {
  readonly endpoint: Endpoint;
  readonly #docker: Docker;

  constructor(opts: DockerodeEngineOptions) {
    this.endpoint = opts.endpoint;
    // The modem is built from the endpoint we resolved alone: docker-modem's constructor would read process.env.
    this.#docker = new Docker({ modem: modemFrom(modemOptions(opts.endpoint, opts.userAgent)) } as unknown as Docker.DockerOptions);
  }

  async version(opts: RequestOptions = {}): Promise<EngineVersion> {
    const v = await this.#call(() => this.#docker.version({ abortSignal: opts.signal } as never) as unknown as Promise<Docker.DockerVersion>, opts.signal);
    return {
      version: v.Version,
      apiVersion: v.ApiVersion,
      os: v.Os,
      arch: v.Arch,
      ...(v.MinAPIVersion && { minApiVersion: v.MinAPIVersion }),
      ...(v.GitCommit && { gitCommit: v.GitCommit }),
      ...(v.GoVersion && { goVersion: v.GoVersion }),
    };
  }

  async push(repository: string, tag: string, auth: RegistryAuth, onProgress: ProgressListener, opts: RequestOptions = {}): Promise<PushResult> {
    const stream = await this.#call(
      () => this.#docker.getImage(repository).push({ tag, authconfig: { ...auth }, abortSignal: opts.signal } as object),
      opts.signal,
    );
    const messages: JsonMessage[] = [];
    await this.#stream(stream as Readable, onProgress, opts.signal, (m) => messages.push(m));
    return pushResultOf(tag, messages);
  }

  async pull(
    repository: string,
    tagOrDigest: string,
    auth: RegistryAuth,
    onProgress: ProgressListener,
    opts: RequestOptions & { platform?: string } = {},
  ): Promise<void> {
    const stream = await this.#call(
      () =>
        this.#docker.createImage(
          { ...auth },
          {
            fromImage: repository,
            tag: tagOrDigest,
            abortSignal: opts.signal,
            ...(opts.platform && { platform: opts.platform }),
          },
        ),
      opts.signal,
    );
    await this.#stream(stream as Readable, onProgress, opts.signal);
  }

  async tag(source: string, repository: string, tag: string, opts: RequestOptions = {}): Promise<void> {
    await this.#call(
      () => this.#docker.getImage(source).tag({ repo: repository, tag, abortSignal: opts.signal } as never) as unknown as Promise<unknown>,
      opts.signal,
    );
  }

  async registrySettings(opts: RequestOptions = {}): Promise<RegistrySettings> {
    const info = await this.#call(
      () =>
        this.#docker.info({ abortSignal: opts.signal } as never) as unknown as Promise<{
          RegistryConfig?: { InsecureRegistryCIDRs?: string[] | null; IndexConfigs?: Record<string, { Name?: string; Secure?: boolean }> | null };
        }>,
      opts.signal,
    );
    const config = info.RegistryConfig ?? {};
    return {
      insecureRegistries: Object.values(config.IndexConfigs ?? {})
        .filter((c) => c.Secure === false && c.Name)
        .map((c) => c.Name!),
      insecureCIDRs: config.InsecureRegistryCIDRs ?? [],
    };
  }

  async image(name: string, opts: RequestOptions = {}): Promise<LocalImage | undefined> {
    const info = await this.#found(() => this.#docker.getImage(encodeURIComponent(name)).inspect({ abortSignal: opts.signal } as object), opts.signal);
    if (!info) return undefined;
    const variant = (info as { Variant?: string }).Variant;
    const platform = info.Os && info.Architecture ? `${info.Os}/${info.Architecture}${variant ? `/${variant}` : ''}` : undefined;
    return { id: info.Id, repoDigests: info.RepoDigests ?? [], repoTags: info.RepoTags ?? [], ...(platform && { platform }) };
  }

  async containerImage(idOrName: string, opts: RequestOptions = {}): Promise<{ container: string; id: string; asked: string } | undefined> {
    const info = await this.#found(() => this.#docker.getContainer(encodeURIComponent(idOrName)).inspect({ abortSignal: opts.signal } as object), opts.signal);
    return info && { container: info.Id, id: info.Image, asked: info.Config?.Image ?? info.Image };
  }

  /** The call's answer, or undefined when the engine answers 404. */
  async #found<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
    try {
      return await this.#call(fn, signal);
    } catch (err) {
      if (err instanceof EngineError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  async #stream(stream: Readable, onProgress: ProgressListener, signal: AbortSignal | undefined, onMessage?: (m: JsonMessage) => void) {
    const abort = () => stream.destroy();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      await consumeJsonStream(stream, onProgress, onMessage);
    } catch (err) {
      throw signal?.aborted ? signal.reason : err;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  async #call<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw toEngineError(err, this.endpoint);
    }
  }
}

/** The shape of docker-modem's errors: `json` is the parsed body, or the raw body for streamed requests. */
interface ModemError {
  code?: string;
  statusCode?: number;
  json?: unknown;
  reason?: string;
  message?: string;
}

/** The daemon's own message from an error response body ({"message": "..."}), else docker-modem's text. */
function daemonMessage(e: ModemError): string {
  let body = e.json;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text.trim() || (e.message ?? 'unknown error');
    }
  }
  const message = (body as { message?: unknown } | null | undefined)?.message;
  if (typeof message === 'string' && message !== '') return message;
  // Streamed requests keep the body only in the text: "(HTTP code 404) unexpected - <daemon message> ".
  const text = (e.message ?? '').replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
  return text || e.reason || 'unknown error';
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);

/** Maps dockerode/docker-modem failures onto EngineError, keeping the engine's own message. */
export function toEngineError(err: unknown, endpoint: Endpoint): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as ModemError;
  const where = endpoint.contextName === 'default' ? endpoint.host : `${endpoint.host} (context "${endpoint.contextName}")`;
  if (e.statusCode === undefined && (UNREACHABLE.has(e.code ?? '') || /certificate|self.signed|TLS|ssh exited/i.test(e.message ?? ''))) {
    const detail = e.code && UNREACHABLE.has(e.code) ? e.code : (e.message ?? String(err));
    return new EngineError('ENGINE_UNREACHABLE', `cannot connect to the docker daemon at ${where}: ${detail}; is the docker daemon running?`, { cause: err });
  }
  return new EngineError('ENGINE_FAILED', `error response from daemon: ${daemonMessage(e)}`, {
    cause: err,
    ...(e.statusCode !== undefined && { statusCode: e.statusCode }),
  });
}
