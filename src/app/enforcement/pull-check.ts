/**
 * What `docker pull` through the proxy may fetch (issue #11): a pull by tag is verified exactly as
 * `docker trustext pull` verifies it (context.ts verify: same stores, policy and refusal wording) and becomes a
 * pull of the verified digest, then the tag; a pull by digest is verified and kept; `pull -a` (no tag) is refused;
 * an import is forwarded (its image is unsigned, and gated where it is run).
 */
import { imageCreateRequest, type GateDecision } from '../../proxy/index.ts';
import { repositoryName } from '../../reference/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';
import { unchecked, verify, type Enforcement } from './context.ts';
import type { ApiRoute } from '../../proxy/index.ts';

/** The decision on one `POST /images/create`. */
export async function checkImageCreate(ctx: Enforcement, route: ApiRoute, contentTypes: readonly string[]): Promise<GateDecision> {
  const create = imageCreateRequest(route.query, contentTypes);
  if (create.kind === 'import') return { kind: 'forward', note: 'import (an unsigned local image: checked where it is run)' };
  const ref = create.reference;
  const name = repositoryName(ref);
  if (unchecked(ctx.policy, name)) return { kind: 'forward', note: `pull ${name}: not checked by the trust policy` };
  if (ref.tag === undefined && ref.digest === undefined) {
    throw new ApiRequestError(`pulling every tag of ${name} is refused while content trust is enforced: pull one tag`, { status: 403 });
  }
  // A digest is what gets pulled when one is given (with a tag beside it too, as the daemon does).
  const asked = ref.digest === undefined ? ref : { domain: ref.domain, path: ref.path, digest: ref.digest };
  const platform = create.platform;
  const trusted = await verify(ctx, asked, platform);
  const tag = ref.digest === undefined ? ref.tag : undefined;
  // The digest the reference resolved to is pulled (an index: the daemon takes its platform's manifest, the one
  // verified with it), so `name@<index digest>` is then on the engine for a create that names it.
  return {
    kind: 'pull',
    name,
    digest: trusted.resolved,
    ...(tag !== undefined && { tag }),
    ...(platform !== undefined && { platform }),
    note: `pull ${name}${tag === undefined ? '' : `:${tag}`} as ${trusted.resolved}${trusted.resolved === trusted.digest ? '' : ` (platform ${trusted.digest})`}`,
    ...(trusted.warnings.length > 0 && { warning: trusted.warnings.join('; ') }),
  };
}
