/**
 * The Notary v1 TUF metadata model (notaryproject/notary tuf/data), as read by the strict
 * parsers. Every parsed document keeps its raw bytes and the decoded `signed` value, because signatures are
 * checked over canonical(decoded `signed`) and hashes over the bytes as received — never over a re-encoding.
 */

/** Key types notary knows (tuf/data/keys.go). */
export type TufKeyType = 'ecdsa' | 'ecdsa-x509' | 'ed25519' | 'rsa' | 'rsa-x509';

/** A public key as it appears in root.keys or delegations.keys; `public` is the base64 text exactly as stored. */
export interface TufKey {
  readonly keytype: TufKeyType;
  readonly public: string;
}

/** One entry of `signatures`: the key id, the lower-cased method and the decoded signature bytes. */
export interface TufSignature {
  readonly keyid: string;
  readonly method: string;
  readonly sig: Buffer;
}

/** Which keys may sign a role and how many distinct ones must. */
export interface RoleKeys {
  readonly keyids: readonly string[];
  readonly threshold: number;
}

/** A delegation entry of a targets role (`paths` absent means it matches no target name). */
export interface DelegationRole extends RoleKeys {
  readonly name: string;
  readonly paths: readonly string[] | undefined;
}

/** Hashes (base64 as stored, by algorithm) and length of a file or a target. */
export interface FileMeta {
  readonly hashes: Readonly<Record<string, string>>;
  readonly length: number;
}

/** Fields every role shares; `expires` is the original RFC 3339 string. */
export interface SignedCommon {
  readonly type: 'Root' | 'Targets' | 'Snapshot' | 'Timestamp';
  readonly version: number;
  readonly expires: string;
}

/** root.json `signed`. */
export interface Root extends SignedCommon {
  readonly type: 'Root';
  readonly keys: ReadonlyMap<string, TufKey>;
  readonly roles: Readonly<Record<'root' | 'targets' | 'snapshot' | 'timestamp', RoleKeys>>;
}

/** targets.json or a delegation's `signed`. */
export interface Targets extends SignedCommon {
  readonly type: 'Targets';
  readonly targets: ReadonlyMap<string, FileMeta>;
  readonly delegationKeys: ReadonlyMap<string, TufKey>;
  readonly delegations: readonly DelegationRole[];
}

/** snapshot.json `signed`: meta by role name. */
export interface Snapshot extends SignedCommon {
  readonly type: 'Snapshot';
  readonly meta: ReadonlyMap<string, FileMeta>;
}

/** timestamp.json `signed`: meta of the snapshot. */
export interface Timestamp extends SignedCommon {
  readonly type: 'Timestamp';
  readonly meta: ReadonlyMap<string, FileMeta>;
}

/** A parsed signed envelope: the typed role, the decoded `signed` value, the signatures and the raw bytes. */
export interface Signed<T extends SignedCommon> {
  readonly signed: T;
  readonly signedValue: unknown;
  readonly signatures: readonly TufSignature[];
  readonly bytes: Uint8Array;
}
