import { dockerTarget, withTarget, type FileMeta } from '../../../notary/tuf/index.ts';
import type { Reference } from '../../../reference/index.ts';
import { SigningError } from '../../../shared/errors.ts';
import type { NotaryPublisher, NotaryPublishOutcome } from './publish.ts';
import type { Session } from '../../session/index.ts';

/**
 * The Notary target for a tag as the registry serves it: the sha256 of the manifest bytes (re-hashed by the
 * registry client) and their length. With `expectedDigest` (what the push reported) any other digest is refused.
 */
export async function manifestTarget(
  session: Session,
  ref: Reference & { readonly tag: string },
  expectedDigest?: string,
  signal?: AbortSignal,
): Promise<FileMeta> {
  const registry = await session.registry(ref.domain);
  const manifest = await registry.getManifest(ref, ref.tag, undefined, signal ? { signal } : {});
  if (expectedDigest !== undefined && manifest.digest !== expectedDigest) {
    throw new SigningError(`the registry serves ${manifest.digest} for ${ref.tag}, not the pushed ${expectedDigest}: refusing to sign`);
  }
  return dockerTarget(manifest.digest, manifest.bytes.length);
}

/** Signs tag → target into the repository (every role the publisher can sign), as DCT's push does. */
export function publishTag(publisher: NotaryPublisher, tag: string, target: FileMeta, signal?: AbortSignal): Promise<NotaryPublishOutcome> {
  return publisher.publish((signed, version, expires) => withTarget(signed, tag, target, version, expires), signal);
}
