/**
 * The `signed` values a publisher writes, field for field as notary's Go structs serialise them (tuf/data
 * root.go, targets.go; tuf/data): a new root and targets for a repository, and changes to existing
 * targets or delegation metadata made on their decoded value, so nothing the Go writer put there is lost. Expiry
 * as notary's defaults (const.go: a year is 365 days). Pure.
 */
import { NotaryError } from '../../shared/errors.ts';
import { goRfc3339Nano } from './go-time.ts';
import { keyJson } from './sign-metadata.ts';
import type { FileMeta, TufKey } from './types.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** notary.NotaryRootExpiry and NotaryTargetsExpiry: 10 and 3 years of 365 days. */
export const ROOT_EXPIRY_MS = 10 * YEAR_MS;
export const TARGETS_EXPIRY_MS = 3 * YEAR_MS;

/** `expires` for metadata signed at `now` that lives `ms`, in Go's RFC3339Nano. */
export function expiresAt(now: Date, ms: number): string {
  return goRfc3339Nano(new Date(now.getTime() + ms));
}

/** The four keys of a new repository's root (root is the x509 certificate KEY); ids computed by the caller. */
export interface RootKeys {
  readonly root: readonly [string, TufKey];
  readonly targets: readonly [string, TufKey];
  readonly snapshot: readonly [string, TufKey];
  readonly timestamp: readonly [string, TufKey];
}

/** root.json `signed` for a repository, each role with one key and threshold 1. */
export function rootSigned(keys: RootKeys, version: number, expires: string): Record<string, unknown> {
  const role = ([id]: readonly [string, TufKey]) => ({ keyids: [id], threshold: 1 });
  return {
    _type: 'Root',
    consistent_snapshot: false,
    expires,
    keys: Object.fromEntries(Object.values(keys).map(([id, key]) => [id, keyJson(key)])),
    roles: { root: role(keys.root), snapshot: role(keys.snapshot), targets: role(keys.targets), timestamp: role(keys.timestamp) },
    version,
  };
}

/** An empty targets (or delegation) `signed` value: `delegations` and `targets` always present, as Go writes them. */
export function emptyTargets(version: number, expires: string): Record<string, unknown> {
  return { _type: 'Targets', delegations: { keys: {}, roles: [] }, expires, targets: {}, version };
}

/** A docker target: the manifest's sha256 (base64 of the digest bytes) and its size. */
export function dockerTarget(digest: string, size: number): FileMeta {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m || !Number.isSafeInteger(size) || size < 0)
    throw new NotaryError('TRUST_DATA_INVALID', `cannot sign ${digest} (${size} bytes) into notary trust data`);
  return { hashes: { sha256: Buffer.from(m[1]!, 'hex').toString('base64') }, length: size };
}

/** withTarget's name for every target at once (removal only): what `docker trust revoke REPO` takes away. */
export const ALL_TARGETS: unique symbol = Symbol('all targets');

/**
 * A copy of a decoded targets `signed` value with `name` set to `meta` (or removed when meta is undefined; every
 * target removed for ALL_TARGETS), at a new version.
 */
export function withTarget(
  signed: unknown,
  name: string | typeof ALL_TARGETS,
  meta: FileMeta | undefined,
  version: number,
  expires: string,
): Record<string, unknown> {
  const copy = structuredClone(signed) as Record<string, unknown>;
  const targets = name === ALL_TARGETS ? {} : { ...(copy.targets as Record<string, unknown> | undefined) };
  if (name === ALL_TARGETS && meta) throw new NotaryError('TRUST_DATA_INVALID', 'a target needs a name');
  if (name !== ALL_TARGETS) {
    if (meta) targets[name] = { hashes: { ...meta.hashes }, length: meta.length };
    else delete targets[name];
  }
  return { ...copy, targets, version, expires };
}

/**
 * A copy of a decoded targets `signed` value that delegates `role` (a direct child, paths `[""]`, threshold 1) to
 * `key` as well: the key is added to the role's keyids, or the role is created.
 */
export function withDelegation(signed: unknown, role: string, key: readonly [string, TufKey], version: number, expires: string): Record<string, unknown> {
  const copy = structuredClone(signed) as Record<string, unknown>;
  const delegations = (copy.delegations ?? { keys: {}, roles: [] }) as { keys: Record<string, unknown>; roles: Record<string, unknown>[] };
  const [id, tufKey] = key;
  const keys = { ...delegations.keys, [id]: keyJson(tufKey) };
  const roles = delegations.roles.map((r) => ({ ...r }));
  const existing = roles.find((r) => r.name === role);
  if (existing) {
    const ids = existing.keyids as string[];
    if (!ids.includes(id)) existing.keyids = [...ids, id];
  } else {
    roles.push({ keyids: [id], name: role, paths: [''], threshold: 1 });
  }
  return { ...copy, delegations: { keys, roles }, version, expires };
}

/**
 * A copy of a decoded targets `signed` value without `keyIds` in delegation `role` (without the role altogether
 * when `keyIds` is undefined or no key is left); keys no role lists any more leave `delegations.keys`.
 */
export function withoutDelegation(
  signed: unknown,
  role: string,
  keyIds: readonly string[] | undefined,
  version: number,
  expires: string,
): Record<string, unknown> {
  const copy = structuredClone(signed) as Record<string, unknown>;
  const delegations = (copy.delegations ?? { keys: {}, roles: [] }) as { keys: Record<string, unknown>; roles: { name: string; keyids: string[] }[] };
  const roles = delegations.roles
    .map((r) => (r.name !== role ? r : { ...r, keyids: keyIds === undefined ? [] : r.keyids.filter((id) => !keyIds.includes(id)) }))
    .filter((r) => r.keyids.length > 0);
  const used = new Set(roles.flatMap((r) => r.keyids));
  const keys = Object.fromEntries(Object.entries(delegations.keys).filter(([id]) => used.has(id)));
  return { ...copy, delegations: { keys, roles }, version, expires };
}
