/**
 * The policy decision for one image: which judged signatures count under the governing rule (see select.ts), whether
 * enough distinct keys signed, and what the rule's mode makes of that. Pure and synchronous.
 */
import type { Verdict } from '../../signature/index.ts';
import type { Policy, PolicyMode } from './model.ts';
import { DEFAULT_RULE, selectRule, type SelectedRule } from './select.ts';

/** A key the key store trusts for the repository; a revoked key's signatures never count. */
export interface PolicyKey {
  readonly id: string;
  readonly name: string;
  readonly revoked?: boolean;
}

/** What evaluatePolicy needs: the policy, the fully qualified repository, judgeSignatures' verdicts, keys, clock. */
export interface PolicyInput {
  readonly policy: Policy;
  readonly repository: string;
  readonly verdicts: readonly Verdict[];
  readonly keys: readonly PolicyKey[];
  readonly now: Date;
}

/** The outcome: `allowed` decides the pull; `satisfied` says the rule was checked and met (false for mode off). */
export interface Decision {
  readonly allowed: boolean;
  readonly satisfied: boolean;
  readonly mode: PolicyMode;
  readonly rule: { readonly repositories: string; readonly threshold: number; readonly signers?: readonly string[] };
  readonly counted: readonly { readonly layerDigest: string; readonly keyId: string; readonly keyName: string; readonly signer?: string }[];
  readonly rejected: readonly { readonly layerDigest: string; readonly reason: string }[];
  /** One line: the count and who signed, and for unmet rules what is missing and the first rejection. */
  readonly reason: string;
  /** Non-empty only in warn mode when the rule is not met. */
  readonly warnings: readonly string[];
}

const short = (id: string): string => id.slice(0, 12);

/** Why an accepted verdict does not count under `rule`, or undefined when it counts. */
function notCounted(v: Verdict, rule: SelectedRule, keys: readonly PolicyKey[], owner: ReadonlyMap<string, string>, now: Date): string | undefined {
  if (!v.accepted) return v.reason;
  if (!v.key) return 'the verdict names no key';
  const key = keys.find((k) => k.id === v.key!.id);
  if (!key) return `key ${v.key.name} (${short(v.key.id)}) is not trusted for this repository`;
  if (key.revoked) return `key ${key.name} (${short(key.id)}) is revoked`;
  if (rule.signers && !owner.has(key.id)) return `key ${key.name} (${short(key.id)}) belongs to none of the signers ${rule.signers.join(', ')}`;
  const optional = v.payload?.optional ?? null;
  const claim = (name: string): unknown => (optional && Object.hasOwn(optional, name) ? optional[name] : undefined);
  const expires = claim('expires');
  if (expires !== undefined) {
    if (typeof expires !== 'number' || !Number.isSafeInteger(expires)) return 'its expires claim is not an integer of unix seconds';
    if (expires * 1000 < now.getTime()) return `signature expired at ${new Date(expires * 1000).toISOString()}`;
  }
  for (const [name, want] of Object.entries(rule.requireClaims)) {
    const have = claim(name);
    if (have === undefined) return `lacks claim ${name}`;
    if (have !== want) return `claim ${name} is ${JSON.stringify(have)}, policy requires ${JSON.stringify(want)}`;
  }
  return undefined;
}

/** The decision for `input.repository` under `input.policy` (semantics in README, "Trust policy"). */
export function evaluatePolicy(input: PolicyInput): Decision {
  const rule = selectRule(input.policy, input.repository);
  const ruleInfo = { repositories: rule.repositories, threshold: rule.threshold, ...(rule.signers && { signers: rule.signers }) };
  const where = rule.repositories === DEFAULT_RULE ? 'the default rule' : `rule ${rule.repositories}`;
  if (rule.mode === 'off') {
    return { allowed: true, satisfied: false, mode: 'off', rule: ruleInfo, counted: [], rejected: [], reason: `not checked: ${where} is off`, warnings: [] };
  }
  const owner = new Map<string, string>();
  for (const s of rule.signers ?? []) for (const id of input.policy.signers[s]?.keys ?? []) owner.set(id, s);
  const counted: Decision['counted'][number][] = [];
  const rejected: Decision['rejected'][number][] = [];
  for (const v of input.verdicts) {
    const why = notCounted(v, rule, input.keys, owner, input.now);
    if (why !== undefined) rejected.push({ layerDigest: v.layerDigest, reason: why });
    else {
      const signer = owner.get(v.key!.id);
      counted.push({ layerDigest: v.layerDigest, keyId: v.key!.id, keyName: v.key!.name, ...(signer !== undefined && { signer }) });
    }
  }
  const distinct = new Set(counted.map((c) => c.keyId)).size;
  const satisfied = distinct >= rule.threshold;
  const by = [...new Set(counted.map((c) => c.signer ?? c.keyName))];
  let reason = `${distinct} of ${rule.threshold} required signature${rule.threshold === 1 ? '' : 's'}${by.length ? ` (by ${by.join(', ')})` : ''}`;
  if (!satisfied) {
    const missing = (rule.signers ?? []).filter((s) => !by.includes(s));
    if (missing.length) reason += `; missing: ${missing.join(', ')}`;
    if (input.verdicts.length === 0) reason += '; no signatures found';
    else if (rejected.length) reason += `; ${rejected.length} not counted, first: ${rejected[0]!.reason}`;
  }
  const warnings = !satisfied && rule.mode === 'warn' ? [`${where}: ${reason}`] : [];
  return { allowed: satisfied || rule.mode === 'warn', satisfied, mode: rule.mode, rule: ruleInfo, counted, rejected, reason, warnings };
}
