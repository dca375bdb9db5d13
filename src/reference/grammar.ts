/**
 * The image-reference grammar of github.com/distribution/reference (regexp.go), built from the same
 * productions in the same order, so the same strings match and the capture groups split the same way
 * (Go's RE2 and JavaScript both prefer the leftmost-first alternative).
 */

/** A parsed image reference; `domain` is '' only for the docker quirk where a dotted first element is not a valid host. */
export interface Reference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The registry that familiar names such as `busybox` or `user/app` resolve to. */
export const DEFAULT_DOMAIN = 'docker.io';

/** The legacy Docker Hub host, always canonicalised to DEFAULT_DOMAIN. */
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';

/** The Docker Hub namespace of official images, added to and stripped from single-element names. */
export const OFFICIAL_REPO_PREFIX = 'library/';

/** The tag docker assumes when a reference has neither tag nor digest. */
export const DEFAULT_TAG = 'latest';

/** The one first path element that is always a domain even without a dot or a port. */
export const LOCALHOST = 'localhost';

/** The maximum length of the repository path (without the domain), as in docker. */
export const REPOSITORY_NAME_MAX_LENGTH = 255;

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const tag = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const identifier = '([a-f0-9]{64})';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = domainNameComponent + anyTimes(`\\.${domainNameComponent}`);
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const pathComponent = alphanumeric + anyTimes(separator + alphanumeric);
const remoteName = pathComponent + anyTimes(`/${pathComponent}`);
const namePat = optional(`${domainAndPort}/`) + remoteName;

/** Whole reference: groups 1 = name (with optional domain), 2 = tag, 3 = digest. */
export const REFERENCE_REGEXP = new RegExp(anchored(capture(namePat), optional(':', capture(tag)), optional('@', capture(digestPat))));

/** A name without tag or digest: group 1 = domain (absent when none), group 2 = path. */
export const ANCHORED_NAME_REGEXP = new RegExp(anchored(optional(capture(domainAndPort), '/'), capture(remoteName)));

/** A bare 64-hex image ID, which docker refuses as a repository name. */
export const ANCHORED_IDENTIFIER_REGEXP = new RegExp(anchored(identifier));

const ANCHORED_TAG_REGEXP = new RegExp(anchored(tag));

/** True when `s` is a valid tag: a word character followed by at most 127 word characters, dots or dashes. */
export function isTag(s: string): boolean {
  return ANCHORED_TAG_REGEXP.test(s);
}

/** Builds a frozen Reference, leaving out the tag and digest keys when they are absent. */
export function makeReference(domain: string, path: string, tag?: string, digest?: string): Reference {
  const ref: { domain: string; path: string; tag?: string; digest?: string } = { domain, path };
  if (tag !== undefined && tag !== '') ref.tag = tag;
  if (digest !== undefined && digest !== '') ref.digest = digest;
  return Object.freeze(ref);
}

function optional(...res: string[]): string {
  return `(?:${res.join('')})?`;
}

function anyTimes(...res: string[]): string {
  return `(?:${res.join('')})*`;
}

function capture(...res: string[]): string {
  return `(${res.join('')})`;
}

function anchored(...res: string[]): string {
  return `^${res.join('')}$`;
}
