/** Where the trust policy lives. */
import { join } from 'node:path';
import { POLICY_ENV } from '../shared/variables.ts';

/** The policy file name inside the key store directory. */
export const POLICY_FILE = 'policy.json';

/** The environment variable naming the policy file explicitly. */

/** A policy file path, and the variable that named it when it was named explicitly (then it must exist). */
export interface PolicyLocation {
  readonly path: string;
  readonly namedBy?: typeof POLICY_ENV;
}

/**
 * The policy file: `env.TRUSTEXT_POLICY` when set and non-empty (used as given, and required to exist), else
 * `<keysDir>/policy.json` (absent means the empty policy). The environment is passed in, never read here.
 */
export function policyLocation(env: Readonly<Record<string, string | undefined>>, keysDir: string): PolicyLocation {
  const named = env[POLICY_ENV];
  return named !== undefined && named !== '' ? { path: named, namedBy: POLICY_ENV } : { path: join(keysDir, POLICY_FILE) };
}
