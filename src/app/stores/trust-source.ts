import type { Reference } from '../../reference/index.ts';
import type { Decision } from '../../trust/index.ts';
import type { NotaryTarget } from './notary/index.ts';
import type { Session } from '../session/index.ts';
import { storeSteps, trustBackend, type TrustStore } from './index.ts';
import type { VerificationReport } from './registry/index.ts';

/** Where an image's trust came from: a registry verification report (to be judged), or a verified Notary target. */
export type TrustSource =
  | { readonly kind: 'registry'; readonly report: VerificationReport }
  | { readonly kind: 'notary'; readonly target: NotaryTarget; readonly decision?: Decision };

/** How readTrust reads: the store (default defaultStore), the platform of an index, rollback acceptance, cancellation. */
export interface TrustOptions {
  readonly store?: TrustStore;
  readonly platform?: string;
  /** Accept a registry-signed tag that moved back to an older signed digest (see rollback.ts). */
  readonly allowRollback?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Picks and reads the trust data for a pull or verify, store by store as stores/store-choice.ts orders them: the
 * first store that holds anything for the image decides (the registry's report, which the caller refuses or
 * accepts, or a verified Notary target). When none does, a warn or off rule that let the unsigned image through
 * decides, as it would with --store registry (its warning says so).
 */
export async function readTrust(session: Session, ref: Reference, opts: TrustOptions = {}): Promise<TrustSource> {
  const steps = storeSteps(session, 'read', opts.store);
  const { store: _, ...read } = opts;
  let unsigned: VerificationReport | undefined;
  for (const [i, step] of steps.entries()) {
    const result = await trustBackend(session, step.store).read(ref, {
      ...read,
      fallback: steps[i + 1]?.part === 'if-none-before',
      ...(unsigned && { unsigned }),
    });
    if ('source' in result) return result.source;
    unsigned = result.nothing;
  }
  // Every store held nothing and the last one handed back the accepted report of the unsigned image.
  if (unsigned?.accepted) return { kind: 'registry', report: unsigned };
  throw new Error('unreachable: no store held trust data, and the unsigned image was not accepted');
}
