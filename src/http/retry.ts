/**
 * Bounded retries with exponential backoff and jitter, as go-containerregistry's remote package does
 * (pkg/v1/remote/options.go defaultRetryBackoff, defaultRetryStatusCodes, defaultRetryPredicate;
 * pkg/v1/remote/transport/retry.go): idempotent requests only, on resets and other transient connection
 * failures and on the statuses registries and CDNs send when they are briefly overloaded. A Transport decorator,
 * so registry, token and Notary requests all get it; a response handed on is never retried.
 */
import { GaveUpError, TransportError } from './transport-error.ts';
import type { Transport, TransportRequest, TransportResponse } from './transport.ts';

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Attempts in all, the first included (ggcr's Steps); 1 turns retries off. */
  readonly attempts: number;
  /** The wait after the first failure; each further wait is `factor` times longer. */
  readonly baseDelayMs: number;
  readonly factor: number;
  /** Up to this fraction of each wait is added at random (wait.Jitter), so clients do not retry in step. */
  readonly jitter: number;
  /** No wait is longer than this, whatever Retry-After says. */
  readonly maxDelayMs: number;
}

/** ggcr's defaults: three attempts, waiting 1 s and then 3 s (plus up to 10 %); Retry-After honoured up to 10 s. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1000, factor: 3, jitter: 0.1, maxDelayMs: 10_000 };

/** Statuses worth another try (ggcr's list: 408, 429, 500, 502, 503, 504, nginx's 499 and Cloudflare's 522). */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 499, 500, 502, 503, 504, 522]);

/** Connection failures worth another try: resets and closes (ggcr: ECONNRESET, EPIPE, EOF), refusals, timeouts, DNS hiccups. */
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN']);

/** Methods whose repetition does no harm (RFC 9110 §9.2.2); POST and PATCH are never repeated. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** True for a failure another attempt may get past. */
export function isRetryableError(err: unknown): boolean {
  if (err instanceof TransportError) return err.retryable;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRY_CODES.has(code);
}

/** What a Retry-After header asks for (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), in ms from `now`; undefined if unusable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) || !/[a-z]/i.test(text) ? undefined : Math.max(0, at - now);
}

/** The wait before attempt `attempt + 1` (attempt counts from 1): Retry-After if the server sent one, else backoff; capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter: number | undefined, random: number): number {
  const backoff = policy.baseDelayMs * policy.factor ** (attempt - 1);
  const wait = retryAfter ?? backoff + random * policy.jitter * backoff;
  return Math.min(wait, policy.maxDelayMs);
}

/** What withRetries needs besides the policy: the deadline for requests that name none; clock and dice for tests. */
export interface RetryOptions {
  readonly timeoutMs: number;
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * Wraps `inner` so idempotent requests are tried up to `policy.attempts` times, all within one deadline (the
 * request's, else now + timeoutMs). Stops at once when the signal aborts (rejecting with its reason) or when the
 * next wait would pass the deadline. A last failure is a GaveUpError around it; a last retryable status is
 * returned with `attempts` set.
 */
export function withRetries(inner: Transport, policy: RetryPolicy, options: RetryOptions): Transport {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  return async (req) => {
    if (policy.attempts <= 1 || !IDEMPOTENT.has(req.method)) return inner(req);
    const sent: TransportRequest = { ...req, deadline: req.deadline ?? now() + options.timeoutMs };
    for (let attempt = 1; ; attempt++) {
      let res: TransportResponse | undefined;
      let failure: unknown;
      try {
        res = await inner(sent);
      } catch (err) {
        if (req.signal?.aborted || !isRetryableError(err)) throw err;
        failure = err;
      }
      if (res && !RETRY_STATUSES.has(res.status)) return res;
      const wait = retryDelayMs(policy, attempt, res && retryAfterMs(res.header('retry-after'), now()), random());
      if (attempt >= policy.attempts || now() + wait >= sent.deadline!) {
        if (res) return attempt > 1 ? withAttempts(res, attempt) : res;
        throw attempt > 1 ? new GaveUpError(attempt, failure) : failure;
      }
      res?.cancel();
      await sleep(wait, req.signal);
    }
  };
}

function withAttempts(res: TransportResponse, attempts: number): TransportResponse {
  return { status: res.status, header: (n) => res.header(n), body: res.body, cancel: () => res.cancel(), attempts };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
