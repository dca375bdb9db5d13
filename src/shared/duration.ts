const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The longest duration Go's time.Duration holds (2^63-1 ns, about 292 years), in milliseconds: ParseDuration refuses more. */
export const MAX_DURATION_MS = 9_223_372_036_854;

/**
 * Parses a duration as Go's time.ParseDuration writes them (`90m`, `720h`, `1h30m`), plus `d` and `w` for days and
 * weeks; returns milliseconds, or undefined for anything else (zero, negative and over MAX_DURATION_MS included).
 */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total > 0 && total <= MAX_DURATION_MS ? total : undefined;
}
