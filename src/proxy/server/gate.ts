/**
 * What the proxy asks before it forwards a request: the gate (built in app/, where trust is decided) says forward
 * it as it came, or pull a verified digest in place of the tag asked for; it refuses by throwing (the error's
 * message is the one line docker prints after "Error response from daemon: ").
 */
import type { ApiRoute } from '../classify/index.ts';

/** What the gate is shown of a request besides its route: nothing that carries a credential. */
export interface GateRequest {
  readonly route: ApiRoute;
  /** The Content-Type header values, in order. */
  readonly contentTypes: readonly string[];
}

/** Forward as is, or pull `name@digest` and then tag it `name:tag` (DCT's trustedPull, on the daemon's path). */
export type GateDecision =
  | { readonly kind: 'forward' }
  | { readonly kind: 'pull'; readonly name: string; readonly digest: string; readonly tag?: string; readonly platform?: string };

/** Decides each classified request; throws to refuse it (ApiRequestError for its status, anything else 403). */
export interface Gate {
  decide(request: GateRequest): Promise<GateDecision>;
}

/** The decision for everything the gate has no view on. */
export const FORWARD: GateDecision = { kind: 'forward' };
