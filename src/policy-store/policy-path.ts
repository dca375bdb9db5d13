/** Where the trust policy lives. */
import { join } from 'node:path';
import { POLICY_ENV } from '../settings/index.ts';

/** The policy file name inside the key store directory. */
export const POLICY_FILE = 'policy.json';

/** A policy file path, and the variable that named it when it was named explicitly (then it must exist). */
export interface PolicyLocation {
  readonly path: string;
  readonly namedBy?: typeof POLICY_ENV;
}

/**
 * The policy file: `named` (TRUSTEXT_POLICY when set and not empty: used as given, and required to exist), else
 * `<keysDir>/policy.json` (absent means the empty policy).
 */
export function policyLocation(named: string | undefined, keysDir: string): PolicyLocation {
  return named !== undefined ? { path: named, namedBy: POLICY_ENV } : { path: join(keysDir, POLICY_FILE) };
}
