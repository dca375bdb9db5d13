/**
 * The policy decision for one image. Every applicable rule (select.ts) is judged on the same signatures
 * (rule-outcome.ts). Then: any unmet `enforce` rule refuses; otherwise each unmet `warn` rule allows with a
 * warning; `off` rules are not checked, and when every applicable rule is off the image is allowed unchecked, with a
 * warning naming the rule. Pure and synchronous.
 */
import type { PolicyMode } from './model.ts';
import { judgeRule, ruleLabel, type PolicyInput, type RuleOutcome } from './rule-outcome.ts';
import { applicableRules } from './select.ts';

/**
 * The outcome. `rules` are the applicable rules, most specific first; `rule` is the one that decided — the first
 * unmet enforce rule when refused, else the first unmet warn rule, else the first checked rule, else (nothing
 * checked) the first rule — and `mode`, `counted`, `rejected` and `reason` are that rule's.
 */
export interface Decision extends Pick<RuleOutcome, 'rule' | 'counted' | 'rejected' | 'reason'> {
  readonly allowed: boolean;
  /** Every checked rule is met and at least one was checked (false when nothing was checked). */
  readonly satisfied: boolean;
  readonly mode: PolicyMode;
  /** One line per unmet warn rule, or one saying nothing was checked; empty when refused or fully met. */
  readonly warnings: readonly string[];
  readonly rules: readonly RuleOutcome[];
  /** Broader matching rules that did not apply because an override rule cut them off. */
  readonly overridden: readonly string[];
}

/** The decision for `input.repository` under `input.policy` (semantics in README, "Trust policy"). */
export function evaluatePolicy(input: PolicyInput): Decision {
  const { rules: selected, overridden } = applicableRules(input.policy, input.repository);
  const rules = selected.map((r) => judgeRule(r, input));
  const checked = rules.filter((o) => o.checked);
  const unmet = checked.filter((o) => !o.satisfied);
  const refusing = unmet.filter((o) => o.rule.mode === 'enforce');
  const decider = refusing[0] ?? unmet[0] ?? checked[0] ?? rules[0]!;
  const subject = input.subject ?? input.repository;
  const overrides = (o: RuleOutcome, many: boolean): string =>
    o.rule.override && overridden.length ? ` (${many ? `${o.rule.repositories} ` : ''}overrides ${overridden.join(', ')})` : '';
  let warnings: string[] = [];
  if (checked.length === 0) {
    const last = rules.at(-1)!;
    const which = rules.length === 1 ? `${ruleLabel(last.rule.repositories)} is` : `rules ${rules.map((o) => o.rule.repositories).join(', ')} are`;
    warnings = [`${subject} not checked: ${which} off${overrides(last, rules.length > 1)}`];
  } else if (refusing.length === 0) {
    warnings = unmet.map((o) => `${subject} allowed: ${ruleLabel(o.rule.repositories)} is warn and not met${overrides(o, false)}: ${o.reason}`);
  }
  return {
    allowed: refusing.length === 0,
    satisfied: checked.length > 0 && unmet.length === 0,
    mode: decider.rule.mode,
    rule: decider.rule,
    counted: decider.counted,
    rejected: decider.rejected,
    reason: decider.reason,
    warnings,
    rules,
    overridden,
  };
}
