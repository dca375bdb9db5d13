/**
 * Strict parsers for the four top-level roles and delegated targets, from the bytes the caller read (and
 * size-limited): `{"signed":…,"signatures":[{keyid,method,sig}]}` (notaryproject/notary
 * tuf/data/{root,targets,snapshot,timestamp}.go isValid*Structure). Pure; errors are TRUST_DATA_INVALID.
 */
import { parseJsonBytes } from './canonical-json.ts';
import { parseGoTime } from './go-time.ts';
import { array, base64, fileMeta, integer, invalid, keys, object, roleKeys, string } from './parse-fields.ts';
import type { DelegationRole, FileMeta, Root, Signed, SignedCommon, Snapshot, Targets, Timestamp, TufSignature } from './types.ts';

const ROLE_NAME = /^[-a-z0-9_/]+$/;

/** Whether `name` is a valid delegation role name (`targets/…`, `^[-a-z0-9_/]+$`, path-clean, under 256 chars; tuf/data/roles.go). */
export function isDelegationName(name: string): boolean {
  return (
    name.length < 256 &&
    name.startsWith('targets/') &&
    ROLE_NAME.test(name) &&
    !name.endsWith('/') &&
    !name.includes('//') &&
    !name.split('/').some((p) => p === '.' || p === '..')
  );
}

/** The parent role of a delegation (`targets/a/b` → `targets/a`). */
export function parentRole(name: string): string {
  return name.slice(0, name.lastIndexOf('/'));
}

/** root.json bytes → a parsed, structurally valid Root. */
export function parseRoot(bytes: Uint8Array): Signed<Root> {
  return envelope(bytes, 'root', 'Root', (o, common) => {
    const ks = keys(o.keys, 'root.keys');
    const rolesObj = object(o.roles, 'root.roles');
    const pick = (r: 'root' | 'targets' | 'snapshot' | 'timestamp') => {
      const role = roleKeys(rolesObj[r], `root.roles.${r}`);
      for (const id of role.keyids) if (!ks.has(id)) invalid(`root.roles.${r} names key ${id}, which root.keys lacks`);
      return role;
    };
    return {
      ...common,
      type: 'Root',
      keys: ks,
      roles: { root: pick('root'), targets: pick('targets'), snapshot: pick('snapshot'), timestamp: pick('timestamp') },
    };
  });
}

/** targets.json or a delegation's bytes (`role` names it, e.g. `targets/releases`) → parsed Targets. */
export function parseTargets(bytes: Uint8Array, role = 'targets'): Signed<Targets> {
  return envelope(bytes, role, 'Targets', (o, common) => {
    const targets = new Map<string, FileMeta>();
    const t = o.targets ?? {};
    for (const [name, meta] of Object.entries(object(t, `${role}.targets`))) targets.set(name, fileMeta(meta, `${role}.targets.${name}`));
    const d = object(o.delegations ?? {}, `${role}.delegations`);
    const delegationKeys = keys(d.keys ?? {}, `${role}.delegations.keys`);
    const delegations = array(d.roles ?? [], `${role}.delegations.roles`).map((r, i): DelegationRole => {
      const field = `${role}.delegations.roles[${i}]`;
      const ro = object(r, field);
      const name = string(ro.name, `${field}.name`);
      if (!isDelegationName(name) || parentRole(name) !== role)
        invalid(`${field}.name ${JSON.stringify(name.slice(0, 300))} is not a direct delegation of ${role}`);
      const rk = roleKeys(ro, field);
      for (const id of rk.keyids) if (!delegationKeys.has(id)) invalid(`${field} names key ${id}, which ${role}.delegations.keys lacks`);
      const paths =
        ro.paths === undefined || ro.paths === null ? undefined : array(ro.paths, `${field}.paths`).map((p, j) => string(p, `${field}.paths[${j}]`));
      return { name, keyids: rk.keyids, threshold: rk.threshold, paths };
    });
    if (new Set(delegations.map((x) => x.name)).size !== delegations.length) invalid(`${role}.delegations.roles repeats a role`);
    return { ...common, type: 'Targets', targets, delegationKeys, delegations };
  });
}

/** snapshot.json bytes → parsed Snapshot; `root` and `targets` must be listed with a sha256 (tuf/data/snapshot.go). */
export function parseSnapshot(bytes: Uint8Array): Signed<Snapshot> {
  return envelope(bytes, 'snapshot', 'Snapshot', (o, common) => {
    const meta = metaMap(o.meta, 'snapshot.meta');
    for (const r of ['root', 'targets']) if (meta.get(r)?.hashes.sha256 === undefined) invalid(`snapshot.meta.${r} has no sha256`);
    return { ...common, type: 'Snapshot', meta };
  });
}

/** timestamp.json bytes → parsed Timestamp; `snapshot` must be listed with a sha256 (tuf/data/timestamp.go). */
export function parseTimestamp(bytes: Uint8Array): Signed<Timestamp> {
  return envelope(bytes, 'timestamp', 'Timestamp', (o, common) => {
    const meta = metaMap(o.meta, 'timestamp.meta');
    if (meta.get('snapshot')?.hashes.sha256 === undefined) invalid('timestamp.meta.snapshot has no sha256');
    return { ...common, type: 'Timestamp', meta };
  });
}

function metaMap(v: unknown, field: string): Map<string, FileMeta> {
  return new Map(Object.entries(object(v, field)).map(([r, m]) => [r, fileMeta(m, `${field}.${r}`)]));
}

type Common<T extends SignedCommon['type']> = { type: T; version: number; expires: string };

function envelope<T extends SignedCommon>(
  bytes: Uint8Array,
  role: string,
  type: T['type'],
  body: (o: Record<string, unknown>, common: Common<T['type']>) => T,
): Signed<T> {
  const top = object(parseJsonBytes(bytes, `${role}.json`), role);
  const signedValue = top.signed;
  const o = object(signedValue, `${role}.signed`);
  if (o._type !== type) invalid(`${role}._type is ${JSON.stringify(o._type)}, not "${type}"`);
  const expires = string(o.expires, `${role}.expires`);
  parseGoTime(expires);
  const common = { type, version: integer(o.version, `${role}.version`, 1), expires };
  const signatures = array(top.signatures ?? [], `${role}.signatures`).map((s, i): TufSignature => {
    const so = object(s, `${role}.signatures[${i}]`);
    return {
      keyid: string(so.keyid, `${role}.signatures[${i}].keyid`),
      method: string(so.method, `${role}.signatures[${i}].method`).toLowerCase(),
      sig: base64(so.sig, `${role}.signatures[${i}].sig`),
    };
  });
  return { signed: body(o, common), signedValue, signatures, bytes };
}
