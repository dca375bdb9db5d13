export { contentTrustEnabled } from './content-trust.ts';
export {
  emptyPolicy, serializePolicy, parsePolicy, validatePolicy, POLICY_VERSION, POLICY_MODES, KEY_ID, SIGNER_NAME,
  applicableRules, compareSpecificity, DEFAULT_RULE, evaluatePolicy, ruleLabel, summarizeReasons, SHOWN_REASONS,
  covers, weakerThan, policyFindings, ruleRelation, policySetRule, addSignerKey, removeSignerFromRules,
  type Policy, type PolicyRule, type PolicySigner, type PolicyMode, type PolicyVersion, type SelectedRule, type RuleSelection,
  type Decision, type PolicyInput, type PolicyKey, type RuleInfo, type RuleOutcome, type CountedSignature, type RejectedSignature,
  type PolicyFinding, type RuleSettings,
} from './policy/index.ts';
export { checkRollback, signingTimestamp, newestTimestamp, type TagRecord, type RollbackCheck } from './rollback.ts';
