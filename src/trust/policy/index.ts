/**
 * Trust policy, pure: the policy.json model (schema version 1), its strict parser with line-accurate errors, the
 * canonical serialisation, rule selection by specificity, the decision over judged signatures, and CLI edits.
 */
export {
  emptyPolicy, serializePolicy, POLICY_VERSION, POLICY_MODES,
  type Policy, type PolicyRule, type PolicySigner, type PolicyMode,
} from './model.ts';
export { parsePolicy, validatePolicy } from './parse.ts';
export { KEY_ID, SIGNER_NAME } from './schema-check.ts';
export { selectRule, compareSpecificity, DEFAULT_RULE, type SelectedRule } from './select.ts';
export { evaluatePolicy, type Decision, type PolicyInput, type PolicyKey } from './evaluate.ts';
export { policySetRule, addSignerKey, removeSignerFromRules, type RuleSettings } from './edit.ts';
