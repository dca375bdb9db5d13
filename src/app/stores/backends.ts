import type { Session } from '../session/index.ts';
import { notaryBackend } from './notary/index.ts';
import { registryBackend } from './registry/index.ts';
import type { StoreName } from './store-choice.ts';
import type { TrustBackend } from './trust-backend.ts';

/** The backend of one trust store for this session: the session's stand-in when it has one (tests), else the real one. */
export function trustBackend(session: Session, store: StoreName): TrustBackend {
  return session.backends?.[store] ?? (store === 'registry' ? registryBackend(session) : notaryBackend(session));
}
