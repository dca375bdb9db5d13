/**
 * Which rules of a policy apply to a repository: every rule whose glob matches, most specific first — fewest `**`
 * segments, then fewest other `*`, then most literal characters, then (only as a deterministic fallback; duplicate
 * globs are refused) the glob in code-unit order — cut after the first rule with `override: true` (that rule
 * included, broader ones not). No match: the default rule alone. All of them are evaluated (evaluate.ts), so a
 * narrower rule adds requirements unless it overrides: sigstore policy-controller's "every matching policy must
 * pass", with containers-policy.json's most-specific-wins available per rule. Pure.
 */
import { matchScope } from '../../keys/format/index.ts';
import type { Policy, PolicyMode, PolicyRule } from './model.ts';

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
  readonly override: boolean;
}

/** The rules that apply to one repository, and the matching rules an override rule cut off. */
export interface RuleSelection {
  /** Most specific first; never empty (the default rule when no rule matches). */
  readonly rules: readonly SelectedRule[];
  /** Globs of the broader matching rules that do not apply because the last of `rules` overrides them. */
  readonly overridden: readonly string[];
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

/** `rule` (at `index` in its policy) with its defaults filled in. */
export function withDefaults(rule: PolicyRule, index: number): SelectedRule {
  return {
    repositories: rule.repositories,
    index,
    ...(rule.signers && { signers: rule.signers }),
    threshold: rule.threshold ?? 1,
    requireClaims: rule.requireClaims ?? {},
    mode: rule.mode ?? 'enforce',
    override: rule.override ?? false,
  };
}

/** The default rule of `policy`: any trusted key, threshold 1, the policy's default mode. */
export function defaultRule(policy: Policy): SelectedRule {
  return { repositories: DEFAULT_RULE, threshold: 1, requireClaims: {}, mode: policy.default.mode, override: false };
}

/** The rules that apply to fully qualified `repository` (e.g. 'docker.io/library/busybox'), defaults filled in. */
export function applicableRules(policy: Policy, repository: string): RuleSelection {
  const matching = policy.rules
    .map((rule, i) => ({ rule, i }))
    .filter(({ rule }) => matchScope(rule.repositories, repository))
    .sort((a, b) => compareSpecificity(a.rule.repositories, b.rule.repositories) || a.i - b.i);
  if (matching.length === 0) return { rules: [defaultRule(policy)], overridden: [] };
  const cut = matching.findIndex(({ rule }) => rule.override === true);
  const end = cut < 0 ? matching.length : cut + 1;
  return {
    rules: matching.slice(0, end).map(({ rule, i }) => withDefaults(rule, i)),
    overridden: matching.slice(end).map(({ rule }) => rule.repositories),
  };
}
