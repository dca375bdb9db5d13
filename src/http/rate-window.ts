/**
 * The low-speed rule for response bodies, in the manner of curl's --speed-limit/--speed-time: a body still
 * incomplete that brought fewer than `bytesPerSecond × windowMs` bytes over the last `windowMs` is too slow.
 * A sliding window over samples the caller takes (the transport, once a second). Pure: time comes in as numbers.
 */

/** The minimum rate: at least `bytesPerSecond` on average over every `windowMs`; 0 bytes per second turns it off. */
export interface MinRate {
  readonly bytesPerSecond: number;
  readonly windowMs: number;
}

/** 1 KiB/s over 30 s: a drip of a byte every few seconds fails within 30 s, a slow but moving link does not. */
export const DEFAULT_MIN_RATE: MinRate = { bytesPerSecond: 1024, windowMs: 30_000 };

/** Tracks how many bytes arrived when, and says when the last window fell short of the rule. */
export class RateWindow {
  readonly #rule: MinRate;
  #samples: { at: number; total: number }[];

  /** Starts observing at `now` with nothing received. */
  constructor(rule: MinRate, now: number) {
    this.#rule = rule;
    this.#samples = [{ at: now, total: 0 }];
  }

  /**
   * Records that `total` bytes have arrived by `now` and returns how many arrived over the last window when
   * that is below the rule; undefined while the rule holds or a whole window has not been observed yet.
   */
  sample(now: number, total: number): number | undefined {
    this.#samples.push({ at: now, total });
    if (this.#rule.bytesPerSecond <= 0) return undefined;
    const from = now - this.#rule.windowMs;
    let base = -1;
    for (let i = 0; i < this.#samples.length && this.#samples[i]!.at <= from; i++) base = i;
    if (base < 0) return undefined;
    this.#samples = this.#samples.slice(base);
    const arrived = total - this.#samples[0]!.total;
    return arrived < (this.#rule.bytesPerSecond * this.#rule.windowMs) / 1000 ? arrived : undefined;
  }

  /** Forgets the history: from `now` on the window starts afresh (the reader, not the sender, was the holdup). */
  restart(now: number, total: number): void {
    this.#samples = [{ at: now, total }];
  }
}
