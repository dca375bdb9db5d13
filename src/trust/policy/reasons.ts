/**
 * A bounded one-line summary of many refusal reasons, so that an image with a thousand bad signatures is still
 * refused in one short line (the full list belongs to --debug and `verify --format json`). Pure.
 */

/** How many distinct reasons a summary spells out. */
export const SHOWN_REASONS = 3;

/**
 * `reasons` grouped by exact text, the most frequent first (ties: first seen first), at most `shown` of them:
 * `998 × it is not signed by a trusted key; 2 × lacks claim env; and 3 other reasons`. A reason seen once has no
 * count. Empty input gives ''.
 */
export function summarizeReasons(reasons: readonly string[], shown = SHOWN_REASONS): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const groups = [...counts].sort((a, b) => b[1] - a[1]); // stable: Map order is first-seen order
  const text = groups.slice(0, shown).map(([reason, n]) => (n === 1 ? reason : `${n} × ${reason}`));
  const rest = groups.length - shown;
  if (rest > 0) text.push(`and ${rest} other reason${rest === 1 ? '' : 's'}`);
  return text.join('; ');
}
