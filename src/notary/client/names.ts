/**
 * The names a Notary v1 client puts into URLs and file paths, checked before use: a GUN must be a fully
 * qualified repository name exactly as docker sends it (`repoInfo.Name.Name()`, e.g. docker.io/library/alpine),
 * and a role one of notary's (`root|targets(/x)*|snapshot|timestamp`, tuf/data/roles.go). Pure.
 */
import { parseReference, repositoryName } from '../../reference/index.ts';
import { NotaryError, ReferenceParseError } from '../../shared/errors.ts';

/** Notary's delegation-name grammar (tuf/data/roles.go: `^[-a-z0-9_/]+$`, path-clean, under 256 characters). */
const ROLE = /^(?:root|snapshot|timestamp|targets(?:\/[-a-z0-9_]+)*)$/;

/** Throws ReferenceParseError unless `gun` is a canonical fully qualified repository name (no tag, digest or alias). */
export function checkGun(gun: string): string {
  let canonical: string | undefined;
  try {
    const ref = parseReference(gun);
    if (ref.tag === undefined && ref.digest === undefined) canonical = repositoryName(ref);
  } catch (err) {
    throw new ReferenceParseError(gun, `invalid trust repository name ${JSON.stringify(gun)}: ${(err as Error).message}`);
  }
  if (canonical !== gun) {
    throw new ReferenceParseError(
      gun,
      `invalid trust repository name ${JSON.stringify(gun)}: not a fully qualified repository name${canonical ? ` (${canonical})` : ''}`,
    );
  }
  return gun;
}

/** True for a role name notary serves: root, snapshot, timestamp, targets and its delegations. */
export function isRoleName(role: string): boolean {
  return role.length < 256 && ROLE.test(role);
}

/** Throws TRUST_DATA_INVALID unless `role` is a role name (delegation names come from the server's metadata). */
export function checkRole(role: string): string {
  if (!isRoleName(role)) throw new NotaryError('TRUST_DATA_INVALID', `invalid trust role name ${JSON.stringify(role.slice(0, 300))}`);
  return role;
}
