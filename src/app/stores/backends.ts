import { hasCode } from '../../shared/errors.ts';
import type { Session } from '../session/index.ts';
import { notaryBackend } from './notary/index.ts';
import { registryBackend } from './registry/index.ts';
import { type StoreName, storeSteps, type TrustOperation, type TrustStore } from './store-choice.ts';
import type { TrustBackend } from './trust-backend.ts';

/** The backend of one trust store for this session: the session's stand-in when it has one (tests), else the real one. */
export function trustBackend(session: Session, store: StoreName): TrustBackend {
  return session.backends?.[store] ?? (store === 'registry' ? registryBackend(session) : notaryBackend(session));
}

/**
 * Runs `each` on the backend of every store `operation` uses under --store `flag`, in the table's order, and gives
 * back each store's result; a failure stops the rest, except that an `if-present` store without trust data for the
 * repository (TRUST_DATA_MISSING) is left out.
 */
export async function forEachStore<T>(
  session: Session,
  operation: TrustOperation,
  flag: TrustStore | undefined,
  each: (backend: TrustBackend) => Promise<T>,
): Promise<{ readonly store: StoreName; readonly value: T }[]> {
  const out: { store: StoreName; value: T }[] = [];
  for (const step of storeSteps(session, operation, flag)) {
    try {
      out.push({ store: step.store, value: await each(trustBackend(session, step.store)) });
    } catch (err) {
      if (!(step.part === 'if-present' && hasCode(err, 'TRUST_DATA_MISSING'))) throw err;
    }
  }
  return out;
}
