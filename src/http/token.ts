/**
 * Getting a bearer token from the realm a registry names (distribution token spec,
 * https://distribution.github.io/distribution/spec/auth/token/ and /oauth/): with an identity token, docker's
 * OAuth2 refresh-token POST, falling back to GET on 404/405 (not every token server implements OAuth2, as
 * ggcr's bearer transport notes); otherwise GET with Basic auth when there is a username and password.
 */
import { RegistryError } from '../shared/errors.ts';
import { readBody } from './body.ts';
import { isPermittedUrl } from './endpoint.ts';
import type { RegistryCredentials } from './keychain.ts';
import { safeUrl } from './redact.ts';
import { invalidResponse, responseError, transportFailure } from './response-error.ts';
import type { Transport, TransportResponse } from './transport.ts';

/** Everything one token request needs. */
export interface TokenRequest {
  readonly realm: string;
  readonly service: string | undefined;
  readonly scopes: readonly string[];
  readonly credentials: RegistryCredentials | undefined;
  readonly transport: Transport;
  readonly userAgent: string;
  readonly insecure: readonly string[];
  readonly errorBodyBytes: number;
  readonly action: string;
  readonly signal?: AbortSignal;
}

/** A token and how long the server says it lives (seconds; the spec's default is 60). */
export interface Token {
  readonly token: string;
  readonly expiresIn: number;
}

/** The OAuth2 client id we present (docker sends "docker", ggcr its user agent). */
export const OAUTH_CLIENT_ID = 'docker-trustext';
const TOKEN_RESPONSE_BYTES = 1 << 20;

/** Fetches a token for `scopes`; token-server refusals are REGISTRY_UNAUTHORIZED, malformed answers invalid. */
export async function fetchToken(req: TokenRequest): Promise<Token> {
  let realm: URL;
  try {
    realm = new URL(req.realm);
  } catch {
    throw invalidResponse(req.action, 'the registry named a token realm that is not a url');
  }
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw invalidResponse(req.action, 'the token realm is not http(s)');
  const { username, password, identityToken } = req.credentials ?? {};
  if ((password || identityToken) && !isPermittedUrl(realm, req.insecure)) {
    throw new RegistryError('REGISTRY_UNAUTHORIZED', `${req.action}: refusing to send credentials to ${safeUrl(realm)} over plain http`);
  }
  const secrets = [password, identityToken].filter((s): s is string => !!s);
  if (identityToken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: identityToken, client_id: OAUTH_CLIENT_ID });
    if (req.service) form.set('service', req.service);
    if (req.scopes.length) form.set('scope', req.scopes.join(' '));
    const res = await send(req, realm, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from(form.toString()));
    if (res.status !== 404 && res.status !== 405) return parse(req, res, realm, secrets);
    res.cancel();
  }
  const url = new URL(realm);
  if (req.service) url.searchParams.set('service', req.service);
  for (const scope of req.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = {};
  if (username && password) {
    url.searchParams.set('account', username);
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return parse(req, await send(req, url, 'GET', headers), realm, secrets);
}

async function send(req: TokenRequest, url: URL, method: string, headers: Record<string, string>, body?: Buffer): Promise<TransportResponse> {
  try {
    return await req.transport({
      method,
      url,
      headers: { ...headers, 'user-agent': req.userAgent, accept: 'application/json' },
      ...(body && { body }),
      ...(req.signal && { signal: req.signal }),
    });
  } catch (err) {
    throw transportFailure(`${req.action}: getting a token`, url.host, err, req.signal);
  }
}

async function parse(req: TokenRequest, res: TransportResponse, realm: URL, secrets: readonly string[]): Promise<Token> {
  const action = `${req.action}: getting a token from ${safeUrl(realm)}`;
  if (res.status !== 200) {
    const err = await responseError(res, action, req.errorBodyBytes, req.signal, secrets);
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new RegistryError('REGISTRY_UNAUTHORIZED', err.message, { status: res.status, registryCodes: err.registryCodes });
    }
    throw err;
  }
  const bytes = await readBody(res, TOKEN_RESPONSE_BYTES, action, req.signal);
  let json: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    json = JSON.parse(bytes.toString('utf8')) as typeof json;
  } catch {
    throw invalidResponse(action, 'the token response is not json', res.status);
  }
  const token = typeof json?.access_token === 'string' && json.access_token ? json.access_token : json?.token;
  if (typeof token !== 'string' || token === '' || /[\s,]/.test(token)) throw invalidResponse(action, 'the token response has no usable token', res.status);
  const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 60;
  return { token, expiresIn };
}
