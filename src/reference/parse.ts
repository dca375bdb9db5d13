/**
 * Parsing with docker's normalisation: distribution/reference's `ParseNormalizedNamed` (familiar names get
 * `docker.io` and `library/`), its `Parse` (grammar, length and digest checks) and `ParseDockerRef`.
 * Checks run in the same order as in Go so the same input fails with the same message.
 */
import { ReferenceParseError } from '../shared/errors.ts';
import { digestError } from './digest.ts';
import { withDefaultTag } from './format.ts';
import {
  ANCHORED_IDENTIFIER_REGEXP,
  ANCHORED_NAME_REGEXP,
  DEFAULT_DOMAIN,
  LEGACY_DEFAULT_DOMAIN,
  LOCALHOST,
  OFFICIAL_REPO_PREFIX,
  REFERENCE_REGEXP,
  REPOSITORY_NAME_MAX_LENGTH,
  makeReference,
  type Reference,
} from './grammar.ts';

/**
 * Parses an image reference as `docker pull` does (ParseNormalizedNamed): `busybox` becomes
 * docker.io/library/busybox, `index.docker.io` becomes docker.io, and a tag and a digest are both kept.
 */
export function parseReference(input: string): Reference {
  if (ANCHORED_IDENTIFIER_REGEXP.test(input)) {
    throw new ReferenceParseError(input, `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(input);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw new ReferenceParseError(input, `invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseQualified(input, `${domain}/${remainder}`);
}

/**
 * Parses like parseReference, then returns a reference with exactly one of tag or digest (ParseDockerRef):
 * a digest wins over a tag, and a bare name gets the tag `latest`.
 */
export function parseDockerRef(input: string): Reference {
  const ref = parseReference(input);
  if (ref.tag !== undefined && ref.digest !== undefined) {
    return makeReference(ref.domain, ref.path, undefined, ref.digest);
  }
  return withDefaultTag(ref);
}

/** distribution/reference `Parse` on the already-normalised string `s`; errors name the original input. */
function parseQualified(input: string, s: string): Reference {
  const matches = REFERENCE_REGEXP.exec(s);
  if (matches === null) {
    const lower = s.toLowerCase();
    if (lower !== s && REFERENCE_REGEXP.test(lower)) {
      throw new ReferenceParseError(input, 'repository name must be lowercase');
    }
    throw new ReferenceParseError(input, 'invalid reference format');
  }
  const [, name = '', tag, digest] = matches;
  const nameMatch = ANCHORED_NAME_REGEXP.exec(name);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch?.[2] ?? name;
  if (path.length > REPOSITORY_NAME_MAX_LENGTH) {
    throw new ReferenceParseError(input, `repository name must not be more than ${REPOSITORY_NAME_MAX_LENGTH} characters`);
  }
  if (digest !== undefined) {
    const problem = digestError(digest);
    if (problem !== undefined) throw new ReferenceParseError(input, problem);
  }
  return makeReference(domain, path, tag, digest);
}

/**
 * Splits a familiar name into domain and remote name (splitDockerDomain): the first element is a domain
 * when it is `localhost`, contains '.' or ':', or has upper case; otherwise the domain is docker.io, and
 * single-element Docker Hub names get the `library/` prefix.
 */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  if (slash === -1) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === LOCALHOST) {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) {
    [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
  } else if (maybeDomain.includes('.') || maybeDomain.includes(':')) {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else if (maybeDomain.toLowerCase() !== maybeDomain) {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else {
    [domain, remote] = [DEFAULT_DOMAIN, name];
  }
  if (domain === DEFAULT_DOMAIN && !remote.includes('/')) remote = OFFICIAL_REPO_PREFIX + remote;
  return [domain, remote];
}
