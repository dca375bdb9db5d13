/**
 * Failures the transport explains itself (a deadline passed, a body too slow, a proxy in the way) and the
 * wrapper the retrying transport puts around the last failure when it gives up. Both still carry the `code` of
 * what happened, so callers that look at causes (certificate codes, ECONNREFUSED) keep working.
 */

/** A failed exchange with a ready one-line explanation (lower case, naming the host and the limit or proxy). */
export class TransportError extends Error {
  /** ETRUSTEXT_DEADLINE, ETRUSTEXT_SLOW, ETRUSTEXT_PROXY, or the code of the underlying failure (ECONNRESET …). */
  readonly code: string;
  /** Whether trying again may help (a reset through a proxy may; a deadline that passed may not). */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** The last failure of an exchange that was tried `attempts` times. */
export class GaveUpError extends Error {
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    super(`gave up after ${attempts} attempts`, { cause });
    this.name = 'GaveUpError';
    this.attempts = attempts;
  }
}

/** The note a message ends with when retries ran out: ` (gave up after 3 attempts)`, or '' for a single attempt. */
export function gaveUpNote(attempts: number | undefined): string {
  return attempts !== undefined && attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
}
