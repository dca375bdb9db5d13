/**
 * What the proxy asks before it forwards a request: the gate (built in app/, where trust is decided) says forward
 * it (its body perhaps pinned to verified images), or pull a verified digest in place of the tag asked for; it
 * refuses by throwing (the error's message is the one line docker prints after "Error response from daemon: ").
 */
import type { ApiRoute } from '../classify/index.ts';

/** The endpoints whose decisions read the request body; the proxy reads it (at most MAX_BODY_BYTES) first. */
export const BODY_READ: ReadonlySet<ApiRoute['endpoint']> = new Set(['containers-create', 'services-create', 'services-update']);

/** What the gate is shown of a request. */
export interface GateRequest {
  readonly route: ApiRoute;
  /** The Content-Type header values, in order. */
  readonly contentTypes: readonly string[];
  /** The whole body, for the BODY_READ endpoints. */
  readonly body?: Uint8Array;
  /** The X-Registry-Auth header, when one: the client's registry credentials, to verify with. Never logged. */
  readonly registryAuth?: string;
  /** The User-Agent header: the docker CLI (`Docker-Client/…`) pulls and retries a create answered 404. */
  readonly userAgent?: string;
}

/** What was decided, for the proxy's log: `allowed` and `refused` lines name the reference, digest and reason. */
interface Logged {
  /** The line logged for this decision (absent: a pass-through nobody needs to hear about). */
  readonly note?: string;
  /** warn mode: what enforcement would have refused; logged, and appended to a pull's progress as a status line. */
  readonly warning?: string;
}

/**
 * Forward (with `body` in place of the client's, and `path` in place of its path and query, when given), or pull
 * `name@digest` and then tag it `name:tag`.
 */
export type GateDecision =
  | ({ readonly kind: 'forward'; readonly body?: Uint8Array; readonly path?: string } & Logged)
  | ({
      readonly kind: 'pull';
      readonly name: string;
      readonly digest: string;
      readonly tag?: string;
      readonly platform?: string;
    } & Logged);

/** Decides each classified request; throws to refuse it (ApiRequestError for its status, anything else 403). */
export interface Gate {
  decide(request: GateRequest): Promise<GateDecision>;
}

/** The decision for everything the gate has no view on. */
export const FORWARD: GateDecision = { kind: 'forward' };
