/** The test kit's error matcher is strict: each way an expectation can be wrong fails the assertion. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyError, TrustExtError } from '../../src/shared/errors.ts';
import { rejectsWithCode, throwsWithCode } from '../kit/index.ts';

const keyInvalid = () => new KeyError('KEY_INVALID', 'key abc: not a key');
const thrower = (err: unknown) => () => {
  throw err;
};
const rejecter = (err: unknown) => Promise.reject(err);

/** Asserts `check` fails with an AssertionError whose message matches `why`. */
async function fails(check: () => unknown, why: RegExp): Promise<void> {
  await assert.rejects(
    async () => check(),
    (err: unknown) => {
      assert.ok(err instanceof assert.AssertionError, `an AssertionError, got ${String(err)}`);
      assert.match(err.message, why);
      return true;
    },
  );
}

describe('throwsWithCode', () => {
  it('passes on the code, a matching pattern or the exact message, and returns the typed error', () => {
    assert.equal(throwsWithCode(thrower(keyInvalid()), 'KEY_INVALID').message, 'key abc: not a key');
    assert.ok(throwsWithCode(thrower(keyInvalid()), 'KEY_INVALID', /not a key$/) instanceof KeyError);
    throwsWithCode(thrower(keyInvalid()), 'KEY_INVALID', 'key abc: not a key');
  });

  it('fails when nothing is thrown', async () => {
    await fails(() => throwsWithCode(() => 'fine', 'KEY_INVALID'), /Missing expected exception/);
  });

  it('fails when the code differs', async () => {
    await fails(() => throwsWithCode(thrower(keyInvalid()), 'KEY_NOT_FOUND'), /expected code KEY_NOT_FOUND, got KEY_INVALID/);
  });

  it('fails when the pattern does not match, or the message is not the one given', async () => {
    await fails(() => throwsWithCode(thrower(keyInvalid()), 'KEY_INVALID', /passphrase/), /match/);
    await fails(() => throwsWithCode(thrower(keyInvalid()), 'KEY_INVALID', 'key abc'), /equal/);
  });

  it('fails on an error that is not a TrustExtError, or not of the class that owns the code', async () => {
    await fails(() => throwsWithCode(thrower(Object.assign(new Error('x'), { code: 'KEY_INVALID' })), 'KEY_INVALID'), /expected a TrustExtError/);
    await fails(() => throwsWithCode(thrower(new TrustExtError('KEY_INVALID', 'x')), 'KEY_INVALID'), /expected a KeyError/);
  });

  it('fails on a message of more than one line', async () => {
    await fails(() => throwsWithCode(thrower(new KeyError('KEY_INVALID', 'a\nb')), 'KEY_INVALID'), /one line/);
  });
});

describe('rejectsWithCode', () => {
  it('passes on a promise or a function returning one, and returns the typed error', async () => {
    assert.ok((await rejectsWithCode(rejecter(keyInvalid()), 'KEY_INVALID', /not a key/)) instanceof KeyError);
    await rejectsWithCode(async () => Promise.reject(keyInvalid()), 'KEY_INVALID', 'key abc: not a key');
  });

  it('fails when nothing is rejected', async () => {
    await fails(() => rejectsWithCode(Promise.resolve('fine'), 'KEY_INVALID'), /Missing expected rejection/);
  });

  it('fails when the code differs', async () => {
    await fails(() => rejectsWithCode(rejecter(keyInvalid()), 'PASSPHRASE_WRONG'), /expected code PASSPHRASE_WRONG, got KEY_INVALID/);
  });

  it('fails when the pattern does not match', async () => {
    await fails(() => rejectsWithCode(rejecter(keyInvalid()), 'KEY_INVALID', /^not a key/), /match/);
  });

  it('fails on a plain Error', async () => {
    await fails(() => rejectsWithCode(rejecter(new Error('KEY_INVALID')), 'KEY_INVALID'), /expected a TrustExtError with code KEY_INVALID/);
  });
});
