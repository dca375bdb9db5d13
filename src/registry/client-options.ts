/**
 * How a RegistryClient is configured and what its calls return. Everything the client needs comes in here
 * (keychain, identity, insecure hosts, certs.d directories, network settings, transport, limits): it reads no
 * environment.
 */
import type { RequestOptions } from '../shared/request-options.ts';
import type { RegistryEndpoint } from '../http/index.ts';
import type { HttpSettings } from '../http/index.ts';
import type { Keychain } from '../http/index.ts';
import type { Requester } from '../http/index.ts';
import type { Transport } from '../http/index.ts';

/** Byte limits on what the client reads into memory. */
export interface RegistryLimits {
  /** Largest manifest (and tag-list page) accepted; distribution's own limit is 4 MiB. */
  readonly manifestBytes: number;
  /** Default largest blob getBlob reads into memory. */
  readonly blobBytes: number;
  /** How much of an error body is read for its error codes; the rest is discarded. */
  readonly errorBodyBytes: number;
}

/** 4 MiB manifests and in-memory blobs, 64 KiB of any error body. */
export const DEFAULT_LIMITS: RegistryLimits = { manifestBytes: 4 << 20, blobBytes: 4 << 20, errorBodyBytes: 64 << 10 };

/** When uploadBlob switches from one PUT to PATCHed chunks, and how big the chunks are. */
export interface UploadSettings {
  /** Blobs larger than this go up in chunks (default 32 MiB). */
  readonly chunkThresholdBytes: number;
  /** Chunk size (default 16 MiB), raised to the registry's OCI-Chunk-Min-Length when it names one. */
  readonly chunkBytes: number;
}

/** The default upload settings. */
export const DEFAULT_UPLOAD: UploadSettings = { chunkThresholdBytes: 32 << 20, chunkBytes: 16 << 20 };

/** Options of a RegistryClient. */
export interface RegistryClientOptions {
  /** Where credentials come from, asked once per registry (by docker's name for it: docker.io, host:port). */
  readonly keychain: Keychain;
  /** Sent as User-Agent on every request. */
  readonly userAgent: string;
  /**
   * host[:port] entries the daemon treats as insecure (insecure-registries, by name or address range): tried over
   * https without verifying the certificate, then plain http. Loopback hosts always are.
   */
  readonly insecure?: readonly string[];
  /** certs.d directories: `<dir>/<host[:port]>/*.crt` extra CAs, `*.cert` + `*.key` a client certificate. */
  readonly certsDirs?: readonly string[];
  /** Deadlines, minimum rate, retries and proxies; overrides of DEFAULT_HTTP. */
  readonly http?: Partial<HttpSettings>;
  /** Replaces the node:http/https transport and its retries (tests); certsDirs and http are then not used. */
  readonly transport?: Transport;
  /** Overrides of DEFAULT_LIMITS. */
  readonly limits?: Partial<RegistryLimits>;
  /** Overrides of DEFAULT_UPLOAD. */
  readonly upload?: Partial<UploadSettings>;
}

/** Per-call options: every call can be aborted, rejecting with the signal's reason. */
export type { RequestOptions };

/** A manifest as received: its bytes, media type, and the sha256 digest of exactly these bytes. */
export interface Manifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}

/** What a HEAD on a manifest says; informative only (the registry's digest is not verified). */
export interface ManifestHead {
  readonly digest?: string;
  readonly mediaType?: string;
  readonly size?: number;
}

/** What the operation modules share (internal): the requester, limits and endpoint resolution. */
export interface OperationContext {
  readonly requester: Requester;
  readonly limits: RegistryLimits;
  readonly upload: UploadSettings;
  endpoint(domain: string): RegistryEndpoint;
}
