import type { ProgressListener } from '../../engine/index.ts';
import { familiarName, formatReference } from '../../reference/index.ts';
import { parseImageArgument } from './image-argument.ts';
import type { Session } from '../session/index.ts';
import type { NotaryTarget } from '../stores/notary/index.ts';
import type { TrustStore } from '../stores/index.ts';
import { trustedDigest } from '../stores/index.ts';
import type { VerificationReport } from '../stores/registry/index.ts';

/** A pull as the CLI asks for it. */
export interface PullRequest {
  readonly image: string;
  readonly disableContentTrust: boolean;
  readonly platform?: string;
  /** Where trust data comes from (default: defaultStore). */
  readonly store?: TrustStore;
  /** Accept a tag moved back to an older signed digest. */
  readonly allowRollback?: boolean;
  readonly onProgress: ProgressListener;
  /** Called once verification passed, before the engine pulls `pullRef`, with policy warnings if any. */
  readonly onVerified?: (pullRef: string, warnings: readonly string[]) => void;
  readonly signal?: AbortSignal;
}

/** What was pulled: the reference, and with trust on the verification and the tag applied. */
export interface PullOutcome {
  readonly reference: string;
  readonly verified?: VerificationReport;
  /** When the tag was resolved through Notary trust data instead. */
  readonly notary?: NotaryTarget;
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
  const trusted = await trustedDigest(session, ref, req);
  const source = `${name}@${trusted.digest}`;
  req.onVerified?.(source, trusted.warnings);
  await engine.pull(name, trusted.digest, auth, req.onProgress, opts);
  const result = { reference, ...(trusted.verified && { verified: trusted.verified }), ...(trusted.notary && { notary: trusted.notary }) };
  if (ref.digest !== undefined) return result;
  await engine.tag(source, name, ref.tag!, req.signal ? { signal: req.signal } : {});
  return { ...result, tagged: { source, target: `${name}:${ref.tag}` } };
}
