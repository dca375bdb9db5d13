/** Where the trust policy lives. */
import { join } from 'node:path';

/** The policy file name inside the key store directory. */
export const POLICY_FILE = 'policy.json';

/**
 * The policy file path: `env.TRUSTEXT_POLICY` when set and non-empty (used as given), else `<keysDir>/policy.json`.
 * The environment is passed in, never read here.
 */
export function policyPath(env: Readonly<Record<string, string | undefined>>, keysDir: string): string {
  const override = env.TRUSTEXT_POLICY;
  return override !== undefined && override !== '' ? override : join(keysDir, POLICY_FILE);
}
