/**
 * The pure encodings (src/encoding/): the strict standard-base64 readers and their one looser shape test, and
 * PEM as Go's encoding/pem writes it, read strictly; the strict JSON reader and its plain value.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeBase64,
  decodeBase64Canonical,
  decodePem,
  decodePemWithHeaders,
  encodePem,
  looksLikeBase64,
  parseJsonTree,
  parseStrictJson,
} from '../../src/encoding/index.ts';
import { throwsWithCode } from '../kit/index.ts';

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
    it(`refuses ${name}`, () => {
      throwsWithCode(() => decodePem(input), 'KEY_INVALID');
    });
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

describe('parseStrictJson', () => {
  const same = ['0', '-1.5e3', '"a\\u00e9\\ud800"', 'true', 'null', ' [1, {"a": [null, {}]}, []]\n', '{"b":1,"a":2,"1":3}', '{"__proto__":{"x":1}}'];
  for (const text of same) {
    it(`reads ${JSON.stringify(text)} as JSON.parse does`, () => {
      const r = parseStrictJson(text);
      assert.ok('value' in r, JSON.stringify(r));
      assert.deepEqual(r.value, JSON.parse(text));
      assert.deepEqual(Object.keys(Object(r.value)), Object.keys(Object(JSON.parse(text))));
    });
  }
  it('keeps __proto__ an own property, as JSON.parse does', () => {
    const r = parseStrictJson('{"__proto__":{"x":1}}') as { value: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(r.value, '__proto__')?.value, { x: 1 });
  });
  it('reads any depth (JSON.parse has no limit either)', () => {
    const depth = 100_000;
    const r = parseStrictJson(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);
    assert.ok('value' in r);
  });
  const refused: [string, string][] = [
    ['{"a":1,"a":2}', 'duplicate key "a"'],
    ['[{"x":{"k":1,"\\u006b":2}}]', 'duplicate key "k"'],
    ['\uFEFF{}', 'unexpected character "\uFEFF"'],
    ['{"a":1,}', 'expected a string key, found character "}"'],
    ['[1] x', 'unexpected character "x" after the end of the document'],
    ['', 'unexpected end of text'],
  ];
  for (const [text, error] of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.deepEqual(parseStrictJson(text), { error }));
  }
});

describe('parseJsonTree', () => {
  it('locates a duplicate key by line and path', () => {
    assert.deepEqual(parseJsonTree('{\n "a": [\n  {"b": 1,\n   "b": 2}]}'), { problem: { line: 4, path: ['a', 0, 'b'], message: 'duplicate key "b"' } });
  });
  it('skips a byte order mark and bounds the depth when asked', () => {
    assert.ok('node' in parseJsonTree('\uFEFF[]', { skipByteOrderMark: true }));
    assert.ok('node' in parseJsonTree(`${'['.repeat(4)}${']'.repeat(4)}`, { maxDepth: 3 }), 'the innermost array is 3 levels down');
    assert.deepEqual(parseJsonTree(`${'['.repeat(5)}${']'.repeat(5)}`, { maxDepth: 3 }), {
      problem: { line: 1, path: undefined, message: 'invalid JSON: nested deeper than 3 levels' },
    });
  });
});
