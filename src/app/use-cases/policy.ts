import { readFile } from 'node:fs/promises';
import { updatePolicy } from '../../policy-store/index.ts';
import { PolicyError } from '../../shared/errors.ts';
import {
  parsePolicy,
  policyFindings,
  policySetRule,
  ruleRelation,
  serializePolicy,
  type Policy,
  type PolicyFinding,
  type RuleSettings,
} from '../../trust/index.ts';
import { lockOptions, type Session } from '../session/index.ts';

/** What `policy set` did: the saved policy, how the rule relates to broader ones, and rules now weakening it. */
export interface PolicySetOutcome {
  readonly policy: Policy;
  /** `rule G overrides B (weaker: …)` or `rule G combines with B: both must be met`; absent when no rule covers G. */
  readonly relation?: string;
  /** Narrower override rules weaker than the new rule, which they cut off (policyFindings). */
  readonly findings: readonly PolicyFinding[];
}

/**
 * Creates or replaces the policy rule for exactly `glob`; the file is written only if the result is valid.
 * Modes warn and off imply `override` (a warn or off rule that combined with a broader enforce rule would change
 * nothing: the broader rule would still refuse).
 */
export async function setPolicyRule(session: Session, glob: string, settings: RuleSettings): Promise<PolicySetOutcome> {
  const implied = settings.mode === 'warn' || settings.mode === 'off' ? { ...settings, override: true } : settings;
  const policy = await updatePolicy(session.policyFile(), (p) => policySetRule(p, glob, implied), lockOptions(session.environment));
  const relation = ruleRelation(policy, glob);
  const at = policy.rules.findIndex((r) => r.repositories === glob);
  return { policy, ...(relation && { relation }), findings: policyFindings(policy).filter((f) => f.other === at && f.kind === 'weakens') };
}

/** The policy in force, as its file would hold it (the empty policy when there is no default file), with its findings. */
export async function showPolicy(session: Session): Promise<{ path: string; text: string; findings: readonly PolicyFinding[] }> {
  const policy = await session.policy();
  return { path: session.policyFile(), text: serializePolicy(policy), findings: policyFindings(policy) };
}

/**
 * Checks a policy file (default: the one in force); a broken one is a PolicyError naming line and field. A valid
 * one comes with its findings: rules that weaken a broader rule they override, or that have no effect.
 */
export async function validatePolicyFile(session: Session, file?: string): Promise<{ path: string; policy: Policy; findings: readonly PolicyFinding[] }> {
  const path = file ?? session.policyFile();
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (file || (err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new PolicyError('POLICY_INVALID', `cannot read policy file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
        cause: err,
      });
    }
  }
  // No default file: the policy in force (the empty one, or the refusal of a missing TRUSTEXT_POLICY file).
  const policy = text === undefined ? await session.policy() : parsePolicy(text, path);
  return { path, policy, findings: policyFindings(policy) };
}
