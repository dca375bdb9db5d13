/**
 * Credentials for one registry, as docker stores them: a username and password (or token), or an identity token
 * (an OAuth refresh token, which docker-credential helpers return with the username "<token>").
 */
export interface RegistryCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly identityToken?: string;
}

/**
 * Finds credentials for a registry host as docker names it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`);
 * resolves undefined for anonymous access. The registry client calls it; src/credentials implements it.
 */
export type Keychain = (registryHost: string) => Promise<RegistryCredentials | undefined>;
