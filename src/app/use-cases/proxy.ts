/**
 * The Engine API proxy's trust decisions (issue #11, in progress): what `docker pull` through the proxy may fetch.
 * A pull by tag is verified exactly as `docker trustext pull` verifies it (trustedDigest: same stores, policy and
 * refusal wording) and becomes a pull of the verified digest, then the tag; a pull by digest is verified and kept;
 * `pull -a` (no tag) is refused; an import is forwarded (its image is unsigned, to be gated where it is run).
 */
import { FORWARD, imageCreateRequest, type Gate } from '../../proxy/index.ts';
import { repositoryName } from '../../reference/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';
import type { Session } from '../session/index.ts';
import { trustedDigest } from './pull.ts';

/** The gate that enforces content trust on image pulls for the proxy in front of this session's engine. */
export function proxyGate(session: Session): Gate {
  return {
    async decide({ route, contentTypes }) {
      if (route.endpoint !== 'images-create') return FORWARD;
      const create = imageCreateRequest(route.query, contentTypes);
      if (create.kind === 'import') return FORWARD;
      const ref = create.reference;
      const name = repositoryName(ref);
      if (ref.tag === undefined && ref.digest === undefined) {
        throw new ApiRequestError(`pulling every tag of ${name} is refused while content trust is enforced: pull one tag`, { status: 403 });
      }
      // A digest is what gets pulled when one is given (with a tag beside it too, as the daemon does).
      const asked = ref.digest === undefined ? ref : { domain: ref.domain, path: ref.path, digest: ref.digest };
      const platform = create.platform;
      const trusted = await trustedDigest(session, asked, platform === undefined ? {} : { platform });
      return {
        kind: 'pull',
        name,
        digest: trusted.digest,
        ...(ref.digest === undefined && ref.tag !== undefined && { tag: ref.tag }),
        ...(platform !== undefined && { platform }),
      };
    },
  };
}
