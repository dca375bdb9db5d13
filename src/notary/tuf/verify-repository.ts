/**
 * The client verification chain of notaryproject/notary client/tufclient.go and tuf/builder.go, over bytes the
 * caller downloaded: root (trustRoot) → timestamp → snapshot (hash from timestamp) → root and targets (hashes from
 * snapshot) → delegations breadth-first. Top-level failures throw; a delegation that is not supplied, not in the
 * snapshot, expired or below its threshold is skipped and reported, as notary only warns about those. Pure.
 */
import { checkExpiry, checkFileMeta, checkVersion } from './file-meta.ts';
import { canonicalKeyId } from './key-id.ts';
import { parseSnapshot, parseTargets, parseTimestamp } from './parse-roles.ts';
import { verifyThreshold } from './signatures.ts';
import type { FileMeta, Root, Signed, Targets } from './types.ts';
import { trustRoot, type RootInput } from './verify-root.ts';
import { walkDelegations, type SkippedRole } from './delegations.ts';

/** Everything verifyRepository needs; byte arrays are the files exactly as downloaded. */
export interface RepositoryInput extends Omit<RootInput, 'previousVersion'> {
  readonly timestamp: Uint8Array;
  readonly snapshot: Uint8Array;
  readonly targets: Uint8Array;
  /** Delegated targets by role name (`targets/releases`, …); roles left out are skipped. */
  readonly delegations?: ReadonlyMap<string, Uint8Array> | undefined;
  /** Versions seen before, by role name (`root`, `timestamp`, `snapshot`, `targets`, delegations). */
  readonly previous?: ReadonlyMap<string, number> | undefined;
}

/** A verified repository: the trusted root (to pin), role versions, targets by role, delegation tree, skipped roles. */
export interface VerifiedRepository {
  readonly gun: string;
  readonly root: Signed<Root>;
  /** Versions of every verified role, to pass back as `previous` next time. */
  readonly versions: ReadonlyMap<string, number>;
  /** Target name → FileMeta for `targets` and each verified delegation (names outside a delegation's paths dropped). */
  readonly targets: ReadonlyMap<string, ReadonlyMap<string, FileMeta>>;
  /** Verified child delegations of each verified targets role, in delegation order. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly skipped: readonly SkippedRole[];
  /** The verified `targets` and delegation documents by role. */
  readonly documents: ReadonlyMap<string, Signed<Targets>>;
  /** Root key ids as root.json lists them (what `docker trust inspect` 28.2.2 shows as "Root Key"). */
  readonly rootKeyIds: readonly string[];
  /** Canonical ids of the same keys (the names of docker's private key files, trust/private/<id>.key). */
  readonly rootCanonicalKeyIds: readonly string[];
}

/**
 * Verifies a repository's trust data as notary's client would and returns what it may trust; throws NotaryError
 * TRUST_DATA_INVALID (bad bytes, hash, length or signatures), TRUST_DATA_EXPIRED or TRUST_DATA_ROLLBACK.
 */
export function verifyRepository(input: RepositoryInput): VerifiedRepository {
  const { now, previous } = input;
  const root = trustRoot({ ...input, previousVersion: previous?.get('root') });
  const r = root.signed;

  const timestamp = parseTimestamp(input.timestamp);
  verifyThreshold(timestamp, 'timestamp', r.roles.timestamp, r.keys);
  checkVersion(timestamp.signed, 'timestamp', previous);
  checkExpiry(timestamp.signed, 'timestamp', now);

  checkFileMeta(input.snapshot, timestamp.signed.meta.get('snapshot'), 'snapshot', 'timestamp');
  const snapshot = parseSnapshot(input.snapshot);
  verifyThreshold(snapshot, 'snapshot', r.roles.snapshot, r.keys);
  checkVersion(snapshot.signed, 'snapshot', previous);
  checkExpiry(snapshot.signed, 'snapshot', now);
  checkFileMeta(root.bytes, snapshot.signed.meta.get('root'), 'root', 'snapshot');

  checkFileMeta(input.targets, snapshot.signed.meta.get('targets'), 'targets', 'snapshot');
  const targets = parseTargets(input.targets);
  verifyThreshold(targets, 'targets', r.roles.targets, r.keys);
  checkVersion(targets.signed, 'targets', previous);
  checkExpiry(targets.signed, 'targets', now);

  const walked = walkDelegations(targets, snapshot.signed, input.delegations ?? new Map(), previous, now);
  const versions = new Map<string, number>([
    ['root', r.version],
    ['timestamp', timestamp.signed.version],
    ['snapshot', snapshot.signed.version],
    ['targets', targets.signed.version],
  ]);
  for (const [role, v] of walked.versions) versions.set(role, v);
  const rootKeyIds = [...r.roles.root.keyids];
  const rootCanonicalKeyIds = rootKeyIds.map((id) => canonicalKeyId(r.keys.get(id)!));
  return {
    gun: input.gun,
    root,
    versions,
    targets: walked.targets,
    children: walked.children,
    skipped: walked.skipped,
    documents: walked.documents,
    rootKeyIds,
    rootCanonicalKeyIds,
  };
}
