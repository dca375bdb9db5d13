import type { ProgressListener, PushResult } from '../../engine/index.ts';
import { familiarName, formatReference, repositoryName } from '../../reference/index.ts';
import { parseImageArgument } from './image-argument.ts';
import { hasCode, SigningError, UsageError } from '../../shared/errors.ts';
import type { Session } from '../session/index.ts';
import type { NotaryPublishOutcome } from '../stores/notary/index.ts';
import { PartlySignedError, type SignOutcome } from '../stores/registry/index.ts';
import { prepareSigning, type SigningFailure, type TrustStore } from '../stores/index.ts';

/** A push as the CLI asks for it. */
export interface PushRequest {
  readonly image: string;
  readonly disableContentTrust: boolean;
  /** Sign even when content trust is off. */
  readonly sign: boolean;
  readonly keyName?: string;
  readonly claims: Readonly<Record<string, string>>;
  /** With signing: when the signatures expire. */
  readonly expiresAt?: Date;
  /** With signing: replace a `.sig` that cannot be read or merged (its signatures are lost). */
  readonly force?: boolean;
  /** Where signatures go: registry (cosign .sig), notary (DCT trust data) or both; default as defaultStore. */
  readonly store?: TrustStore;
  readonly onProgress: ProgressListener;
  /** Called after the engine pushed and before signing starts. */
  readonly onSigning?: () => void;
  readonly signal?: AbortSignal;
}

/** What was pushed, and what was signed when trust was on. */
export interface PushOutcome {
  readonly reference: string;
  readonly result: PushResult;
  readonly signed?: SignOutcome;
  readonly notary?: NotaryPublishOutcome;
}

/**
 * Pushes IMAGE[:TAG] (default tag latest) through the engine as `docker push` does; with content trust on (or
 * --sign) then signs the pushed digest. A signing failure is an error saying the image is pushed but unsigned.
 */
export async function pushImage(session: Session, req: PushRequest): Promise<PushOutcome> {
  const ref = parseImageArgument(req.image);
  if (ref.digest !== undefined) throw new UsageError(`cannot push a digest reference: ${req.image}`);
  const tagged = ref as typeof ref & { tag: string };
  const reference = formatReference(ref);
  const signing = req.sign || (session.contentTrust && !req.disableContentTrust);
  // Everything signing needs is settled before the push, so a missing key or passphrase pushes nothing unsigned.
  const prepared =
    signing &&
    (await prepareSigning(session, ref, req.store, {
      claims: req.claims,
      ...(req.keyName && { keyName: req.keyName }),
      ...(req.expiresAt && { expiresAt: req.expiresAt }),
      ...(req.force && { force: true }),
      ...(req.signal && { signal: req.signal }),
    }));
  const engine = await session.engine();
  const auth = await session.registryAuth(ref.domain);
  const result = await engine.push(familiarName(ref), tagged.tag, auth, req.onProgress, req.signal ? { signal: req.signal } : {});
  if (!prepared) return { reference, result };
  req.onSigning?.();
  const pushed = `${repositoryName(ref)}:${tagged.tag} was pushed (${result.digest})`;
  // Say exactly what is stored: a signature that made it to the registry is never reported as missing.
  const failed: SigningFailure = (store, done, err) => {
    if (hasCode(err, 'CANCELLED')) return err;
    const partly = err instanceof PartlySignedError && err.signed.length > 0;
    const what =
      store === 'registry'
        ? partly
          ? 'but is only partly signed'
          : 'but is NOT signed'
        : done.registry
          ? 'and signed in the registry, but NOT published to Notary'
          : 'but is NOT signed';
    return new SigningError(`${pushed} ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  };
  const { registry: signed, notary } = await prepared.sign(tagged, result.digest, failed);
  return { reference, result, ...(signed && { signed }), ...(notary && { notary }) };
}
