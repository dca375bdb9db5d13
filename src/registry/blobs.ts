/**
 * Reading blobs (OCI distribution-spec §Pulling blobs, §Checking if content exists). Blob GETs are often
 * redirected to object storage; the requester follows and drops Authorization there. A blob read into memory is
 * bounded and must hash to its digest.
 */
import { readBody } from '../http/index.ts';
import { repositoryScope } from '../http/index.ts';
import type { OperationContext, RequestOptions } from './client-options.ts';
import { digestWithAlgorithmOf, matchesDigest } from './content.ts';
import type { RegistryCall } from '../http/index.ts';
import { checkDigest, checkRepository, describe, repositoryUrl, type Repository } from './repository.ts';
import { invalidResponse } from '../http/index.ts';

/** True when the repository has the blob (HEAD 200), false on 404; other answers are errors. */
export async function blobExists(
  ctx: OperationContext,
  repo: Repository,
  digest: string,
  opts: RequestOptions & { scopes?: readonly string[] },
): Promise<boolean> {
  const call = blobCall(ctx, repo, digest, 'HEAD', `checking blob ${describe(repo, digest)}`, opts);
  const res = await ctx.requester.send(call);
  res.cancel();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await ctx.requester.error(res, call);
}

/** GETs a blob into memory (at most `maxBytes`) and returns it once it hashes to `digest`. */
export async function getBlob(ctx: OperationContext, repo: Repository, digest: string, maxBytes: number, opts: RequestOptions): Promise<Buffer> {
  const call = blobCall(ctx, repo, digest, 'GET', `getting blob ${describe(repo, digest)}`, opts);
  const res = await ctx.requester.send(call);
  if (res.status !== 200) throw await ctx.requester.error(res, call);
  const bytes = await readBody(res, maxBytes, call.action, opts.signal);
  if (!matchesDigest(digest, bytes)) {
    throw invalidResponse(call.action, `the registry sent content with digest ${digestWithAlgorithmOf(digest, bytes)}`, res.status);
  }
  return bytes;
}

function blobCall(
  ctx: OperationContext,
  repo: Repository,
  digest: string,
  method: string,
  action: string,
  opts: RequestOptions & { scopes?: readonly string[] },
): RegistryCall {
  checkRepository(repo);
  checkDigest(digest);
  const endpoint = ctx.endpoint(repo.domain);
  return {
    endpoint,
    method,
    url: repositoryUrl(endpoint, repo, 'blobs', digest),
    action,
    signal: opts.signal,
    scopes: opts.scopes ?? [repositoryScope(repo.path, ['pull'])],
  };
}
