/**
 * Tests for src/settings/content-trust.ts against docker/cli cli/trust/trust.go Enabled():
 *
 *   if e := os.Getenv("DOCKER_CONTENT_TRUST"); e != "" {
 *     if t, err := strconv.ParseBool(e); t || err != nil { enabled = true } // treat any other value as true
 *   }
 *
 * and Go's strconv.ParseBool, which src/shared/go-bool.ts parseGoBool mirrors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contentTrustEnabled } from '../../src/settings/index.ts';
import { parseGoBool } from '../../src/shared/go-bool.ts';

describe('contentTrustEnabled', () => {
  const rows: [string | undefined, boolean][] = [
    // unset or empty: off
    [undefined, false],
    ['', false],
    // strconv.ParseBool false spellings: off
    ['0', false],
    ['f', false],
    ['F', false],
    ['false', false],
    ['FALSE', false],
    ['False', false],
    // strconv.ParseBool true spellings: on
    ['1', true],
    ['t', true],
    ['T', true],
    ['true', true],
    ['TRUE', true],
    ['True', true],
    // parse errors: docker treats them as on
    ['yes', true],
    ['on', true],
    ['no', true],
    ['off', true],
    [' 1', true],
    [' 0', true],
    ['0 ', true],
    ['false ', true],
    ['fAlSe', true],
    ['00', true],
    ['2', true],
    ['-1', true],
    ['enabled', true],
    ['disabled', true],
    [' ', true],
  ];
  for (const [value, expected] of rows) {
    it(`${value === undefined ? 'unset' : JSON.stringify(value)} → ${expected ? 'on' : 'off'}`, () => {
      assert.equal(contentTrustEnabled(value), expected);
    });
  }
});

describe('parseGoBool (strconv.ParseBool)', () => {
  const rows: [string, boolean | undefined][] = [
    ['1', true],
    ['t', true],
    ['T', true],
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['0', false],
    ['f', false],
    ['F', false],
    ['false', false],
    ['FALSE', false],
    ['False', false],
    ['', undefined],
    ['tRUE', undefined],
    ['yes', undefined],
    ['y', undefined],
    ['no', undefined],
    ['on', undefined],
    [' true', undefined],
    ['true ', undefined],
    ['01', undefined],
    ['1.0', undefined],
  ];
  for (const [value, expected] of rows) {
    it(`${JSON.stringify(value)} → ${String(expected)}`, () => assert.equal(parseGoBool(value), expected));
  }
});
