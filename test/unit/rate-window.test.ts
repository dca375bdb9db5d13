/**
 * The low-speed rule (src/registry/rate-window.ts) with its defaults, 1 KiB/s over 30 s, sampled once a second
 * as the node transport does: a drip of a byte every 5 s fails after 30 s with "6 bytes", a slow but steady
 * body never does, and a body that stalls after a fast start fails 30 s after the last byte.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MIN_RATE, RateWindow, type MinRate } from '../../src/http/rate-window.ts';

/** Feeds one sample per second for `seconds`; `bytesAt(t)` is the total received by second t. Returns when and what failed. */
function run(rule: MinRate, seconds: number, bytesAt: (t: number) => number): { at: number; arrived: number } | undefined {
  const w = new RateWindow(rule, 0);
  for (let t = 1; t <= seconds; t++) {
    const arrived = w.sample(t * 1000, bytesAt(t));
    if (arrived !== undefined) return { at: t, arrived };
  }
  return undefined;
}

describe('minimum transfer rate, default rule', () => {
  it('is 1024 B/s over 30 s', () => assert.deepEqual(DEFAULT_MIN_RATE, { bytesPerSecond: 1024, windowMs: 30_000 }));

  const rows: { name: string; bytesAt: (t: number) => number; want?: { at: number; arrived: number } }[] = [
    { name: 'one byte every 5 s fails at 30 s, having seen 6 bytes', bytesAt: (t) => Math.floor(t / 5), want: { at: 30, arrived: 6 } },
    { name: 'nothing at all fails at 30 s', bytesAt: () => 0, want: { at: 30, arrived: 0 } },
    { name: '1024 B/s exactly is enough', bytesAt: (t) => t * 1024 },
    { name: '1000 B/s is not', bytesAt: (t) => t * 1000, want: { at: 30, arrived: 30_000 } },
    { name: '10 KiB/s is fine for ever', bytesAt: (t) => t * 10_240 },
    { name: '1 MiB in the first second, then nothing, fails 30 s after the last byte', bytesAt: (t) => (t >= 1 ? 1 << 20 : 0), want: { at: 31, arrived: 0 } },
    { name: 'a burst of 30 KiB every 30 s keeps it alive', bytesAt: (t) => Math.floor(t / 30 + 1) * 30 * 1024 },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(run(DEFAULT_MIN_RATE, 600, row.bytesAt), row.want));
  }

  it('never fails before a whole window has been observed', () => {
    assert.equal(
      run(DEFAULT_MIN_RATE, 29, () => 0),
      undefined,
    );
  });

  it('starts afresh after restart (our reader was the holdup)', () => {
    const w = new RateWindow(DEFAULT_MIN_RATE, 0);
    for (let t = 1; t <= 20; t++) assert.equal(w.sample(t * 1000, 0), undefined);
    w.restart(20_000, 0);
    for (let t = 21; t < 50; t++) assert.equal(w.sample(t * 1000, 0), undefined, `second ${t}`);
    assert.equal(w.sample(50_000, 0), 0);
  });

  it('is off at 0 B/s', () =>
    assert.equal(
      run({ bytesPerSecond: 0, windowMs: 30_000 }, 600, () => 0),
      undefined,
    ));
});
