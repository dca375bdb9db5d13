import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from '../../src/shared/duration.ts';

describe('parseDuration', () => {
  for (const [text, ms] of [
    ['90m', 5_400_000],
    ['720h', 2_592_000_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['10s', 10_000],
    ['106751d', 9_223_286_400_000],
  ] as const) {
    it(`${text} → ${ms} ms`, () => assert.equal(parseDuration(text), ms));
  }
  for (const text of ['', '0s', '10', 'h', '-5m', '5 m', '5M', '1y', 'soon', '1h-', '99999999999d', '106752d', '1e400h']) {
    it(`${JSON.stringify(text)} is refused`, () => assert.equal(parseDuration(text), undefined));
  }
});
