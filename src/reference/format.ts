/**
 * Rendering a parsed Reference, as distribution/reference's `Name()`, `String()`, `FamiliarName`,
 * `FamiliarString` and `TagNameOnly` do. All functions are pure and never re-validate: they assume a
 * Reference produced by parseReference (or built from its parts).
 */
import { DEFAULT_DOMAIN, DEFAULT_TAG, OFFICIAL_REPO_PREFIX, makeReference, type Reference } from './grammar.ts';

/** The fully qualified repository name without tag or digest, e.g. 'docker.io/library/busybox'. */
export function repositoryName(ref: Reference): string {
  return ref.domain === '' ? ref.path : `${ref.domain}/${ref.path}`;
}

/**
 * The name as docker shows it (FamiliarName): 'docker.io' is dropped, and so is 'library/' when exactly one
 * element follows it, e.g. 'busybox', 'user/app', 'library/a/b', '127.0.0.1:5000/x/y'.
 */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const remainder = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!remainder.includes('/')) return remainder;
  }
  return ref.path;
}

/** The fully qualified reference `domain/path[:tag][@digest]`, e.g. 'docker.io/library/busybox:latest'. */
export function formatReference(ref: Reference): string {
  return repositoryName(ref) + suffix(ref);
}

/** The reference as docker shows it (FamiliarString): familiarName plus `:tag` and `@digest` when present. */
export function familiarString(ref: Reference): string {
  return familiarName(ref) + suffix(ref);
}

/** The reference with the tag 'latest' added when it has neither tag nor digest (TagNameOnly), else unchanged. */
export function withDefaultTag(ref: Reference): Reference {
  if (ref.tag !== undefined || ref.digest !== undefined) return ref;
  return makeReference(ref.domain, ref.path, DEFAULT_TAG);
}

/** The reference without tag and digest (TrimNamed). */
export function withoutTagOrDigest(ref: Reference): Reference {
  return makeReference(ref.domain, ref.path);
}

function suffix(ref: Reference): string {
  return (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}
