/**
 * Which Notary v1 server holds a repository's trust data, as docker/cli's `trust.Server` decides
 * (cli/trust/trust.go): DOCKER_CONTENT_TRUST_SERVER when set (https only), notary.docker.io for Docker Hub
 * (every docker.io repository is "official" to NewIndexInfo), else https://<registry host>. Pure.
 */
import { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN } from '../../reference/index.ts';
import { ConfigError } from '../../shared/errors.ts';
import { TRUST_SERVER_ENV } from '../../shared/variables.ts';

/** Docker Hub's trust server (docker/cli `trust.NotaryServer`). */
export const DOCKER_HUB_NOTARY = 'https://notary.docker.io';

/** The environment variable that overrides the trust server. */

/**
 * The trust server for a registry as docker names it (`docker.io`, `127.0.0.1:5000`). An empty override counts
 * as unset (Go's `!= ""`); an override that is not an https URL with a host is a CONFIG_INVALID with docker's text.
 */
export function trustServerFor(registryHost: string, env: Readonly<Record<string, string | undefined>>): URL {
  const override = configuredTrustServer(env);
  if (override) return override;
  if (registryHost === DEFAULT_DOMAIN || registryHost === LEGACY_DEFAULT_DOMAIN) return new URL(DOCKER_HUB_NOTARY);
  return new URL(`https://${registryHost}`);
}

/**
 * DOCKER_CONTENT_TRUST_SERVER as a URL, undefined when unset or empty; CONFIG_INVALID (docker's text) when it is not
 * an https URL with a host — checked whenever it is set, whether or not the server is contacted, as DCT does.
 */
export function configuredTrustServer(env: Readonly<Record<string, string | undefined>>): URL | undefined {
  const override = env[TRUST_SERVER_ENV];
  if (!override) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(override);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.host === '') {
    throw new ConfigError('CONFIG_INVALID', `valid https URL required for trust server, got ${override}`);
  }
  return url;
}
