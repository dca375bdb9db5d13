/**
 * Pushing a blob (OCI distribution-spec §Pushing blobs): skipped when the repository has it, mounted from another
 * repository when asked (201 done; 202 opens an upload session we then use), otherwise POST + one PUT
 * ?digest= or, above the chunk threshold, POST + PATCHes with Content-Range + a closing PUT.
 */
import { RegistryError } from '../shared/errors.ts';
import { blobExists } from './blobs.ts';
import { repositoryScope } from '../http/index.ts';
import type { OperationContext, RequestOptions } from './client-options.ts';
import { matchesDigest } from './content.ts';
import { checkStoredDigest } from './manifests.ts';
import type { RegistryCall } from '../http/index.ts';
import { checkDigest, checkRepository, describe, repositoryUrl, type Repository } from './repository.ts';
import { invalidResponse } from '../http/index.ts';
import type { TransportResponse } from '../http/index.ts';

/** Options of uploadBlob: `mountFrom` is a repository path in the same registry that may already hold the blob. */
export interface UploadOptions extends RequestOptions {
  readonly mountFrom?: string;
}

const OCTET_STREAM = 'application/octet-stream';

/** Gets `bytes` (which must hash to `digest`) into the repository; resolves once the registry has the blob. */
export async function uploadBlob(ctx: OperationContext, repo: Repository, bytes: Uint8Array, digest: string, opts: UploadOptions): Promise<void> {
  checkRepository(repo);
  checkDigest(digest);
  const from = opts.mountFrom;
  if (from !== undefined) checkRepository({ domain: repo.domain, path: from });
  const action = `uploading blob ${describe(repo, digest)}`;
  if (!matchesDigest(digest, bytes)) throw new RegistryError('REGISTRY_FAILED', `${action}: the content does not have that digest`);
  const scopes = [repositoryScope(repo.path, ['pull', 'push']), ...(from !== undefined ? [repositoryScope(from, ['pull'])] : [])];
  const { signal } = opts;
  if (await blobExists(ctx, repo, digest, { signal, scopes })) return;

  const endpoint = ctx.endpoint(repo.domain);
  const call = (method: string, url: URL, extra: Partial<RegistryCall> = {}): RegistryCall => ({ endpoint, method, url, scopes, action, signal, ...extra });
  const start = call('POST', repositoryUrl(endpoint, repo, 'blobs/uploads', '', from !== undefined ? { mount: digest, from } : {}));
  const started = await ctx.requester.send(start);
  if (started.status === 201 && from !== undefined) {
    started.cancel();
    checkStoredDigest(action, started.header('docker-content-digest'), bytes, started.status);
    return;
  }
  if (started.status !== 202) throw await ctx.requester.error(started, start);
  started.cancel();
  let location = locationOf(started, start.url, action);

  if (bytes.byteLength > ctx.upload.chunkThresholdBytes) {
    const minimum = Number(started.header('oci-chunk-min-length'));
    const size = Math.max(ctx.upload.chunkBytes, Number.isSafeInteger(minimum) ? minimum : 0, 1);
    for (let offset = 0; offset < bytes.byteLength; offset += size) {
      const chunk = bytes.subarray(offset, Math.min(offset + size, bytes.byteLength));
      const end = offset + chunk.byteLength - 1;
      const patch = call('PATCH', location, { body: chunk, headers: { 'content-type': OCTET_STREAM, 'content-range': `${offset}-${end}` } });
      const res = await ctx.requester.send(patch);
      if (res.status !== 202) throw await ctx.requester.error(res, patch);
      res.cancel();
      const range = res.header('range');
      if (range !== undefined && range.replace(/^bytes=/, '') !== `0-${end}`) {
        throw invalidResponse(action, `the registry holds ${JSON.stringify(range.slice(0, 60))} after a chunk ending at ${end}`, res.status);
      }
      location = locationOf(res, location, action);
    }
  }
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  const monolithic = bytes.byteLength <= ctx.upload.chunkThresholdBytes;
  const put = call('PUT', url, monolithic ? { body: bytes, headers: { 'content-type': OCTET_STREAM } } : {});
  const done = await ctx.requester.send(put);
  if (done.status !== 201) throw await ctx.requester.error(done, put);
  done.cancel();
  checkStoredDigest(action, done.header('docker-content-digest'), bytes, done.status);
}

/** The upload session URL a response points to, resolved against the request's URL. */
function locationOf(res: TransportResponse, base: URL, action: string): URL {
  const location = res.header('location');
  try {
    if (location) return new URL(location, base);
  } catch {
    /* reported below */
  }
  throw invalidResponse(action, 'the registry did not say where to upload', res.status);
}
