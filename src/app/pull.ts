import type { ProgressListener } from '../engine/index.ts';
import { familiarName, formatReference, parseReference, withDefaultTag } from '../reference/index.ts';
import type { Session } from './session.ts';
import { requireTrustOff } from './trust-gate.ts';

/** A pull as the CLI asks for it. */
export interface PullRequest {
  readonly image: string;
  readonly disableContentTrust: boolean;
  readonly platform?: string;
  readonly onProgress: ProgressListener;
  readonly signal?: AbortSignal;
}

/** What was pulled: the fully qualified reference. */
export interface PullOutcome {
  readonly reference: string;
}

/** Pulls IMAGE[:TAG|@DIGEST] (default tag latest) through the engine, as `docker pull` does; a digest wins over a tag. */
export async function pullImage(session: Session, req: PullRequest): Promise<PullOutcome> {
  const ref = withDefaultTag(parseReference(req.image));
  const reference = formatReference(ref);
  requireTrustOff(session, req.disableContentTrust, 'pull', reference);
  const engine = await session.engine();
  await engine.pull(familiarName(ref), ref.digest ?? ref.tag!, {}, req.onProgress, {
    ...(req.signal && { signal: req.signal }),
    ...(req.platform && { platform: req.platform }),
  });
  return { reference };
}
