/**
 * The one error model: every error trustext raises is a TrustExtError with a stable `code` and an optional
 * `cause`. Code branches on `code`, never on message text; only the CLI prints messages.
 */

/** Stable error codes. The CLI maps USAGE to exit 125, CANCELLED to 128+signal, everything else to 1. */
export type ErrorCode =
  | 'USAGE'
  | 'CANCELLED'
  | 'CONFIG_INVALID'
  | 'CONTEXT_NOT_FOUND'
  | 'ENGINE_UNREACHABLE'
  | 'ENGINE_FAILED'
  | 'REFERENCE_INVALID'
  | 'INSTALL_FAILED'
  | 'TRUST_UNAVAILABLE';

/** Base class: a message meant for the user (one line, lower-case), a code, and the underlying cause. */
export class TrustExtError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A command line that cannot be run as given (docker's exit 125). */
export class UsageError extends TrustExtError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}

/** The operation was cancelled by a signal or by the docker CLI closing the plugin socket. */
export class CancelledError extends TrustExtError {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals, options?: { cause?: unknown }) {
    super('CANCELLED', `cancelled by ${signal}`, options);
    this.signal = signal;
  }
}

/** docker CLI configuration (config.json, context store) that cannot be read or used. */
export class ConfigError extends TrustExtError {
  constructor(code: 'CONFIG_INVALID' | 'CONTEXT_NOT_FOUND', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The engine could not be reached, or refused or failed a request. */
export class EngineError extends TrustExtError {
  readonly statusCode: number | undefined;

  constructor(
    code: 'ENGINE_UNREACHABLE' | 'ENGINE_FAILED',
    message: string,
    options?: { cause?: unknown; statusCode?: number },
  ) {
    super(code, message, options);
    this.statusCode = options?.statusCode;
  }
}

/** An image reference that does not follow docker's grammar. */
export class ReferenceParseError extends TrustExtError {
  readonly input: string;

  constructor(input: string, message: string) {
    super('REFERENCE_INVALID', message);
    this.input = input;
  }
}

/** Installing or removing the plugin binary failed. */
export class InstallError extends TrustExtError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INSTALL_FAILED', message, options);
  }
}

/** True when `err` is a TrustExtError with the given code. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof TrustExtError && err.code === code;
}

/** Content trust is on but the requested trusted operation cannot be performed; nothing was pushed or pulled. */
export class TrustError extends TrustExtError {
  constructor(code: 'TRUST_UNAVAILABLE', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
