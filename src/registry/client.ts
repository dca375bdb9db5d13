/**
 * RegistryClient: an OCI distribution v2 client in the manner of go-containerregistry's remote package, over an
 * injected (or node:http/https) transport, with docker's token and Basic auth, docker's scheme rules (https
 * first; plain http after it for loopback and insecure registries), certs.d, bounded retries, deadlines and
 * proxies, and digests checked on everything it reads or writes.
 */
import { Authenticator } from '../http/index.ts';
import { getBlob, blobExists } from './blobs.ts';
import {
  DEFAULT_LIMITS,
  DEFAULT_UPLOAD,
  type Manifest,
  type ManifestHead,
  type OperationContext,
  type RegistryClientOptions,
  type RequestOptions,
} from './client-options.ts';
import { DEFAULT_MANIFEST_ACCEPT } from './content.ts';
import { apiHost, isInsecureRegistryHost, registryEndpoint } from '../http/index.ts';
import { httpTransports } from '../http/index.ts';
import { deleteManifest, getManifest, headManifest, putManifest } from './manifests.ts';
import type { Repository } from './repository.ts';
import { Requester } from '../http/index.ts';
import { Schemes } from '../http/index.ts';
import { listTags, type ListTagsOptions } from './tags.ts';
import { uploadBlob, type UploadOptions } from './upload.ts';

/** A registry client; tokens and credentials are cached for its lifetime. Constructing it does no I/O. */
export class RegistryClient {
  readonly #ctx: OperationContext;

  constructor(options: RegistryClientOptions) {
    const insecure = options.insecure ?? [];
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const { once, retrying: transport } = options.transport
      ? { once: options.transport, retrying: options.transport }
      : httpTransports({
          certsDirs: options.certsDirs ?? [],
          http: options.http,
          skipVerify: (host) => isInsecureRegistryHost(host, insecure),
        });
    const authenticator = new Authenticator({
      keychain: options.keychain,
      transport,
      userAgent: options.userAgent,
      insecure,
      errorBodyBytes: limits.errorBodyBytes,
      now: Date.now,
    });
    const schemes = new Schemes({ probe: once, userAgent: options.userAgent, insecure });
    this.#ctx = {
      requester: new Requester({ transport, authenticator, userAgent: options.userAgent, insecure, errorBodyBytes: limits.errorBodyBytes, schemes }),
      limits,
      upload: { ...DEFAULT_UPLOAD, ...options.upload },
      endpoint: (domain) => registryEndpoint(domain, schemes.known(apiHost(domain))),
    };
  }

  /** The manifest at a tag or digest; `digest` is sha256 of the bytes received, which must match a requested digest. */
  getManifest(repo: Repository, reference: string, accept: readonly string[] = DEFAULT_MANIFEST_ACCEPT, opts: RequestOptions = {}): Promise<Manifest> {
    return getManifest(this.#ctx, repo, reference, accept, opts);
  }

  /** What the registry says about a manifest (unverified), or undefined when it answers 404. */
  headManifest(
    repo: Repository,
    reference: string,
    accept: readonly string[] = DEFAULT_MANIFEST_ACCEPT,
    opts: RequestOptions = {},
  ): Promise<ManifestHead | undefined> {
    return headManifest(this.#ctx, repo, reference, accept, opts);
  }

  /** Stores a manifest at a tag or digest and returns its sha256 digest, computed here. */
  putManifest(repo: Repository, reference: string, bytes: Uint8Array, mediaType: string, opts: RequestOptions = {}): Promise<string> {
    return putManifest(this.#ctx, repo, reference, bytes, mediaType, opts);
  }

  /** Deletes the manifest with `digest` from the repository. */
  deleteManifest(repo: Repository, digest: string, opts: RequestOptions = {}): Promise<void> {
    return deleteManifest(this.#ctx, repo, digest, opts);
  }

  /** True when the repository has the blob, false when the registry answers 404. */
  blobExists(repo: Repository, digest: string, opts: RequestOptions = {}): Promise<boolean> {
    return blobExists(this.#ctx, repo, digest, opts);
  }

  /** The blob's bytes, at most `maxBytes` (default limits.blobBytes), verified against `digest`. */
  getBlob(repo: Repository, digest: string, maxBytes: number = this.#ctx.limits.blobBytes, opts: RequestOptions = {}): Promise<Buffer> {
    return getBlob(this.#ctx, repo, digest, maxBytes, opts);
  }

  /** Puts a blob into the repository unless it is there: by mount from `mountFrom`, one PUT, or chunks. */
  uploadBlob(repo: Repository, bytes: Uint8Array, digest: string, opts: UploadOptions = {}): Promise<void> {
    return uploadBlob(this.#ctx, repo, bytes, digest, opts);
  }

  /** Every tag of the repository, following Link pagination. */
  listTags(repo: Repository, opts: ListTagsOptions = {}): Promise<string[]> {
    return listTags(this.#ctx, repo, opts);
  }
}
