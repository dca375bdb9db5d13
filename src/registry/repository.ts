/**
 * The names a registry call is about: a repository ({domain, path} as src/reference produces them), a tag or a
 * digest, checked against the one reference grammar before they go into a URL, and the /v2/ URLs built from them
 * (OCI distribution-spec §Endpoints).
 */
import { isDigest, isTag, parseReference } from '../reference/index.ts';
import { ReferenceParseError } from '../shared/errors.ts';
import type { RegistryEndpoint } from '../http/index.ts';

/** A repository in a registry: `domain` as docker names it (docker.io, ghcr.io, host:port) and the path in it. */
export interface Repository {
  readonly domain: string;
  readonly path: string;
}

/** Throws ReferenceParseError unless `repo` is a normalised repository name (what parseReference yields). */
export function checkRepository(repo: Repository): void {
  const input = `${repo.domain}/${repo.path}`;
  const parsed = parseReference(input);
  if (parsed.domain !== repo.domain || parsed.path !== repo.path || parsed.tag !== undefined || parsed.digest !== undefined) {
    throw new ReferenceParseError(input, `invalid repository name ${JSON.stringify(input)}`);
  }
}

/** Throws ReferenceParseError unless `digest` is a valid digest (sha256, sha384 or sha512). */
export function checkDigest(digest: string): void {
  if (!isDigest(digest)) throw new ReferenceParseError(digest, `invalid digest ${JSON.stringify(digest)}`);
}

/** Returns whether `reference` is a digest or a tag; throws ReferenceParseError when it is neither. */
export function referenceKind(reference: string): 'digest' | 'tag' {
  if (isDigest(reference)) return 'digest';
  if (isTag(reference)) return 'tag';
  throw new ReferenceParseError(reference, `invalid tag or digest ${JSON.stringify(reference)}`);
}

/** `domain/path`, with `:tag` or `@digest` when given: how messages name what a call is about. */
export function describe(repo: Repository, reference?: string): string {
  const name = `${repo.domain}/${repo.path}`;
  if (reference === undefined) return name;
  return `${name}${isDigest(reference) ? '@' : ':'}${reference}`;
}

/** `<origin>/v2/<path>/<kind>/<id>` (or `/v2/<path>/<kind>/` without an id), with optional query parameters. */
export function repositoryUrl(
  endpoint: RegistryEndpoint,
  repo: Repository,
  kind: 'manifests' | 'blobs' | 'blobs/uploads' | 'tags/list',
  id = '',
  query: Readonly<Record<string, string>> = {},
): URL {
  const url = new URL(`${endpoint.origin}/v2/${repo.path}/${kind}${kind === 'tags/list' ? '' : `/${id}`}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}
