/**
 * The one error matcher of the suite, after sigstore-js's `toThrowWithCode(ErrorClass, code)`
 * (sigstore/sigstore-js packages/verify/src/__tests__): the error must be the TrustExtError subclass that owns the
 * code, carry exactly that code, and (when given) have a message matching the pattern. The class follows from the
 * code, so callers name the code only; the table below is exhaustive over ErrorCode, so a new code fails tsc here
 * until its class is named.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { LockTimeoutError } from '../../src/shared/file-lock.ts';
import {
  ApiRequestError,
  CancelledError,
  ConfigError,
  CredentialsError,
  EngineError,
  type ErrorCode,
  InstallError,
  KeyError,
  NotaryError,
  PolicyError,
  ReferenceParseError,
  RegistryError,
  SigningError,
  TrustExtError,
  UsageError,
  VerificationError,
} from '../../src/shared/errors.ts';

type ErrorClass = abstract new (...args: any[]) => TrustExtError;

const CLASS_OF = {
  USAGE: UsageError,
  CANCELLED: CancelledError,
  CONFIG_INVALID: ConfigError,
  CONTEXT_NOT_FOUND: ConfigError,
  ENGINE_UNREACHABLE: EngineError,
  ENGINE_FAILED: EngineError,
  REFERENCE_INVALID: ReferenceParseError,
  INSTALL_FAILED: InstallError,
  LOCK_TIMEOUT: LockTimeoutError,
  REGISTRY_UNREACHABLE: RegistryError,
  REGISTRY_UNAUTHORIZED: RegistryError,
  REGISTRY_NOT_FOUND: RegistryError,
  REGISTRY_INVALID_RESPONSE: RegistryError,
  REGISTRY_FAILED: RegistryError,
  CREDENTIALS_FAILED: CredentialsError,
  KEY_NOT_FOUND: KeyError,
  KEY_EXISTS: KeyError,
  KEY_REVOKED: KeyError,
  KEY_INVALID: KeyError,
  PASSPHRASE_REQUIRED: KeyError,
  PASSPHRASE_WRONG: KeyError,
  PASSPHRASE_MISMATCH: KeyError,
  KEYSTORE_FAILED: KeyError,
  NO_TRUST_DATA: VerificationError,
  NO_VALID_SIGNATURE: VerificationError,
  TAG_ROLLBACK: VerificationError,
  SIGNING_FAILED: SigningError,
  POLICY_INVALID: PolicyError,
  POLICY_NOT_SATISFIED: PolicyError,
  POLICY_STORE_FAILED: PolicyError,
  NOTARY_UNREACHABLE: NotaryError,
  NOTARY_FAILED: NotaryError,
  TRUST_DATA_INVALID: NotaryError,
  TRUST_DATA_MISSING: NotaryError,
  TRUST_DATA_EXPIRED: NotaryError,
  TRUST_DATA_ROLLBACK: NotaryError,
  API_REQUEST_REFUSED: ApiRequestError,
} as const satisfies Record<ErrorCode, ErrorClass>;

/** The error class that raises `C`. */
export type ErrorFor<C extends ErrorCode> = InstanceType<(typeof CLASS_OF)[C]>;

/** A message check: a RegExp the message must match, or a string it must equal. */
export type MessageCheck = RegExp | string;

/** Asserts `err` is the error that owns `code`, with that code, its message one line and matching `message` when given. */
export function assertErrorCode<C extends ErrorCode>(err: unknown, code: C, message?: MessageCheck): ErrorFor<C> {
  if (!(err instanceof TrustExtError)) assert.fail(`expected a TrustExtError with code ${code}, got ${inspect(err)}`);
  assert.equal(err.code, code, `expected code ${code}, got ${err.code}: ${err.message}`);
  const type = CLASS_OF[code];
  assert.ok(err instanceof type, `expected a ${type.name} for ${code}, got a ${err.constructor.name}`);
  assert.doesNotMatch(err.message, /[\r\n]/, `error messages are one line: ${JSON.stringify(err.message)}`);
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
  return err as ErrorFor<C>;
}

/** Asserts `fn` throws the error that owns `code` (see assertErrorCode) and returns it for further checks. */
export function throwsWithCode<C extends ErrorCode>(fn: () => unknown, code: C, message?: MessageCheck): ErrorFor<C> {
  let caught: ErrorFor<C> | undefined;
  assert.throws(fn, (err: unknown) => {
    caught = assertErrorCode(err, code, message);
    return true;
  });
  return caught!;
}

/** Asserts `promise` (or the promise `fn` returns) rejects with the error that owns `code`, and returns it. */
export async function rejectsWithCode<C extends ErrorCode>(
  promise: Promise<unknown> | (() => Promise<unknown>),
  code: C,
  message?: MessageCheck,
): Promise<ErrorFor<C>> {
  let caught: ErrorFor<C> | undefined;
  await assert.rejects(promise, (err: unknown) => {
    caught = assertErrorCode(err, code, message);
    return true;
  });
  return caught!;
}
