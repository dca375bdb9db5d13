import { readFile } from 'node:fs/promises';
import { updatePolicy } from '../policy-store/index.ts';
import { PolicyError } from '../shared/errors.ts';
import { parsePolicy, policySetRule, serializePolicy, type Policy, type RuleSettings } from '../trust/index.ts';
import { lockOptions, type Session } from './session.ts';

/** Creates or replaces the policy rule for exactly `glob`; the file is written only if the result is valid. */
export async function setPolicyRule(session: Session, glob: string, settings: RuleSettings): Promise<Policy> {
  return updatePolicy(session.policyFile(), (p) => policySetRule(p, glob, settings), lockOptions(session.environment));
}

/** The policy in force, as its file would hold it (the empty policy when there is no file). */
export async function showPolicy(session: Session): Promise<{ path: string; text: string }> {
  return { path: session.policyFile(), text: serializePolicy(await session.policy()) };
}

/** Checks a policy file (default: the one in force); a broken one is a PolicyError naming line and field. */
export async function validatePolicyFile(session: Session, file?: string): Promise<{ path: string; policy: Policy }> {
  const path = file ?? session.policyFile();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (!file && (err as NodeJS.ErrnoException).code === 'ENOENT') return { path, policy: await session.policy() };
    throw new PolicyError('POLICY_INVALID', `cannot read policy file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  return { path, policy: parsePolicy(text, path) };
}
