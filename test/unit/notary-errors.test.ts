/** Notary's error bodies (server/errors/errors.go, real responses of notary-server 0.7) mapped to NotaryErrors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVersionConflict, NotaryServerError, parseNotaryErrorBody, serverError } from '../../src/notary/client/index.ts';
import { NotaryError, RegistryError } from '../../src/shared/errors.ts';

const INVALID_UPDATE =
  '{"errors":[{"code":"INVALID_UPDATE","message":"Update sent by the client is invalid.","detail":{"Name":"ErrBadTargets","Error":{"Msg":"valid signatures did not meet threshold for targets"}}}]}';
const VERSION = '{"errors":[{"code":"VERSION","message":"A newer version of metadata is already available.","detail":{}}]}';
const UNAUTHORIZED = '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Name":"a/b","Action":"push"}]}]}';

describe('parseNotaryErrorBody', () => {
  const cases: [string, string, unknown][] = [
    [
      'INVALID_UPDATE keeps the validation message',
      INVALID_UPDATE,
      [{ code: 'INVALID_UPDATE', message: 'Update sent by the client is invalid.', detail: 'valid signatures did not meet threshold for targets' }],
    ],
    ['VERSION with an empty detail', VERSION, [{ code: 'VERSION', message: 'A newer version of metadata is already available.' }]],
    ['an array detail is not a validation message', UNAUTHORIZED, [{ code: 'UNAUTHORIZED', message: 'authentication required' }]],
    ['not json', '<html>502</html>', []],
    ['json without errors', '{}', []],
    ['errors not an array', '{"errors":{"code":"X"}}', []],
    ['null', 'null', []],
    ['entries without a string code are skipped', '{"errors":[null,1,{"code":5},{"message":"m"},{"code":"OK_ONE"}]}', [{ code: 'OK_ONE', message: '' }]],
    ['a non-string message becomes empty', '{"errors":[{"code":"X","message":{"a":1},"detail":{"Error":{"Msg":7}}}]}', [{ code: 'X', message: '' }]],
  ];
  for (const [name, body, want] of cases) {
    it(name, () => assert.deepEqual(parseNotaryErrorBody(Buffer.from(body)), want));
  }

  it('keeps at most 10 entries and cuts long codes', () => {
    const many = JSON.stringify({ errors: Array.from({ length: 50 }, () => ({ code: 'C'.repeat(500), message: 'm' })) });
    const parsed = parseNotaryErrorBody(Buffer.from(many));
    assert.equal(parsed.length, 10);
    assert.equal(parsed[0]!.code.length, 64);
  });
});

describe('serverError', () => {
  it("maps a 400 INVALID_UPDATE to NOTARY_FAILED with the server's message and detail, one line", () => {
    const err = serverError('publishing trust data for h/r to n', 400, parseNotaryErrorBody(Buffer.from(INVALID_UPDATE)));
    assert.ok(err instanceof NotaryServerError && err instanceof NotaryError);
    assert.equal(err.code, 'NOTARY_FAILED');
    assert.equal(err.status, 400);
    assert.deepEqual(err.serverCodes, ['INVALID_UPDATE']);
    assert.equal(
      err.message,
      'publishing trust data for h/r to n: 400 bad request: Update sent by the client is invalid: valid signatures did not meet threshold for targets',
    );
    assert.equal(isVersionConflict(err), false);
  });

  it('makes VERSION a retryable conflict', () => {
    const err = serverError('publishing', 400, parseNotaryErrorBody(Buffer.from(VERSION)));
    assert.equal(isVersionConflict(err), true);
    assert.equal(err.message, 'publishing: 400 bad request: A newer version of metadata is already available');
  });

  it('falls back to the status, or to the code, when the server says nothing useful', () => {
    assert.equal(serverError('x', 502, []).message, 'x: 502 bad gateway');
    assert.equal(serverError('x', 599, []).message, 'x: 599 unexpected status');
    assert.equal(serverError('x', 500, [{ code: 'UPDATING', message: '' }]).message, 'x: 500 internal server error: updating');
  });

  it('keeps hostile text to one redacted line', () => {
    const err = serverError(
      'x',
      400,
      [{ code: 'C', message: 'line1\r\nAuthorization: Bearer abc.def.ghi secret-token-123', detail: 'z'.repeat(500) }],
      ['secret-token-123'],
    );
    assert.doesNotMatch(err.message, /[\r\n]|abc\.def|secret-token-123/);
    assert.ok(err.message.length < 260);
  });

  it('recognises only notary server errors as version conflicts', () => {
    assert.equal(isVersionConflict(new RegistryError('REGISTRY_FAILED', 'VERSION', { registryCodes: ['VERSION'] })), false);
    assert.equal(isVersionConflict(new NotaryError('NOTARY_FAILED', 'VERSION')), false);
    assert.equal(isVersionConflict(undefined), false);
  });
});
