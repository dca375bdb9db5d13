/** Canonical JSON as docker/go MarshalCanonical writes it, and Go RFC3339Nano times (table-driven). */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { canonicalJson, compareUtf8, goRfc3339Nano, isExpired, parseGoTime, parseJsonBytes } from '../../src/notary/tuf/index.ts';
import { throwsWithCode } from '../kit/index.ts';

const text = (v: unknown) => canonicalJson(v).toString('utf8');

describe('canonicalJson', () => {
  // docker/go@d30aec9 canonical/json/encode.go:813: in canonical mode only `"` and `\` are escaped; every other
  // byte, control characters and <, >, &, U+2028 included, is copied raw.
  const strings: [string, string, string][] = [
    ['plain', 'abc', '"abc"'],
    ['quote', 'a"b', '"a\\"b"'],
    ['backslash', 'a\\b', '"a\\\\b"'],
    ['html characters stay raw', '<a href="x">&</a>', '"<a href=\\"x\\">&</a>"'],
    ['newline, cr, tab stay raw', 'a\nb\rc\td', '"a\nb\rc\td"'],
    ['other control bytes stay raw', '\u0000\u0008\u000c\u001f', '"\u0000\u0008\u000c\u001f"'],
    ['non-ASCII raw UTF-8', 'é☃😀', '"é☃😀"'],
    ['line separators raw', '\u2028\u2029', '"\u2028\u2029"'],
    ['slash not escaped', 'a/b', '"a/b"'],
  ];
  for (const [name, input, want] of strings) {
    it(`string: ${name}`, () => assert.equal(text(input), want));
  }

  it('writes raw UTF-8 bytes for non-ASCII', () => {
    assert.deepEqual([...canonicalJson('é')], [0x22, 0xc3, 0xa9, 0x22]);
  });

  const values: [string, unknown, string][] = [
    ['null', null, 'null'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['zero', 0, '0'],
    ['negative zero', -0, '0'],
    ['negative', -42, '-42'],
    ['2^53', 2 ** 53, '9007199254740992'],
    ['2^62 (no exponent)', 2 ** 62, '4611686018427387904'],
    ['-2^63', -(2 ** 63), '-9223372036854775808'],
    ['empty object', {}, '{}'],
    ['empty array', [], '[]'],
    ['array order kept', [3, 1, 2], '[3,1,2]'],
    ['keys sorted', { b: 1, a: 2, c: { z: [], y: {} } }, '{"a":2,"b":1,"c":{"y":{},"z":[]}}'],
    ['upper case before lower', { b: 1, B: 2, _: 3 }, '{"B":2,"_":3,"b":1}'],
    ['nested arrays of objects', [{ b: 1, a: [{ d: null, c: true }] }], '[{"a":[{"c":true,"d":null}],"b":1}]'],
    ['no whitespace', { a: [1, 2], b: 'x y' }, '{"a":[1,2],"b":"x y"}'],
  ];
  for (const [name, input, want] of values) {
    it(`value: ${name}`, () => assert.equal(text(input), want));
  }

  it('sorts keys by UTF-8 bytes, not UTF-16 code units', () => {
    // UTF-16: U+1F600 (D83D…) < U+FFFD; UTF-8: EF BF BD < F0 9F 98 80.
    assert.equal(text({ '😀': 1, '\uFFFD': 2, a: 3 }), '{"a":3,"\uFFFD":2,"😀":1}');
    assert.ok(compareUtf8('\uFFFD', '😀') < 0);
    assert.ok(['😀', '\uFFFD'].sort()[0] === '😀', 'the default sort differs, so the test can tell');
  });

  const refused: [string, unknown][] = [
    ['fraction', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['2^63', 2 ** 63],
    ['undefined', undefined],
    ['bigint', 1n],
    ['function', () => 1],
    ['Date', new Date(0)],
    ['Buffer', Buffer.from('x')],
    ['nested fraction', { a: [0.1] }],
  ];
  for (const [name, input] of refused) {
    it(`refuses ${name}`, () => {
      throwsWithCode(() => canonicalJson(input), 'TRUST_DATA_INVALID');
    });
  }

  it('re-derives Go bytes from parsed JSON: 1.0 and 1e2 become integers, duplicate keys keep the last', () => {
    const parsed = parseJsonBytes(Buffer.from('{"b":1.0,"a":1e2,"c":"x","c":"y"}'), 'test');
    assert.equal(text(parsed), '{"a":100,"b":1,"c":"y"}');
  });

  it('parseJsonBytes refuses invalid UTF-8 and non-JSON', () => {
    throwsWithCode(() => parseJsonBytes(Buffer.from([0x22, 0xff, 0x22]), 'x'), 'TRUST_DATA_INVALID');
    throwsWithCode(() => parseJsonBytes(Buffer.from('{"a":'), 'x'), 'TRUST_DATA_INVALID');
  });
});

describe('Go RFC3339Nano times', () => {
  const formats: [string, Date, number, string][] = [
    ['whole second drops the fraction', new Date('2029-01-01T00:00:00Z'), 0, '2029-01-01T00:00:00Z'],
    ['milliseconds trimmed', new Date('2029-01-01T00:00:00.500Z'), 0, '2029-01-01T00:00:00.5Z'],
    ['extra nanoseconds', new Date('2029-11-21T18:21:55.000Z'), 97_293, '2029-11-21T18:21:55.000097293Z'],
    ['all nine digits', new Date('2036-11-19T18:21:54.994Z'), 769_869, '2036-11-19T18:21:54.994769869Z'],
    ['trailing zeros of nanos trimmed', new Date('2020-02-29T23:59:59.120Z'), 300, '2020-02-29T23:59:59.1200003Z'],
    ['epoch', new Date(0), 0, '1970-01-01T00:00:00Z'],
  ];
  for (const [name, date, nanos, want] of formats) {
    it(`formats: ${name}`, () => assert.equal(goRfc3339Nano(date, nanos), want));
  }

  it('refuses bad extra nanoseconds and invalid dates', () => {
    assert.throws(() => goRfc3339Nano(new Date(0), 1_000_000), RangeError);
    assert.throws(() => goRfc3339Nano(new Date(0), 0.5), RangeError);
    assert.throws(() => goRfc3339Nano(new Date(NaN)), RangeError);
  });

  const parses: [string, string, bigint][] = [
    ['Z with nanos', '2029-11-21T18:21:55.000097293Z', 1889979715_000097293n],
    ['no fraction', '1970-01-01T00:00:01Z', 1_000_000_000n],
    ['positive offset', '1970-01-01T01:00:00+01:00', 0n],
    ['negative offset', '1969-12-31T23:00:00.5-01:00', 500_000_000n],
  ];
  for (const [name, input, want] of parses) {
    it(`parses: ${name}`, () => assert.equal(parseGoTime(input), want));
  }

  for (const bad of [
    '2029-02-30T00:00:00Z',
    '2029-01-01T24:00:00Z',
    '2029-01-01 00:00:00Z',
    '2029-01-01T00:00:00',
    '2029-01-01T00:00:00.1234567890Z',
    '2029-01-01T00:00:00+24:00',
    '',
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      throwsWithCode(() => parseGoTime(bad), 'TRUST_DATA_INVALID');
    });
  }

  it('round-trips formatted times', () => {
    const s = goRfc3339Nano(new Date('2031-05-06T07:08:09.010Z'), 11);
    assert.equal(parseGoTime(s), BigInt(Date.parse('2031-05-06T07:08:09.010Z')) * 1_000_000n + 11n);
  });

  it('isExpired compares at nanosecond precision (Go t.Before(now))', () => {
    const now = new Date('2030-01-01T00:00:00.001Z');
    assert.equal(isExpired('2030-01-01T00:00:00.000999999Z', now), true);
    assert.equal(isExpired('2030-01-01T00:00:00.001Z', now), false);
    assert.equal(isExpired('2030-01-01T00:00:00.001000001Z', now), false);
  });
});

describe('src/notary/tuf stays pure', () => {
  const dir = resolve(import.meta.dirname, '..', '..', 'src', 'notary', 'tuf');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    it(`${f}: no I/O modules, no process.env, only shared/, the pure encodings and itself`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      const specs = [...src.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      assert.ok(specs.length > 0 || f === 'types.ts');
      for (const s of specs) {
        assert.doesNotMatch(s, /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|child_process|dns|worker_threads)$|^dockerode$/);
        if (s.startsWith('.')) assert.match(s, /^\.\/[a-z0-9-]+\.ts$|^\.\.\/\.\.\/shared\/|^\.\.\/\.\.\/encoding\/index\.ts$/, `${f} imports ${s}`);
      }
      assert.doesNotMatch(src, /process\.env|fetch\(/);
    });
  }
});
