import type { ProgressListener, PushResult } from '../engine/index.ts';
import { familiarName, formatReference, parseReference, withDefaultTag } from '../reference/index.ts';
import { UsageError } from '../shared/errors.ts';
import type { Session } from './session.ts';
import { requireTrustOff } from './trust-gate.ts';

/** A push as the CLI asks for it. */
export interface PushRequest {
  readonly image: string;
  readonly disableContentTrust: boolean;
  readonly onProgress: ProgressListener;
  readonly signal?: AbortSignal;
}

/** What was pushed: the fully qualified reference and the engine's digest and size. */
export interface PushOutcome {
  readonly reference: string;
  readonly result: PushResult;
}

/** Pushes IMAGE[:TAG] (default tag latest) through the engine, as `docker push` does. */
export async function pushImage(session: Session, req: PushRequest): Promise<PushOutcome> {
  const ref = withDefaultTag(parseReference(req.image));
  if (ref.digest !== undefined) throw new UsageError(`cannot push a digest reference: ${req.image}`);
  const reference = formatReference(ref);
  requireTrustOff(session, req.disableContentTrust, 'push', reference);
  const engine = await session.engine();
  const result = await engine.push(familiarName(ref), ref.tag!, {}, req.onProgress, req.signal ? { signal: req.signal } : {});
  return { reference, result };
}
