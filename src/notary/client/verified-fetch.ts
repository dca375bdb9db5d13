/**
 * Downloads a repository's Notary trust data in the order notary's client does (notaryproject/notary
 * client/tufclient.go Update): root, every root version since the pinned one, timestamp, then
 * snapshot, targets and the delegations by consistent name; verifies them as one chain against the pinned root and
 * the versions seen before (notary/tuf verifyRepository), and caches what verified for the next rollback checks.
 */
import { parseRoot, parseSnapshot, parseTimestamp, verifyRepository, type VerifiedRepository } from '../tuf/index.ts';
import { NotaryError } from '../../shared/errors.ts';
import type { NotaryClient } from './notary-client.ts';
import type { TrustCache } from './trust-cache.ts';

/** A repository's Notary endpoint: its gun, the trust server, a client for it and the local cache of verified metadata. */
export interface NotaryContext {
  readonly gun: string;
  readonly server: URL;
  readonly client: NotaryClient;
  readonly cache: TrustCache;
  /** The clock expiry is judged by, read once everything is downloaded (a slow server cannot age metadata past it). */
  readonly now: () => Date;
}

/** The roles whose versions are remembered for rollback detection, besides the delegations. */
const TOP_ROLES = ['root', 'timestamp', 'snapshot', 'targets'] as const;

/** The most root rotations between two pulls that are followed (each one is a download). */
export const MAX_ROOT_ROTATIONS = 64;

const hexOf = (b64: string | undefined) => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('hex'));

/** Fetches and verifies a repository's Notary trust data as of the clock once it is all here, caching it for the next rollback checks. */
export async function fetchVerified(ctx: NotaryContext, signal?: AbortSignal): Promise<VerifiedRepository> {
  const { gun, client, cache } = ctx;
  const opts = signal ? { signal } : {};
  const [pinnedRoot, ...versions] = await Promise.all([cache.read(gun, 'root'), ...TOP_ROLES.map((r) => cache.version(gun, r))]);
  const root = await client.getRole(gun, 'root', opts);
  const intermediateRoots = await rootsBetween(ctx, pinnedRoot, root, signal);
  const timestamp = await client.getRole(gun, 'timestamp', opts);
  const snapshotSum = hexOf(parseTimestamp(timestamp).signed.meta.get('snapshot')?.hashes.sha256);
  const snapshot = await client.getRole(gun, 'snapshot', { ...opts, ...(snapshotSum && { consistentName: snapshotSum }) });
  const meta = parseSnapshot(snapshot).signed.meta;
  const byName = (role: string) => {
    const sum = hexOf(meta.get(role)?.hashes.sha256);
    return client.getRole(gun, role, { ...opts, ...(sum && { consistentName: sum }) });
  };
  const targets = await byName('targets');
  const delegationNames = [...meta.keys()].filter((r) => r.startsWith('targets/'));
  const delegations = new Map(await Promise.all(delegationNames.map(async (r) => [r, await byName(r)] as const)));
  const previous = new Map<string, number>();
  TOP_ROLES.forEach((r, i) => {
    if (versions[i] !== undefined) previous.set(r, versions[i]!);
  });
  for (const r of delegationNames) {
    const v = await cache.version(gun, r);
    if (v !== undefined) previous.set(r, v);
  }
  const verified = verifyRepository({ gun, root, pinnedRoot, intermediateRoots, timestamp, snapshot, targets, delegations, previous, now: ctx.now() });
  await cache.store(gun, [['root', root], ['timestamp', timestamp], ['snapshot', snapshot], ['targets', targets], ...delegations]);
  return verified;
}

/**
 * Every root version strictly between the pinned root and the current one (`<n>.root.json`), as notary's client
 * fetches them, so each rotation is checked against the root before it. More than MAX_ROOT_ROTATIONS is refused.
 */
async function rootsBetween(ctx: NotaryContext, pinned: Uint8Array | undefined, current: Uint8Array, signal?: AbortSignal): Promise<Uint8Array[]> {
  if (pinned === undefined) return [];
  const from = parseRoot(pinned).signed.version;
  const to = parseRoot(current).signed.version;
  if (to - from - 1 > MAX_ROOT_ROTATIONS) {
    throw new NotaryError('TRUST_DATA_INVALID', `root moved from version ${from} to ${to}: more than ${MAX_ROOT_ROTATIONS} rotations to follow`);
  }
  const versions = Array.from({ length: Math.max(0, to - from - 1) }, (_, i) => from + 1 + i);
  return Promise.all(versions.map((version) => ctx.client.getRole(ctx.gun, 'root', { version, ...(signal && { signal }) })));
}
