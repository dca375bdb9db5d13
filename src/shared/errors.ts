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
  | 'LOCK_TIMEOUT'
  | RegistryErrorCode
  | 'CREDENTIALS_FAILED'
  | KeyErrorCode
  | VerificationErrorCode
  | 'SIGNING_FAILED'
  | PolicyErrorCode
  | NotaryErrorCode
  | 'API_REQUEST_REFUSED';

/** Registry failures: no answer, refused credentials, missing object, a response we will not trust, other. */
export type RegistryErrorCode = 'REGISTRY_UNREACHABLE' | 'REGISTRY_UNAUTHORIZED' | 'REGISTRY_NOT_FOUND' | 'REGISTRY_INVALID_RESPONSE' | 'REGISTRY_FAILED';

/** Key store failures. */
export type KeyErrorCode =
  | 'KEY_NOT_FOUND'
  | 'KEY_EXISTS'
  | 'KEY_INVALID'
  | 'KEY_REVOKED'
  | 'PASSPHRASE_REQUIRED'
  | 'PASSPHRASE_WRONG'
  | 'PASSPHRASE_MISMATCH'
  | 'KEYSTORE_FAILED';

/** Verification refusals: no signature data at all, none that is valid and trusted, or a tag moved back to an older signed digest. */
export type VerificationErrorCode = 'NO_TRUST_DATA' | 'NO_VALID_SIGNATURE' | 'TAG_ROLLBACK';

/** Trust policy failures: a policy file or edit that breaks the schema, an image the policy refuses, policy file I/O. */
export type PolicyErrorCode = 'POLICY_INVALID' | 'POLICY_NOT_SATISFIED' | 'POLICY_STORE_FAILED';

/** Notary (DCT trust server) failures: no answer, a refused or failed request, trust data bad, absent, expired or rolled back. */
export type NotaryErrorCode =
  | 'NOTARY_UNREACHABLE'
  | 'NOTARY_FAILED'
  | 'TRUST_DATA_INVALID'
  | 'TRUST_DATA_MISSING'
  | 'TRUST_DATA_EXPIRED'
  | 'TRUST_DATA_ROLLBACK';

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

  constructor(code: 'ENGINE_UNREACHABLE' | 'ENGINE_FAILED', message: string, options?: { cause?: unknown; statusCode?: number }) {
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

/** A registry request failed; `status` is the HTTP status and `registryCodes` the OCI error codes, when known. */
export class RegistryError extends TrustExtError {
  readonly status: number | undefined;
  readonly registryCodes: readonly string[];

  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown; status?: number; registryCodes?: readonly string[] }) {
    super(code, message, options);
    this.status = options?.status;
    this.registryCodes = options?.registryCodes ?? [];
  }
}

/** A credential helper or config.json entry could not provide credentials. */
export class CredentialsError extends TrustExtError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CREDENTIALS_FAILED', message, options);
  }
}

/** A key could not be found, created, decrypted or parsed. */
export class KeyError extends TrustExtError {
  /** KEY_EXISTS for a key already in the store under another name: that name. */
  readonly existingName: string | undefined;

  constructor(code: KeyErrorCode, message: string, options?: { cause?: unknown; existingName?: string }) {
    super(code, message, options);
    this.existingName = options?.existingName;
  }
}

/** Verification refused an image: nothing was pulled or tagged. */
export class VerificationError extends TrustExtError {
  constructor(code: VerificationErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Signing or storing a signature failed (the image itself may already be pushed). */
export class SigningError extends TrustExtError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SIGNING_FAILED', message, options);
  }
}

/** A trust policy is invalid (with the 1-based `line` and `field` path when known), unmet, or could not be stored. */
export class PolicyError extends TrustExtError {
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(code: PolicyErrorCode, message: string, options?: { cause?: unknown; line?: number; field?: string }) {
    super(code, message, options);
    this.line = options?.line;
    this.field = options?.field;
  }
}

/** A Notary v1 trust server could not be reached or refused a request, or its trust data cannot be trusted. */
export class NotaryError extends TrustExtError {
  constructor(code: NotaryErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * An Engine API request the proxy will not forward because it cannot be sure to read it as the daemon would (an
 * ambiguous path, query or body); `status` is the HTTP status the proxy answers with, in docker's error body.
 */
export class ApiRequestError extends TrustExtError {
  readonly status: number;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('API_REQUEST_REFUSED', message, options);
    this.status = options?.status ?? 400;
  }
}
