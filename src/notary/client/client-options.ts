/**
 * How a NotaryClient is configured and what its calls take and return. Everything comes in here (server,
 * docker config directory, keychain, identity, network settings, transport, limits): the client reads no
 * environment.
 */
import type { HttpSettings, Keychain, Transport } from '../../http/index.ts';

/** Byte limits on what the client reads into memory. */
export interface NotaryLimits {
  /** Largest metadata file accepted (a per-call maxBytes can only lower it). */
  readonly metadataBytes: number;
  /** Largest public-key answer accepted. */
  readonly keyBytes: number;
  /** How much of an error body is read; the rest is discarded. */
  readonly errorBodyBytes: number;
}

/** 10 MiB metadata, 64 KiB keys and error bodies. */
export const DEFAULT_NOTARY_LIMITS: NotaryLimits = { metadataBytes: 10 << 20, keyBytes: 64 << 10, errorBodyBytes: 64 << 10 };

/** Options of a NotaryClient. */
export interface NotaryClientOptions {
  /** The trust server (see trustServerFor); https only. A path is kept as a prefix, as notary's client does. */
  readonly server: URL;
  /** The docker config directory: TLS material comes from `<configDir>/tls/<host[:port]>/`. */
  readonly configDir?: string;
  /** The registry as docker names it, whose credentials answer the server's token challenges (default: the server's host). */
  readonly registry?: string;
  /** Where credentials come from; anonymous when absent. */
  readonly keychain?: Keychain;
  /** Sent as User-Agent on every request. */
  readonly userAgent: string;
  /** Deadlines, minimum rate, retries and proxies, as for the registry client. */
  readonly http?: Partial<HttpSettings>;
  /** Replaces the node:https transport and its retries (tests); configDir and http are then not used. */
  readonly transport?: Transport;
  /** Overrides of DEFAULT_NOTARY_LIMITS. */
  readonly limits?: Partial<NotaryLimits>;
}

/** Per-call options: every call can be aborted, rejecting with the signal's reason. */
export interface NotaryRequestOptions {
  readonly signal?: AbortSignal;
}

/** How getRole fetches a role. */
export interface GetRoleOptions extends NotaryRequestOptions {
  /** The sha256 (hex) the file must have; fetched as `<role>.<hex>.json` and checked against the bytes. */
  readonly consistentName?: string;
  /** A past version to fetch, as `<version>.<role>.json` (intermediate roots after rotations). */
  readonly version?: number;
  /** The most bytes accepted (e.g. the length the snapshot or timestamp names); capped at limits.metadataBytes. */
  readonly maxBytes?: number;
}

/** A server-managed public key as notary serves it (`{"keytype":…,"keyval":{"public":…,"private":null}}`). */
export interface NotaryPublicKey {
  readonly keytype: string;
  /** base64, as in `keyval.public`. */
  readonly public: string;
}
