/**
 * Policy edits for the CLI: each returns a new, validated policy and leaves its input untouched; a result that
 * would break the schema is a PolicyError POLICY_INVALID (field set) and nothing changes. Pure.
 */
import { PolicyError } from '../../shared/errors.ts';
import { isValidName, MAX_SIGNER_NAME } from '../../shared/names.ts';
import { scopeProblem } from '../../keys/format/index.ts';
import type { Policy, PolicyMode, PolicyRule } from './model.ts';
import { KEY_ID } from './schema-check.ts';
import { validatePolicy } from './parse.ts';

/** The settable parts of a rule; absent fields take their defaults (any trusted key, threshold 1, enforce, no override). */
export interface RuleSettings {
  readonly signers?: readonly string[];
  readonly threshold?: number;
  readonly requireClaims?: Readonly<Record<string, string>>;
  readonly mode?: PolicyMode;
  readonly override?: boolean;
}

/** `policy` with the rule for exactly `glob` created (appended) or replaced in place by one built from `settings`. */
export function policySetRule(policy: Policy, glob: string, settings: RuleSettings): Policy {
  const problem = scopeProblem(glob);
  if (problem) throw new PolicyError('POLICY_INVALID', `invalid repository glob "${glob.slice(0, 100)}": ${problem}`, { field: 'repositories' });
  const rule: PolicyRule = {
    repositories: glob,
    ...(settings.signers !== undefined && { signers: [...settings.signers] }),
    ...(settings.threshold !== undefined && { threshold: settings.threshold }),
    ...(settings.requireClaims !== undefined && { requireClaims: { ...settings.requireClaims } }),
    ...(settings.mode !== undefined && { mode: settings.mode }),
    ...(settings.override !== undefined && { override: settings.override }),
  };
  const at = policy.rules.findIndex((r) => r.repositories === glob);
  const rules = at < 0 ? [...policy.rules, rule] : policy.rules.map((r, i) => (i === at ? rule : r));
  return validatePolicy({ ...policy, rules });
}

/** `policy` with key id `keyId` held by `signer` (created when new); unchanged content when it already holds it. */
export function addSignerKey(policy: Policy, signer: string, keyId: string): Policy {
  if (!isValidName(signer, MAX_SIGNER_NAME)) {
    throw new PolicyError(
      'POLICY_INVALID',
      `invalid signer name "${signer.slice(0, 100)}": use 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit`,
      { field: 'signers' },
    );
  }
  if (!KEY_ID.test(keyId))
    throw new PolicyError('POLICY_INVALID', `invalid key id "${keyId.slice(0, 100)}": expected 64 lower-case hex digits`, { field: `signers.${signer}.keys` });
  const keys = policy.signers[signer]?.keys ?? [];
  if (keys.includes(keyId)) return validatePolicy(policy);
  return validatePolicy({ ...policy, signers: { ...policy.signers, [signer]: { keys: [...keys, keyId] } } });
}

/**
 * `policy` with `signer` taken out of the signers list of the rule for each glob in `globs` (rules not naming it
 * are left alone). Refused, never loosened silently: an unknown glob, a rule left with no signer (which would count
 * any trusted key), or a threshold above the keys that remain.
 */
export function removeSignerFromRules(policy: Policy, signer: string, globs: readonly string[]): Policy {
  for (const glob of globs) {
    if (!policy.rules.some((r) => r.repositories === glob))
      throw new PolicyError('POLICY_INVALID', `no rule for repositories "${glob.slice(0, 100)}"`, { field: 'rules' });
  }
  const rules = policy.rules.map((r, i): PolicyRule => {
    if (!globs.includes(r.repositories) || !r.signers?.includes(signer)) return r;
    const signers = r.signers.filter((s) => s !== signer);
    if (signers.length === 0) {
      throw new PolicyError(
        'POLICY_INVALID',
        `rule ${r.repositories} would name no signer (it would then count any trusted key); set other signers or delete the rule`,
        { field: `rules[${i}].signers` },
      );
    }
    return { ...r, signers };
  });
  return validatePolicy({ ...policy, rules });
}
