/**
 * How the rules of a policy relate: which rule is broader than another, how an override rule is weaker than a
 * broader rule it cuts off, the rules worth a warning (`policy show`, `policy validate`) and the line `policy set`
 * prints about a rule it wrote. Pure.
 */
import { matchScope } from '../../keys/format/index.ts';
import type { Policy, PolicyMode } from './model.ts';
import { compareSpecificity, withDefaults, type SelectedRule } from './select.ts';

/**
 * Whether the rule glob `broad` covers the rule glob `narrow`: `narrow`, read literally as a repository name,
 * matches `broad`, and `broad` is less specific. An approximation of "every repository `narrow` matches, `broad`
 * matches too" (deciding glob inclusion exactly is not worth it here): `r.io/*` covers `r.io/app-*`, `r.io/**`
 * covers `r.io/*`, but `r.io/a*` and `r.io/*b` cover neither way although both match `r.io/ab`.
 */
export function covers(broad: string, narrow: string): boolean {
  return broad !== narrow && matchScope(broad, narrow) && compareSpecificity(narrow, broad) < 0;
}

const STRICTNESS: Record<PolicyMode, number> = { off: 0, warn: 1, enforce: 2 };

/**
 * In which ways `narrow`, applied instead of `broad`, asks for less: a less strict mode, a lower threshold, signers
 * outside `broad`'s, required claims missing. Empty when it asks for no less (or `broad` checks nothing).
 */
export function weakerThan(narrow: SelectedRule, broad: SelectedRule): string[] {
  if (broad.mode === 'off') return [];
  if (STRICTNESS[narrow.mode] < STRICTNESS[broad.mode]) {
    const mode = `mode ${narrow.mode} < ${broad.mode}`;
    if (narrow.mode === 'off') return [mode];
    return [mode, ...weakerThan({ ...narrow, mode: broad.mode }, broad)];
  }
  const out: string[] = [];
  if (narrow.threshold < broad.threshold) out.push(`threshold ${narrow.threshold} < ${broad.threshold}`);
  if (broad.signers) {
    const extra = narrow.signers?.filter((s) => !broad.signers!.includes(s));
    if (!narrow.signers) out.push(`any trusted key counts, not only signers ${broad.signers.join(', ')}`);
    else if (extra!.length) out.push(`signers ${extra!.join(', ')} not among ${broad.signers.join(', ')}`);
  }
  for (const [name, value] of Object.entries(broad.requireClaims)) {
    if (narrow.requireClaims[name] !== value) out.push(`claim ${name}=${value} not required`);
  }
  return out;
}

/** A rule worth a warning: `index` is the rule, `other` the broader rule it weakens or fails to affect. */
export interface PolicyFinding {
  readonly index: number;
  readonly other: number;
  readonly kind: 'weakens' | 'no-effect';
  /** One line, e.g. `rule r.io/prod/api (rules[2]) overrides r.io/prod/* (rules[0]) and is weaker: threshold 1 < 2`. */
  readonly message: string;
}

/**
 * Every override rule weaker than a broader rule it cuts off, and every rule in mode off that does not override
 * although a broader checked rule covers it (it then has no effect). In rule order, then broader rule order.
 */
export function policyFindings(policy: Policy): PolicyFinding[] {
  const rules = policy.rules.map(withDefaults);
  const out: PolicyFinding[] = [];
  for (const r of rules) {
    for (const b of rules) {
      if (!covers(b.repositories, r.repositories)) continue;
      const where = `rule ${r.repositories} (rules[${r.index}])`;
      const other = `${b.repositories} (rules[${b.index}])`;
      if (r.override) {
        const weaker = weakerThan(r, b);
        if (weaker.length)
          out.push({ index: r.index!, other: b.index!, kind: 'weakens', message: `${where} overrides ${other} and is weaker: ${weaker.join('; ')}` });
      } else if (r.mode === 'off' && b.mode !== 'off') {
        out.push({
          index: r.index!,
          other: b.index!,
          kind: 'no-effect',
          message: `${where} is off but combines with ${other}, which still applies: it has no effect (set "override": true to stop checking)`,
        });
      }
    }
  }
  return out;
}

/**
 * The line `policy set` prints about the rule for `glob` in `policy`: whether it overrides the broader rules that
 * cover it (and how it is weaker than each) or combines with them; undefined when no rule covers it.
 */
export function ruleRelation(policy: Policy, glob: string): string | undefined {
  const rules = policy.rules.map(withDefaults);
  const rule = rules.find((r) => r.repositories === glob);
  if (!rule) return undefined;
  const broader = rules.filter((b) => covers(b.repositories, glob)).sort((a, b) => compareSpecificity(a.repositories, b.repositories));
  if (broader.length === 0) return undefined;
  if (rule.override) {
    return `rule ${glob} overrides ${broader
      .map((b) => {
        const weaker = weakerThan(rule, b);
        return weaker.length ? `${b.repositories} (weaker: ${weaker.join('; ')})` : b.repositories;
      })
      .join(', ')}`;
  }
  return `rule ${glob} combines with ${broader.map((b) => b.repositories).join(', ')}: ${broader.length === 1 ? 'both' : 'all'} must be met`;
}
