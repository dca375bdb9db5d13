import type { ProgressListener } from '../engine/index.ts';
import { familiarName, formatReference } from '../reference/index.ts';
import { parseImageArgument } from './image-argument.ts';
import type { Session } from './session.ts';
import { verifyImage, type VerificationReport } from './verify.ts';

/** A pull as the CLI asks for it. */
export interface PullRequest {
  readonly image: string;
  readonly disableContentTrust: boolean;
  readonly platform?: string;
  readonly onProgress: ProgressListener;
  /** Called once verification passed, before the engine pulls `pullRef`. */
  readonly onVerified?: (verified: VerificationReport, pullRef: string) => void;
  readonly signal?: AbortSignal;
}

/** What was pulled: the reference, and with trust on the verification and the tag applied. */
export interface PullOutcome {
  readonly reference: string;
  readonly verified?: VerificationReport;
  /** `Tagging <source> as <target>`, when a trusted tag pull tagged the verified digest. */
  readonly tagged?: { readonly source: string; readonly target: string };
}

/**
 * Pulls IMAGE[:TAG|@DIGEST] (default tag latest). Trust off: a plain `docker pull`. Trust on: verify first, pull
 * repo@<verified digest> through the engine, then tag repo:tag (DCT's trustedPull); a refusal pulls and tags nothing.
 */
export async function pullImage(session: Session, req: PullRequest): Promise<PullOutcome> {
  const ref = parseImageArgument(req.image);
  const reference = formatReference(ref);
  const engine = await session.engine();
  const auth = await session.registryAuth(ref.domain);
  const opts = { ...(req.signal && { signal: req.signal }), ...(req.platform && { platform: req.platform }) };
  const name = familiarName(ref);
  if (!session.contentTrust || req.disableContentTrust) {
    await engine.pull(name, ref.digest ?? ref.tag!, auth, req.onProgress, opts);
    return { reference };
  }
  const verified = await verifyImage(session, ref, { ...(req.platform && { platform: req.platform }), ...(req.signal && { signal: req.signal }) });
  const source = `${name}@${verified.pullDigest}`;
  req.onVerified?.(verified, source);
  await engine.pull(name, verified.pullDigest, auth, req.onProgress, opts);
  if (ref.digest !== undefined) return { reference, verified };
  await engine.tag(source, name, ref.tag!, req.signal ? { signal: req.signal } : {});
  return { reference, verified, tagged: { source, target: `${name}:${ref.tag}` } };
}
