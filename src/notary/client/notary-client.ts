/**
 * NotaryClient: reads and publishes trust data on a Notary v1 server over the registry adapter's transport (its
 * deadlines, retries of GETs and proxies) and token auth (Requester + Authenticator: a 401 `Bearer
 * realm,service,scope` is answered with a token fetched with the registry's credentials, as docker's notary
 * client does), https only, TLS from docker's
 * `<configDir>/tls/<host[:port]>/` (cli/trust/trust.go `GetNotaryRepository`), every body read to a limit.
 * Routes: notaryproject/notary server/server.go.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Authenticator } from '../../http/index.ts';
import { readBody, readPrefix } from '../../http/index.ts';
import { repositoryScope } from '../../http/index.ts';
import type { RegistryEndpoint } from '../../http/index.ts';
import { httpTransports, type Transport, type TransportResponse } from '../../http/index.ts';
import { Requester, safeUrl } from '../../http/index.ts';
import { looksLikeBase64 } from '../../encoding/index.ts';
import { ConfigError, RegistryError } from '../../shared/errors.ts';
import {
  DEFAULT_NOTARY_LIMITS,
  type GetRoleOptions,
  type NotaryClientOptions,
  type NotaryLimits,
  type NotaryPublicKey,
  type NotaryRequestOptions,
} from './client-options.ts';
import { encodeMultipart, type MetadataFile } from './multipart.ts';
import { checkGun, checkRole } from './names.ts';
import { NotaryServerError, parseNotaryErrorBody, serverError } from './server-error.ts';
import { failure, untrusted } from './wrap.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Notary's own cap on timestamp.json (notary.MaxTimestampSize), used when the caller names no maxBytes. */
const TIMESTAMP_BYTES = 1 << 20;

/** A Notary v1 client for one server; tokens and credentials are cached for its lifetime. Constructing it does no I/O. */
export class NotaryClient {
  readonly #server: URL;
  readonly #base: string;
  readonly #endpoint: RegistryEndpoint;
  readonly #requester: Requester;
  readonly #authenticator: Authenticator;
  readonly #limits: NotaryLimits;
  readonly #tlsDir: string | undefined;

