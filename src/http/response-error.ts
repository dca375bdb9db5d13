/**
 * Turning failed exchanges into RegistryErrors: the spec's error body (`{"errors":[{"code","message"}]}`,
 * OCI distribution-spec §Error Codes) parsed tolerantly, the status and codes mapped to our error codes, and
 * connection failures reported as unreachable. Messages are one line, lower-case, with the action as context.
 */
import { STATUS_CODES } from 'node:http';
import { RegistryError, type RegistryErrorCode } from '../shared/errors.ts';
import { readPrefix } from './body.ts';
import { redact } from './redact.ts';
import { GaveUpError, gaveUpNote, TransportError } from './transport-error.ts';
import type { TransportResponse } from './transport.ts';

/** One entry of a spec error body. */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
}

const NOT_FOUND_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'BLOB_UNKNOWN', 'BLOB_UPLOAD_UNKNOWN']);
const DENIED_CODES = new Set(['UNAUTHORIZED', 'DENIED']);

/**
 * The entries of a `{"errors":[{"code","message","detail"}]}` body (the distribution spec's, also notary's),
 * parsed tolerantly: anything malformed yields none, entries without a string code are skipped, at most 10,
 * codes cut to 64 characters, `detail` kept as sent.
 */
export function errorEntries(bytes: Uint8Array): { code: string; message: string; detail?: unknown }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is { code: string; message?: unknown; detail?: unknown } => typeof e === 'object' && e !== null && typeof e.code === 'string')
    .slice(0, 10)
    .map((e) => ({ code: e.code.slice(0, 64), message: typeof e.message === 'string' ? e.message : '', ...(e.detail !== undefined && { detail: e.detail }) }));
}

/** Parses a spec error body; anything malformed (not JSON, wrong shapes, odd entries) yields no details. */
export function parseErrorBody(bytes: Uint8Array): ErrorDetail[] {
  return errorEntries(bytes).map(({ code, message }) => ({ code, message }));
}

/** Our code for an HTTP status and the registry's error codes. */
export function codeFor(status: number, registryCodes: readonly string[]): RegistryErrorCode {
  if (status === 401 || status === 403) return 'REGISTRY_UNAUTHORIZED';
  if (status === 404 || registryCodes.some((c) => NOT_FOUND_CODES.has(c))) return 'REGISTRY_NOT_FOUND';
  if (registryCodes.some((c) => DENIED_CODES.has(c))) return 'REGISTRY_UNAUTHORIZED';
  return 'REGISTRY_FAILED';
}

/**
 * A RegistryError for a status and parsed details; `secrets` are redacted from registry-supplied text, and
 * `attempts` (when retries ran out) is noted at the end.
 */
export function statusError(
  action: string,
  status: number,
  details: readonly ErrorDetail[],
  secrets: readonly string[] = [],
  attempts?: number,
): RegistryError {
  const codes = details.map((d) => d.code);
  const said = details
    .map((d) => d.message || d.code.toLowerCase().replace(/_/g, ' '))
    .filter(Boolean)
    .join('; ');
  const reason = `${status} ${(STATUS_CODES[status] ?? 'unexpected status').toLowerCase()}`;
  const text = said ? `${reason}: ${redact(said, secrets)}` : reason;
  return new RegistryError(codeFor(status, codes), `${action}: ${text}${gaveUpNote(attempts)}`, { status, registryCodes: codes });
}

/** Reads (to `limit` bytes, the rest discarded) and parses an error response into a RegistryError. */
export async function responseError(
  res: TransportResponse,
  action: string,
  limit: number,
  signal?: AbortSignal,
  secrets: readonly string[] = [],
): Promise<RegistryError> {
  const bytes = await readPrefix(res, limit, action, signal);
  return statusError(action, res.status, parseErrorBody(bytes), secrets, res.attempts);
}

/** A response the client will not accept (oversized, malformed, contradicting itself or us). */
export function invalidResponse(action: string, what: string, status?: number): RegistryError {
  return new RegistryError('REGISTRY_INVALID_RESPONSE', `${action}: ${what}`, status === undefined ? {} : { status });
}

/**
 * What a failed request becomes: the abort reason when aborted, a RegistryError as is, else unreachable, said
 * with the transport's own explanation when it has one and with the number of attempts when retries ran out.
 */
export function transportFailure(action: string, host: string, err: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (err instanceof RegistryError) return err;
  const attempts = err instanceof GaveUpError ? err.attempts : undefined;
  const cause = err instanceof GaveUpError ? err.cause : err;
  if (cause instanceof TransportError) return new RegistryError('REGISTRY_UNREACHABLE', `${action}: ${cause.message}${gaveUpNote(attempts)}`, { cause });
  const e = cause as NodeJS.ErrnoException;
  const why = typeof e?.code === 'string' ? e.code.toLowerCase() : redact(String(e?.message ?? cause).toLowerCase());
  return new RegistryError('REGISTRY_UNREACHABLE', `${action}: cannot reach ${host}: ${why}${gaveUpNote(attempts)}`, { cause });
}
