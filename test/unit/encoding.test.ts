/**
 * The pure encodings (src/encoding/): the strict standard-base64 readers and their one looser shape test, and
 * PEM as Go's encoding/pem writes it, read strictly.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64, decodeBase64Canonical, decodePem, decodePemWithHeaders, encodePem, looksLikeBase64 } from '../../src/encoding/index.ts';
import { keyError } from './error-matchers.ts';

describe('base64', () => {
  // text, decodeBase64, decodeBase64Canonical, looksLikeBase64
  const table: [string, string | undefined, string | undefined, boolean][] = [
    ['', '', '', false],
    ['YQ==', '61', '61', true],
    ['YWI=', '6162', '6162', true],
    ['YWJj', '616263', '616263', true],
    ['YR==', '61', undefined, true],
    ['YQ', undefined, undefined, true],
    ['YQ=', undefined, undefined, true],
    ['Y===', undefined, undefined, false],
    ['dQ==dQ==', undefined, undefined, false],
    ['YW J j', undefined, undefined, false],
    ['YWJj\n', undefined, undefined, false],
    ['YW-_', undefined, undefined, false],
  ];
  for (const [text, plain, canonical, shaped] of table) {
    it(`reads ${JSON.stringify(text)}`, () => {
      assert.equal(decodeBase64(text)?.toString('hex'), plain);
      assert.equal(decodeBase64Canonical(text)?.toString('hex'), canonical);
      assert.equal(looksLikeBase64(text), shaped);
    });
  }
});

describe('PEM framing', () => {
  const good = encodePem('PUBLIC KEY', Buffer.from('hello world, a body'));
  it('encodes 64-column lines and decodes back', () => {
    const long = encodePem('X', Buffer.alloc(100, 7));
    assert.deepEqual(
      long.split('\n').map((l) => l.length),
      [17, 64, 64, 8, 15, 0],
      '136 base64 characters in 64-column lines',
    );
    assert.deepEqual(decodePem(long).body, Buffer.alloc(100, 7));
    assert.deepEqual(decodePem(`\n  ${good}\n\n`).body, Buffer.from('hello world, a body'));
    assert.deepEqual(decodePem(good.replace(/\n/g, '\r\n')).body, Buffer.from('hello world, a body'));
  });
  const bad: [string, string][] = [
    ['two blocks', good + good],
    ['text before', `comment\n${good}`],
    ['text after', `${good}trailer\n`],
    ['mismatched END', good.replace('END PUBLIC KEY', 'END PRIVATE KEY')],
    ['headers', good.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n\n')],
    ['bad base64', '-----BEGIN PUBLIC KEY-----\nnot!base64\n-----END PUBLIC KEY-----\n'],
    ['non-canonical base64 padding bits', '-----BEGIN PUBLIC KEY-----\nYR==\n-----END PUBLIC KEY-----\n'],
  ];
  for (const [name, input] of bad) {
    it(`refuses ${name}`, () => assert.throws(() => decodePem(input), keyError('KEY_INVALID')));
  }
});

describe('PEM headers', () => {
  it('writes headers in the order given, then a blank line, as Go pem.Encode', () => {
    const pem = encodePem('EC PRIVATE KEY', Buffer.from('body'), [
      ['Proc-Type', '4,ENCRYPTED'],
      ['DEK-Info', 'AES-128-CBC,00'],
    ]);
    assert.equal(pem, '-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nYm9keQ==\n-----END EC PRIVATE KEY-----\n');
    const block = decodePemWithHeaders(pem);
    assert.deepEqual(
      [...block.headers],
      [
        ['Proc-Type', '4,ENCRYPTED'],
        ['DEK-Info', 'AES-128-CBC,00'],
      ],
    );
    assert.deepEqual(block.body, Buffer.from('body'));
  });
  it('writes an empty body as Go does: no body line', () => {
    assert.equal(encodePem('X', new Uint8Array()), '-----BEGIN X-----\n-----END X-----\n');
  });
});
