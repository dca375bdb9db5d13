/** Shared assertion helpers for the unit tests. */
import assert from 'node:assert/strict';
import { KeyError, type ErrorCode } from '../../src/shared/errors.ts';

/** A predicate for assert.throws/rejects: a KeyError with `code`, its message matching `pattern` when given. */
export function keyError(code: ErrorCode, pattern?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof KeyError, `expected KeyError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}
