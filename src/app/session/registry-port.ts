import type { Repository } from '../../registry/index.ts';

/** A repository as the registry client addresses it (the registry adapter's own type). */
export type { Repository };

/** A manifest as fetched: the bytes we received, their media type, and the sha256 of those bytes. */
export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}

/** The registry operations signing and verification use (implemented by src/registry's RegistryClient). */
export interface RegistryPort {
  getManifest(repo: Repository, reference: string, accept?: readonly string[], opts?: { signal?: AbortSignal }): Promise<FetchedManifest>;
  putManifest(repo: Repository, reference: string, bytes: Buffer, mediaType: string, opts?: { signal?: AbortSignal }): Promise<string>;
  getBlob(repo: Repository, digest: string, maxBytes?: number, opts?: { signal?: AbortSignal }): Promise<Buffer>;
  uploadBlob(repo: Repository, bytes: Buffer, digest: string, opts?: { signal?: AbortSignal }): Promise<void>;
  blobExists(repo: Repository, digest: string, opts?: { signal?: AbortSignal }): Promise<boolean>;
  deleteManifest(repo: Repository, digest: string, opts?: { signal?: AbortSignal }): Promise<void>;
  listTags(repo: Repository, opts?: { signal?: AbortSignal }): Promise<string[]>;
}
