/** The trust policy file adapter: where it lives, reading, atomic writing and validated updates. */
export { policyLocation, POLICY_FILE, type PolicyLocation } from './policy-path.ts';
export { loadPolicy, savePolicy, updatePolicy, MAX_POLICY_BYTES } from './policy-file.ts';