  constructor(options: NotaryClientOptions) {
    const { server } = options;
    if (server.protocol !== 'https:' || !server.host) {
      throw new ConfigError('CONFIG_INVALID', `valid https URL required for trust server, got ${safeUrl(server)}`);
    }
    this.#server = server;
    this.#base = `${server.origin}${server.pathname.replace(/\/+$/, '')}`;
    this.#endpoint = { domain: options.registry ?? server.host, host: server.host, origin: server.origin };
    this.#limits = { ...DEFAULT_NOTARY_LIMITS, ...options.limits };
    this.#tlsDir = options.configDir === undefined ? undefined : join(options.configDir, 'tls');
    const transport = options.transport ?? httpTransports({ certsDirs: this.#tlsDir === undefined ? [] : [this.#tlsDir], http: options.http }).retrying;
    this.#authenticator = new Authenticator({
      keychain: options.keychain ?? (async () => undefined),
      transport,
      userAgent: options.userAgent,
      insecure: [],
      errorBodyBytes: this.#limits.errorBodyBytes,
      now: Date.now,
    });
    // Trust data travels over https only: also after redirects, where the registry rules would allow loopback http.
    const httpsOnly: Transport = (req) =>
      req.url.protocol === 'https:'
        ? transport(req)
        : Promise.reject(new RegistryError('REGISTRY_INVALID_RESPONSE', `refusing to fetch trust data from ${safeUrl(req.url)} over plain http`));
    this.#requester = new Requester({
      transport: httpsOnly,
      authenticator: this.#authenticator,
      userAgent: options.userAgent,
      insecure: [],
      errorBodyBytes: this.#limits.errorBodyBytes,
    });
  }

  /** The server this client talks to. */
  get server(): URL {
    return new URL(this.#server);
  }

  /**
   * The raw bytes of a role's metadata: `<role>.json` (current version), with `version` `<n>.<role>.json` (a past
   * version, as notary's client fetches intermediate roots), or, with `consistentName`, `<role>.<hex>.json`,
   * whose sha256 must equal it. 404 is TRUST_DATA_MISSING ("remote trust data does not exist for <gun>"); a body over
   * the limit (maxBytes, else 1 MiB for timestamp; never above limits.metadataBytes) or with the wrong checksum is
   * TRUST_DATA_INVALID.
   */
  async getRole(gun: string, role: string, opts: GetRoleOptions = {}): Promise<Buffer> {
    checkGun(gun);
    checkRole(role);
    const { consistentName, version, signal } = opts;
    if (consistentName !== undefined && !SHA256_HEX.test(consistentName)) {
      throw untrusted(`fetching ${role} trust data for ${gun}: invalid checksum ${JSON.stringify(consistentName.slice(0, 200))}`);
    }
    if (version !== undefined && (!Number.isSafeInteger(version) || version < 1 || consistentName !== undefined)) {
      throw untrusted(`fetching ${role} trust data for ${gun}: invalid version ${String(version)}`);
    }
    const file = version !== undefined ? `${version}.${role}.json` : consistentName === undefined ? `${role}.json` : `${role}.${consistentName}.json`;
    const action = `fetching ${file} for ${gun} from ${this.#server.host}`;
    const limit = Math.min(opts.maxBytes ?? (role === 'timestamp' ? TIMESTAMP_BYTES : Infinity), this.#limits.metadataBytes);
    const bytes = await this.#get(gun, file, ['pull'], action, limit, signal);
    if (consistentName !== undefined && createHash('sha256').update(bytes).digest('hex') !== consistentName) {
      throw untrusted(`${action}: the server sent data that does not match its checksum`);
    }
    return bytes;
  }

  /** A server-managed public key (`timestamp.key` or `snapshot.key`). Before a root exists every call mints a new key. */
  async getKey(gun: string, role: 'timestamp' | 'snapshot', opts: NotaryRequestOptions = {}): Promise<NotaryPublicKey> {
    checkGun(gun);
    if (role !== 'timestamp' && role !== 'snapshot') throw untrusted(`notary serves keys only for timestamp and snapshot, not ${JSON.stringify(String(role))}`);
    const action = `fetching the ${role} key for ${gun} from ${this.#server.host}`;
    const bytes = await this.#get(gun, `${role}.key`, ['pull', 'push'], action, this.#limits.keyBytes, opts.signal);
    let parsed: { keytype?: unknown; keyval?: { public?: unknown } } | null;
    try {
      parsed = JSON.parse(bytes.toString('utf8')) as typeof parsed;
    } catch {
      throw untrusted(`${action}: the server's answer is not json`);
    }
    const keytype = parsed?.keytype;
    const pub = parsed?.keyval?.public;
    if (typeof keytype !== 'string' || !/^[a-z0-9-]{1,32}$/.test(keytype) || typeof pub !== 'string' || !looksLikeBase64(pub)) {
      throw untrusted(`${action}: the server's answer is not a public key`);
    }
    return { keytype, public: pub };
  }

  /**
   * Publishes metadata atomically: one multipart POST, a `files` part per role (filename = role). Notary's refusals
   * are NotaryServerErrors (NOTARY_FAILED) with the server's message and codes; see isVersionConflict.
   */
  async publish(gun: string, files: readonly MetadataFile[], opts: NotaryRequestOptions = {}): Promise<void> {
    checkGun(gun);
    const { contentType, body } = encodeMultipart(files);
    const action = `publishing trust data for ${gun} to ${this.#server.host}`;
    const res = await this.#send(
      'POST',
      this.#url(gun, ''),
      [repositoryScope(gun, ['pull', 'push'])],
      action,
      opts.signal,
      { 'content-type': contentType },
      body,
    );
    if (res.status >= 200 && res.status < 300) {
      await readPrefix(res, this.#limits.errorBodyBytes, action, opts.signal); // empty; drained so the connection is reused
      return;
    }
    throw await this.#error(res, action, opts.signal);
  }

  /** Resolves when the server answers its health check (`/_notary_server/health`) with 200. */
  async health(opts: NotaryRequestOptions = {}): Promise<void> {
    const action = `checking the health of ${this.#server.host}`;
    const res = await this.#send('GET', new URL(`${this.#base}/_notary_server/health`), [], action, opts.signal);
    if (res.status !== 200) throw await this.#error(res, action, opts.signal);
    await this.#read(res, this.#limits.errorBodyBytes, action, opts.signal, 'NOTARY_FAILED');
  }

  #url(gun: string, file: string): URL {
    return new URL(`${this.#base}/v2/${gun}/_trust/tuf/${file}`);
  }

  async #get(gun: string, file: string, actions: ('pull' | 'push')[], action: string, limit: number, signal?: AbortSignal): Promise<Buffer> {
    const res = await this.#send('GET', this.#url(gun, file), [repositoryScope(gun, actions)], action, signal);
    if (res.status === 200) return this.#read(res, limit, action, signal, 'TRUST_DATA_INVALID');
    const err = await this.#error(res, action, signal);
    if (res.status !== 404) throw err;
    const what = file === 'root.json' || file === 'timestamp.json' ? `trust data for ${gun}` : file;
    throw new NotaryServerError('TRUST_DATA_MISSING', `remote trust data does not exist for ${gun}: ${this.#server.host} does not have ${what}`, {
      status: 404,
      serverCodes: err.serverCodes,
    });
  }

  async #send(
    method: string,
    url: URL,
    scopes: readonly string[],
    action: string,
    signal?: AbortSignal,
    headers: Record<string, string> = {},
    body?: Uint8Array,
  ): Promise<TransportResponse> {
    try {
      return await this.#requester.send({
        endpoint: this.#endpoint,
        method,
        url,
        scopes,
        action,
        headers: { accept: 'application/json', ...headers },
        signal,
        ...(body && { body }),
      });
    } catch (err) {
      throw failure(err, action, signal, this.#endpoint.host, this.#tlsDir);
    }
  }

  async #read(
    res: TransportResponse,
    limit: number,
    action: string,
    signal: AbortSignal | undefined,
    oversized: 'TRUST_DATA_INVALID' | 'NOTARY_FAILED',
  ): Promise<Buffer> {
    try {
      return await readBody(res, limit, action, signal);
    } catch (err) {
      throw failure(err, action, signal, this.#endpoint.host, this.#tlsDir, oversized);
    }
  }

  async #error(res: TransportResponse, action: string, signal?: AbortSignal): Promise<NotaryServerError> {
    const bytes = await readPrefix(res, this.#limits.errorBodyBytes, action, signal);
    return serverError(action, res.status, parseNotaryErrorBody(bytes), this.#authenticator.secrets, res.attempts);
  }
}
