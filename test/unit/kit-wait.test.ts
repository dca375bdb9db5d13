/** The test kit's waits return as soon as the awaited thing happens, and report a deadline as false instead of hanging. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pollUntil, waitFor } from '../kit/index.ts';

describe('waitFor', () => {
  it('is true once the event settles, resolved or rejected', async () => {
    assert.equal(await waitFor(sleep(5), 5_000), true);
    assert.equal(await waitFor(Promise.reject(new Error('x')), 5_000), true);
  });

  it('is false at the deadline when the event never comes', async () => {
    const started = Date.now();
    assert.equal(await waitFor(new Promise(() => {}), 50), false);
    assert.ok(Date.now() - started < 2_000);
  });
});

describe('pollUntil', () => {
  it('is true as soon as the condition holds, false when it never does', async () => {
    let n = 0;
    assert.equal(await pollUntil(() => ++n === 3, 5_000, 1), true);
    assert.equal(n, 3);
    assert.equal(await pollUntil(async () => false, 30, 5), false);
  });
});
