/**
 * Which Notary v1 server holds a repository's trust data, as docker/cli's `trust.Server` decides
 * (cli/trust/trust.go): DOCKER_CONTENT_TRUST_SERVER when set (https only), notary.docker.io for Docker Hub
 * (every docker.io repository is "official" to NewIndexInfo), else https://<registry host>. Pure.
 */
import { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN } from '../../reference/index.ts';

/** Docker Hub's trust server (docker/cli `trust.NotaryServer`). */
export const DOCKER_HUB_NOTARY = 'https://notary.docker.io';

/**
 * The trust server for a registry as docker names it (`docker.io`, `127.0.0.1:5000`), given DOCKER_CONTENT_TRUST_SERVER
 * as settings/ checked it (Settings.trustServer).
 */
export function trustServerFor(registryHost: string, override: URL | undefined): URL {
  if (override) return override;
  if (registryHost === DEFAULT_DOMAIN || registryHost === LEGACY_DEFAULT_DOMAIN) return new URL(DOCKER_HUB_NOTARY);
  return new URL(`https://${registryHost}`);
}
