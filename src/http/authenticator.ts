/**
 * Registry authentication state for one client, like docker's and ggcr's auth transports: credentials from the
 * keychain (asked once per registry), the challenge each host answered with, and bearer tokens cached per
 * (host, scope) until shortly before they expire. It answers "what Authorization goes on this request?" and,
 * after a 401, "what Authorization do we retry with?".
 */
import { mergeScopes, parseChallenges, pickChallenge, scopeKey, type Challenge } from './challenge.ts';
import type { RegistryEndpoint } from './endpoint.ts';
import type { Keychain, RegistryCredentials } from './keychain.ts';
import { fetchToken } from './token.ts';
import type { Transport } from './transport.ts';

/** What the authenticator is built from; `now` is the clock for token expiry (milliseconds). */
export interface AuthenticatorOptions {
  readonly keychain: Keychain;
  readonly transport: Transport;
  readonly userAgent: string;
  readonly insecure: readonly string[];
  readonly errorBodyBytes: number;
  readonly now: () => number;
}

/** Seconds before a token's stated expiry at which we stop using it. */
const EXPIRY_MARGIN_SECONDS = 10;

/** Keeps credentials, challenges and tokens for one client and hands out Authorization header values. */
export class Authenticator {
  readonly #opts: AuthenticatorOptions;
  readonly #credentials = new Map<string, Promise<RegistryCredentials | undefined>>();
  readonly #challenges = new Map<string, Challenge>();
  readonly #tokens = new Map<string, { header: string; expiresAt: number }>();
  readonly #secrets = new Set<string>();

  constructor(opts: AuthenticatorOptions) {
    this.#opts = opts;
  }

  /** Passwords and tokens this client has used, for redaction from any text shown to users. */
  get secrets(): readonly string[] {
    return [...this.#secrets];
  }

  /** The Authorization to send up front, from what this host taught us earlier; undefined to go anonymous. */
  async current(endpoint: RegistryEndpoint, scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.#challenges.get(endpoint.host);
    if (challenge?.scheme === 'basic') return basic(await this.#credentialsFor(endpoint.domain));
    if (challenge?.scheme !== 'bearer') return undefined;
    const cached = this.#tokens.get(scopeKey(endpoint.host, scopes));
    return cached && cached.expiresAt > this.#opts.now() ? cached.header : undefined;
  }

  /**
   * Answers a 401's WWW-Authenticate: Basic from the keychain, or a fresh bearer token for our scopes (plus any
   * the challenge names) unless another request already replaced the one that was `rejected`. Undefined when
   * there is nothing to retry with (no usable challenge, or Basic without a username and password).
   */
  async answer(
    endpoint: RegistryEndpoint,
    scopes: readonly string[],
    wwwAuthenticate: string,
    rejected: string | undefined,
    action: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const challenge = pickChallenge(parseChallenges(wwwAuthenticate));
    if (!challenge) return undefined;
    this.#challenges.set(endpoint.host, challenge);
    const credentials = await this.#credentialsFor(endpoint.domain);
    if (challenge.scheme === 'basic') {
      const header = basic(credentials);
      return header === rejected ? undefined : header;
    }
    const key = scopeKey(endpoint.host, scopes);
    const cached = this.#tokens.get(key);
    if (cached && cached.header !== rejected && cached.expiresAt > this.#opts.now()) return cached.header;
    const token = await fetchToken({
      realm: challenge.params.realm!,
      service: challenge.params.service,
      scopes: mergeScopes(scopes, challenge),
      credentials,
      transport: this.#opts.transport,
      userAgent: this.#opts.userAgent,
      insecure: this.#opts.insecure,
      errorBodyBytes: this.#opts.errorBodyBytes,
      action,
      ...(signal && { signal }),
    });
    this.#secrets.add(token.token);
    const header = `Bearer ${token.token}`;
    this.#tokens.set(key, { header, expiresAt: this.#opts.now() + Math.max(0, token.expiresIn - EXPIRY_MARGIN_SECONDS) * 1000 });
    return header;
  }

  #credentialsFor(domain: string): Promise<RegistryCredentials | undefined> {
    let found = this.#credentials.get(domain);
    if (!found) {
      found = this.#opts.keychain(domain).then((c) => {
        for (const s of [c?.password, c?.identityToken]) if (s) this.#secrets.add(s);
        if (c?.username && c.password) this.#secrets.add(Buffer.from(`${c.username}:${c.password}`).toString('base64'));
        return c;
      });
      found.catch(() => this.#credentials.delete(domain));
      this.#credentials.set(domain, found);
    }
    return found;
  }
}

/** The Basic Authorization value for a username and password; undefined without both. */
function basic(credentials: RegistryCredentials | undefined): string | undefined {
  if (!credentials?.username || !credentials.password) return undefined;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
