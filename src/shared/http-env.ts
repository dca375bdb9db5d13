/** How the HTTP limits show in messages (which name the variable to change: settings/variables.ts). */

/** A duration in milliseconds as messages show it: `30 s`, `1.5 s`, `250 ms`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
