/**
 * Manifest operations (OCI distribution-spec §Pulling/§Pushing manifests, §Deleting). What we return is what we
 * hashed: the digest is sha256 of the bytes received, a digest-addressed GET must hash to the digest asked for,
 * and a Docker-Content-Digest that contradicts the bytes we PUT is a lying registry.
 */
import { isDigest } from '../reference/index.ts';
import { RegistryError } from '../shared/errors.ts';
import { readBody } from '../http/index.ts';
import { repositoryScope, type ScopeAction } from '../http/index.ts';
import type { Manifest, ManifestHead, OperationContext, RequestOptions } from './client-options.ts';
import { sha256Digest } from '../reference/index.ts';
import { bareMediaType, digestWithAlgorithmOf, matchesDigest } from './content.ts';
import { checkDigest, checkRepository, describe, referenceKind, repositoryUrl, type Repository } from './repository.ts';
import { invalidResponse } from '../http/index.ts';

/** Media types that say nothing about a manifest; the body's own mediaType field is used instead. */
const GENERIC_TYPES = new Set(['', 'application/json', 'application/octet-stream', 'text/plain']);

/** GETs a manifest by tag or digest and checks it: size limit, digest when addressed by one, an accepted media type. */
export async function getManifest(
  ctx: OperationContext,
  repo: Repository,
  reference: string,
  accept: readonly string[],
  opts: RequestOptions,
): Promise<Manifest> {
  checkRepository(repo);
  const kind = referenceKind(reference);
  const call = manifestCall(ctx, repo, reference, 'GET', `getting manifest ${describe(repo, reference)}`, opts, { headers: { accept: accept.join(', ') } });
  const res = await ctx.requester.send(call);
  if (res.status !== 200) throw await ctx.requester.error(res, call);
  const bytes = await readBody(res, ctx.limits.manifestBytes, call.action, opts.signal);
  if (kind === 'digest' && !matchesDigest(reference, bytes)) {
    throw invalidResponse(call.action, `the registry sent content with digest ${digestWithAlgorithmOf(reference, bytes)}`, res.status);
  }
  let mediaType = bareMediaType(res.header('content-type'));
  if (GENERIC_TYPES.has(mediaType)) mediaType = mediaTypeField(bytes) ?? mediaType;
  if (mediaType === '' || (!accept.includes(mediaType) && !accept.includes('*/*'))) {
    throw invalidResponse(call.action, `unexpected media type ${JSON.stringify(mediaType.slice(0, 100))}`, res.status);
  }
  return { bytes, mediaType, digest: sha256Digest(bytes) };
}

/** HEADs a manifest: what the registry says about it, or undefined when it is not there (404). */
export async function headManifest(
  ctx: OperationContext,
  repo: Repository,
  reference: string,
  accept: readonly string[],
  opts: RequestOptions,
): Promise<ManifestHead | undefined> {
  checkRepository(repo);
  referenceKind(reference);
  const call = manifestCall(ctx, repo, reference, 'HEAD', `checking manifest ${describe(repo, reference)}`, opts, { headers: { accept: accept.join(', ') } });
  const res = await ctx.requester.send(call);
  if (res.status === 404) {
    res.cancel();
    return undefined;
  }
  if (res.status !== 200) throw await ctx.requester.error(res, call);
  res.cancel();
  const digest = res.header('docker-content-digest');
  const mediaType = bareMediaType(res.header('content-type'));
  const size = Number(res.header('content-length'));
  return {
    ...(digest && isDigest(digest) && { digest }),
    ...(mediaType && { mediaType }),
    ...(res.header('content-length') && Number.isSafeInteger(size) && size >= 0 && { size }),
  };
}

/** PUTs a manifest under a tag or digest and returns the sha256 digest of `bytes`. */
export async function putManifest(
  ctx: OperationContext,
  repo: Repository,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
  opts: RequestOptions,
): Promise<string> {
  checkRepository(repo);
  const action = `putting manifest ${describe(repo, reference)}`;
  if (referenceKind(reference) === 'digest' && !matchesDigest(reference, bytes)) {
    throw new RegistryError('REGISTRY_FAILED', `${action}: the manifest does not have digest ${reference}`);
  }
  if (!mediaType) throw new RegistryError('REGISTRY_FAILED', `${action}: no media type given`);
  const call = manifestCall(ctx, repo, reference, 'PUT', action, opts, { headers: { 'content-type': mediaType }, body: bytes });
  const res = await ctx.requester.send(call);
  if (res.status < 200 || res.status > 299) throw await ctx.requester.error(res, call);
  res.cancel();
  checkStoredDigest(action, res.header('docker-content-digest'), bytes, res.status);
  return sha256Digest(bytes);
}

/** DELETEs a manifest by digest (registries refuse tags here: distribution-spec §Deleting Manifests). */
export async function deleteManifest(ctx: OperationContext, repo: Repository, digest: string, opts: RequestOptions): Promise<void> {
  checkRepository(repo);
  checkDigest(digest);
  const call = manifestCall(ctx, repo, digest, 'DELETE', `deleting manifest ${describe(repo, digest)}`, opts);
  const res = await ctx.requester.send(call);
  if (res.status < 200 || res.status > 299) throw await ctx.requester.error(res, call);
  res.cancel();
}

/** Throws REGISTRY_INVALID_RESPONSE when a Docker-Content-Digest header names a digest `bytes` do not have. */
export function checkStoredDigest(action: string, header: string | undefined, bytes: Uint8Array, status: number): void {
  if (header === undefined || header === '') return;
  if (!isDigest(header) || !matchesDigest(header, bytes)) {
    throw invalidResponse(action, `the registry reports digest ${JSON.stringify(header.slice(0, 140))} for content with digest ${sha256Digest(bytes)}`, status);
  }
}

/** One request on `/v2/<repo>/manifests/<reference>`, with the scope the method needs and a body or headers. */
function manifestCall(
  ctx: OperationContext,
  repo: Repository,
  reference: string,
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE',
  action: string,
  opts: RequestOptions,
  extra: { headers?: Record<string, string>; body?: Uint8Array } = {},
) {
  const endpoint = ctx.endpoint(repo.domain);
  const actions: ScopeAction[] = method === 'PUT' ? ['pull', 'push'] : method === 'DELETE' ? ['delete'] : ['pull'];
  return {
    endpoint,
    method,
    url: repositoryUrl(endpoint, repo, 'manifests', reference),
    scopes: [repositoryScope(repo.path, actions)],
    action,
    ...extra,
    signal: opts.signal,
  };
}

function mediaTypeField(bytes: Uint8Array): string | undefined {
  try {
    const value = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: unknown } | null)?.mediaType;
    return typeof value === 'string' ? value.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
