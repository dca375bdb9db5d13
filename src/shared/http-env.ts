/**
 * The names of trustext's own network variables, in one place: the app reads them (src/app/network.ts) and the
 * adapters name them in the messages of the limits they set, so a user knows which knob to turn.
 */

/** Overall deadline of each registry or Notary exchange (retries included) and of each credential helper run. */
export const HTTP_TIMEOUT_ENV = 'TRUSTEXT_HTTP_TIMEOUT';

/** The lowest transfer rate (bytes per second, over a 30 s window) a response body may arrive at. */
export const HTTP_MIN_RATE_ENV = 'TRUSTEXT_HTTP_MIN_RATE';

/** A duration in milliseconds as messages show it: `30 s`, `1.5 s`, `250 ms`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
