/**
 * Trust policy, pure: the policy.json model (schema version 2, version 1 read), its strict parser with line-accurate
 * errors, the canonical serialisation, which rules apply to a repository, the decision over judged signatures,
 * how rules relate (override, combine, weaken), and CLI edits.
 */
export {
  emptyPolicy,
  serializePolicy,
  POLICY_VERSION,
  POLICY_MODES,
  type Policy,
  type PolicyRule,
  type PolicySigner,
  type PolicyMode,
  type PolicyVersion,
  ENGINE_CHOICES,
  type EngineChoice,
  type EnginePolicy,
} from './model.ts';
export { parsePolicy, validatePolicy } from './parse.ts';
export { applicableRules, compareSpecificity, DEFAULT_RULE, type RuleSelection, type SelectedRule } from './select.ts';
export { evaluatePolicy, type Decision } from './evaluate.ts';
export {
  ruleLabel,
  type PolicyInput,
  type PolicyKey,
  type RuleInfo,
  type RuleOutcome,
  type CountedSignature,
  type RejectedSignature,
} from './rule-outcome.ts';
export { summarizeReasons, SHOWN_REASONS } from './reasons.ts';
export { covers, weakerThan, policyFindings, ruleRelation, type PolicyFinding } from './relations.ts';
export { policySetRule, addSignerKey, removeSignerFromRules, type RuleSettings } from './edit.ts';
