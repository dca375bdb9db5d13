/**
 * Notary's error answers turned into NotaryErrors: its body `{"errors":[{"code","message","detail"}]}`
 * (notaryproject/notary server/errors/errors.go) parsed tolerantly, INVALID_UPDATE's validation detail
 * (`{"Name":"ErrBadTargets","Error":{"Msg":"…"}}`, tuf/validation/errors.go) kept, and the server's codes exposed
 * so callers branch on them (VERSION: refetch, rebuild and retry). Pure.
 */
import { STATUS_CODES } from 'node:http';
import { gaveUpNote } from '../../http/index.ts';
import { redact } from '../../http/index.ts';
import { errorEntries } from '../../http/index.ts';
import { NotaryError, type NotaryErrorCode } from '../../shared/errors.ts';

/** One entry of a notary error body: its code, message, and the validation message from `detail`, if any. */
export interface NotaryErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
}

/** Notary's code for "a newer version of metadata is already available": publish again on fresh metadata. */
export const VERSION_CONFLICT = 'VERSION';

/** A NotaryError for a response the server sent: the HTTP status and notary's own error codes. */
export class NotaryServerError extends NotaryError {
  readonly status: number;
  readonly serverCodes: readonly string[];

  constructor(code: NotaryErrorCode, message: string, options: { status: number; serverCodes?: readonly string[]; cause?: unknown }) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.serverCodes = options.serverCodes ?? [];
  }
}

/** True when a publish failed only because the server holds a newer version (notary's VERSION): safe to retry. */
export function isVersionConflict(err: unknown): boolean {
  return err instanceof NotaryServerError && err.serverCodes.includes(VERSION_CONFLICT);
}

/** Parses a notary error body (the registry's tolerant rules), keeping INVALID_UPDATE's validation message. */
export function parseNotaryErrorBody(bytes: Uint8Array): NotaryErrorDetail[] {
  return errorEntries(bytes).map(({ code, message, detail }) => {
    const msg = (detail as { Error?: { Msg?: unknown } } | null | undefined)?.Error?.Msg;
    return { code, message, ...(typeof msg === 'string' && msg && { detail: msg }) };
  });
}

/**
 * The error for an unexpected status: `<action>: <status text>: <server message>[: <validation message>]`, one
 * line, redacted, noting `attempts` when retries ran out. 401/403 and everything else are NOTARY_FAILED; a 404
 * is the caller's to interpret.
 */
export function serverError(
  action: string,
  status: number,
  details: readonly NotaryErrorDetail[],
  secrets: readonly string[] = [],
  attempts?: number,
): NotaryServerError {
  const said = details.map((d) => [d.message.replace(/\.$/, '') || d.code.toLowerCase().replace(/_/g, ' '), d.detail].filter(Boolean).join(': ')).join('; ');
  const reason = `${status} ${(STATUS_CODES[status] ?? 'unexpected status').toLowerCase()}`;
  return new NotaryServerError('NOTARY_FAILED', `${action}: ${said ? `${reason}: ${redact(said, secrets)}` : reason}${gaveUpNote(attempts)}`, {
    status,
    serverCodes: details.map((d) => d.code),
  });
}
