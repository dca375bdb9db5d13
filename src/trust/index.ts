export { contentTrustEnabled } from './content-trust.ts';
export {
  emptyPolicy, serializePolicy, parsePolicy, validatePolicy, POLICY_VERSION, POLICY_MODES, KEY_ID, SIGNER_NAME,
  selectRule, compareSpecificity, DEFAULT_RULE, evaluatePolicy, policySetRule, addSignerKey, removeSignerFromRules,
  type Policy, type PolicyRule, type PolicySigner, type PolicyMode, type SelectedRule, type Decision, type PolicyInput,
  type PolicyKey, type RuleSettings,
} from './policy/index.ts';
export { checkRollback, signingTimestamp, newestTimestamp, type TagRecord, type RollbackCheck } from './rollback.ts';
