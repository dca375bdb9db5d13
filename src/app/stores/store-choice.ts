/**
 * The one place that decides which trust stores an operation uses and what `--store both` means for it. The README's
 * "Trust stores" section states the same table; test/unit/store-choice.test.ts holds the two together.
 */
import type { Session } from '../session/index.ts';

/** A trust store: cosign signatures in the registry, or Notary v1 trust data (DCT's). */
export type StoreName = 'registry' | 'notary';

/** What --store accepts. */
export type TrustStore = StoreName | 'both';

/** The values --store accepts, in the order help lists them. */
export const TRUST_STORES: readonly TrustStore[] = ['registry', 'notary', 'both'];

/** The trust operations whose store is chosen. */
export type TrustOperation = 'sign' | 'read' | 'inspect' | 'revoke' | 'signer-add' | 'signer-remove';

/**
 * How one store takes part: `always` (its failure is the operation's), `if-present` (skipped when the repository has
 * no trust data there), `if-none-before` (asked only when the stores before it hold nothing for the image).
 */
export type Part = 'always' | 'if-present' | 'if-none-before';

/** One store's turn in an operation, in order. */
export interface Step {
  readonly store: StoreName;
  readonly part: Part;
}

const registry: Step = { store: 'registry', part: 'always' };
const notary: Step = { store: 'notary', part: 'always' };
const alone = { registry: [registry], notary: [notary] } as const;

/**
 * The table. `both`: sign = registry then Notary, every key settled before anything is pushed; read = the registry
 * when it holds any signature for the image (valid or not, never masked), else Notary; inspect = both merged,
 * Notary left out when the repository has no trust data there; revoke = the registry, then Notary if it has trust
 * data; signer add = every store's checks, then Notary (the part that can still be refused), then the policy; signer remove = the policy first
 * (its last-signer refusal stops the command), then Notary.
 */
export const STORE_CHOICE: Readonly<Record<TrustOperation, Readonly<Record<TrustStore, readonly Step[]>>>> = {
  sign: { ...alone, both: [registry, notary] },
  read: { ...alone, both: [registry, { store: 'notary', part: 'if-none-before' }] },
  inspect: { ...alone, both: [registry, { store: 'notary', part: 'if-present' }] },
  revoke: { ...alone, both: [registry, { store: 'notary', part: 'if-present' }] },
  'signer-add': { ...alone, both: [notary, registry] },
  'signer-remove': { ...alone, both: [registry, notary] },
};

/**
 * The store a trust operation uses: `flag` (--store) when given, else as DCT users expect — both when a trust
 * server is configured, the registry otherwise. A configured trust server that is not https is refused either way.
 */
export function defaultStore(session: Session, flag?: TrustStore): TrustStore {
  const server = session.environment.settings.trustServer();
  return flag ?? (server ? 'both' : 'registry');
}

/** The steps of `operation` under --store `flag` (or the default store), in the order they run. */
export function storeSteps(session: Session, operation: TrustOperation, flag?: TrustStore): readonly Step[] {
  return STORE_CHOICE[operation][defaultStore(session, flag)];
}
