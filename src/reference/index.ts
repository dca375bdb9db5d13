/**
 * Image references: one grammar and docker's normalisation, a faithful port of
 * github.com/distribution/reference (ParseNormalizedNamed, ParseDockerRef, FamiliarName, FamiliarString,
 * TagNameOnly) with go-digest v1.0.0 digest validation, as used by the docker CLI. Pure: no I/O.
 *
 * Grammar (reference.go):
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] remote-name
 *   domain           := host [':' port-number]
 *   host             := domain-name | IPv4address | \[ IPv6address \]
 *   domain-name      := domain-component ['.' domain-component]*
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   port-number      := /[0-9]+/
 *   path-component   := alpha-numeric [separator alpha-numeric]*
 *   remote-name      := path-component ['/' path-component]*
 *   alpha-numeric    := /[a-z0-9]+/
 *   separator        := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" hex   (sha256: 64, sha384: 96, sha512: 128 lower-case hex)
 *
 * Normalisation (normalize.go): a first element is a domain only when it is `localhost`, contains '.' or
 * ':', or has upper case; otherwise the domain is docker.io. `index.docker.io` becomes docker.io, and a
 * single-element Docker Hub path gets `library/`. The path must be lower case and at most 255 characters,
 * and a bare 64-hex string is refused (it is an image ID, not a name).
 *
 * Every failure is a ReferenceParseError (code REFERENCE_INVALID) with docker's message.
 */
export {
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  LEGACY_DEFAULT_DOMAIN,
  OFFICIAL_REPO_PREFIX,
  REPOSITORY_NAME_MAX_LENGTH,
  isTag,
  type Reference,
} from './grammar.ts';
export { isDigest, sha256Digest } from './digest.ts';
export { parseReference, parseDockerRef } from './parse.ts';
export {
  repositoryName,
  familiarName,
  formatReference,
  familiarString,
  withDefaultTag,
  withoutTagOrDigest,
} from './format.ts';
