/**
 * Which rule of a policy governs a repository: among the rules whose glob matches, the most specific wins —
 * fewest `**` segments, then fewest other `*`, then most literal characters, then (only as a deterministic
 * fallback; duplicate globs are refused) the glob in code-unit order and the earlier rule. No match: the default
 * rule. Pure.
 */
import { matchScope } from '../../keys/format/index.ts';
import type { Policy, PolicyMode } from './model.ts';

/** The label of the default rule in decisions and messages (never a valid glob). */
export const DEFAULT_RULE = '(default)';

/** A rule with its defaults filled in, as evaluation uses it. */
export interface SelectedRule {
  /** The rule's glob, or DEFAULT_RULE. */
  readonly repositories: string;
  /** Index in `policy.rules`; undefined for the default rule. */
  readonly index?: number;
  readonly signers?: readonly string[];
  readonly threshold: number;
  readonly requireClaims: Readonly<Record<string, string>>;
  readonly mode: PolicyMode;
}

/** Specificity key of a glob: [`**` segments, other `*`, literal characters]; smaller-smaller-larger is more specific. */
export function globSpecificity(glob: string): readonly [number, number, number] {
  const segments = glob.split('/');
  const doubles = segments.filter((s) => s === '**').length;
  const singles = segments.filter((s) => s !== '**').reduce((n, s) => n + [...s].filter((c) => c === '*').length, 0);
  const literal = [...glob].filter((c) => c !== '*').length;
  return [doubles, singles, literal];
}

/** Negative when glob `a` is more specific than `b` (ranking above), positive when less, 0 only when equal. */
export function compareSpecificity(a: string, b: string): number {
  const [ad, as, al] = globSpecificity(a);
  const [bd, bs, bl] = globSpecificity(b);
  return ad - bd || as - bs || bl - al || (a < b ? -1 : a > b ? 1 : 0);
}

/** The rule governing fully qualified `repository` (e.g. 'docker.io/library/busybox'), defaults filled in. */
export function selectRule(policy: Policy, repository: string): SelectedRule {
  let best: number | undefined;
  policy.rules.forEach((rule, i) => {
    if (!matchScope(rule.repositories, repository)) return;
    if (best === undefined || compareSpecificity(rule.repositories, policy.rules[best]!.repositories) < 0) best = i;
  });
  if (best === undefined) return { repositories: DEFAULT_RULE, threshold: 1, requireClaims: {}, mode: policy.default.mode };
  const r = policy.rules[best]!;
  return {
    repositories: r.repositories,
    index: best,
    ...(r.signers && { signers: r.signers }),
    threshold: r.threshold ?? 1,
    requireClaims: r.requireClaims ?? {},
    mode: r.mode ?? 'enforce',
  };
}
