/** The trust policy file adapter: where it lives, reading, atomic writing and validated updates. */
export { policyPath, POLICY_FILE } from './policy-path.ts';
export { loadPolicy, savePolicy, updatePolicy, MAX_POLICY_BYTES } from './policy-file.ts';
