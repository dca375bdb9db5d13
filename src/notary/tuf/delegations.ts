/**
 * Delegated targets, breadth-first from `targets` (notaryproject/notary client/tufclient.go `downloadTargets`,
 * tuf/tuf.go `WalkTargets`): keys and threshold come from the parent's `delegations`, hash and length from the
 * snapshot; child paths are restricted to the parent's (`RestrictDelegationPathPrefixes`), and `""` matches
 * every name. Hash, parse and rollback failures throw; missing, expired or under-signed roles are skipped. Pure.
 */
import { NotaryError } from '../../shared/errors.ts';
import { checkFileMeta, checkVersion } from './file-meta.ts';
import { isExpired } from './go-time.ts';
import { parseTargets } from './parse-roles.ts';
import { countValidSignatures } from './signatures.ts';
import type { FileMeta, Signed, Snapshot, Targets } from './types.ts';

/** A delegation left out of the verified repository, and why (notary logs these and carries on). */
export interface SkippedRole {
  readonly role: string;
  readonly reason: 'not-supplied' | 'not-in-snapshot' | 'expired' | 'threshold';
}

/** The result of walking the delegation tree below a verified `targets`. */
export interface WalkResult {
  readonly targets: Map<string, ReadonlyMap<string, FileMeta>>;
  readonly children: Map<string, string[]>;
  readonly versions: Map<string, number>;
  readonly skipped: SkippedRole[];
  /** The verified documents, `targets` and each verified delegation, by role (a publisher edits these). */
  readonly documents: Map<string, Signed<Targets>>;
}

/** Verifies every reachable delegation of `top` against `snapshot`; `files` holds the delegation bytes by role. */
export function walkDelegations(
  top: Signed<Targets>,
  snapshot: Snapshot,
  files: ReadonlyMap<string, Uint8Array>,
  previous: ReadonlyMap<string, number> | undefined,
  now: Date,
): WalkResult {
  const out: WalkResult = {
    targets: new Map([['targets', top.signed.targets]]),
    children: new Map(),
    versions: new Map(),
    skipped: [],
    documents: new Map([['targets', top]]),
  };
  const queue: { name: string; doc: Signed<Targets>; paths: readonly string[] | undefined }[] = [{ name: 'targets', doc: top, paths: undefined }];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const kids: string[] = [];
    out.children.set(item.name, kids);
    for (const d of item.doc.signed.delegations) {
      const bytes = files.get(d.name);
      const meta = snapshot.meta.get(d.name);
      if (meta === undefined) {
        out.skipped.push({ role: d.name, reason: 'not-in-snapshot' });
        continue;
      }
      if (bytes === undefined) {
        out.skipped.push({ role: d.name, reason: 'not-supplied' });
        continue;
      }
      checkFileMeta(bytes, meta, d.name, 'snapshot');
      const doc = parseTargets(bytes, d.name);
      if (countValidSignatures(doc, d.name, d, item.doc.signed.delegationKeys) < d.threshold) {
        out.skipped.push({ role: d.name, reason: 'threshold' });
        continue;
      }
      checkVersion(doc.signed, d.name, previous);
      if (isExpired(doc.signed.expires, now)) {
        out.skipped.push({ role: d.name, reason: 'expired' });
        continue;
      }
      const parentPaths = item.paths;
      const paths = (d.paths ?? []).filter((p) => parentPaths === undefined || parentPaths.some((q) => p.startsWith(q)));
      const allowed = new Map([...doc.signed.targets].filter(([name]) => paths.some((p) => name.startsWith(p))));
      out.targets.set(d.name, allowed);
      out.versions.set(d.name, doc.signed.version);
      out.documents.set(d.name, doc);
      kids.push(d.name);
      queue.push({ name: d.name, doc, paths });
    }
  }
  if (!out.targets.has('targets')) throw new NotaryError('TRUST_DATA_INVALID', 'targets missing from the walk');
  return out;
}
