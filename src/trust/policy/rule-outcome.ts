/**
 * One applicable rule judged on an image's signatures: which verdicts count under it (trusted, not revoked, one of
 * its signers, not expired, carrying its required claims), whether enough distinct keys signed, and a one-line
 * reason with a bounded summary of what did not count. Rules in mode off are not checked. Pure.
 */
import type { Verdict } from '../../signature/index.ts';
import type { Policy, PolicyMode } from './model.ts';
import { summarizeReasons } from './reasons.ts';
import { DEFAULT_RULE, type SelectedRule } from './select.ts';

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
  /** What is judged, as warnings name it (e.g. `registry.example/app:1`); default `repository`. */
  readonly subject?: string;
  /** Why there are no verdicts although signature data exists (an unusable `.sig`), for the reasons. */
  readonly problem?: string;
}

/** An applied rule as decisions report it (defaults filled in; requireClaims only when it requires some). */
export interface RuleInfo {
  readonly repositories: string;
  readonly threshold: number;
  readonly signers?: readonly string[];
  readonly requireClaims?: Readonly<Record<string, string>>;
  readonly mode: PolicyMode;
  readonly override: boolean;
}

/** A signature that counts under a rule: its layer, key and (for rules naming signers) signer. */
export interface CountedSignature {
  readonly layerDigest: string;
  readonly keyId: string;
  readonly keyName: string;
  readonly signer?: string;
}

/** A verdict that does not count under a rule, and why. */
export interface RejectedSignature {
  readonly layerDigest: string;
  readonly reason: string;
}

/** One applicable rule judged: `checked` is false for mode off (then nothing is counted or rejected). */
export interface RuleOutcome {
  readonly rule: RuleInfo;
  readonly checked: boolean;
  readonly satisfied: boolean;
  readonly counted: readonly CountedSignature[];
  readonly rejected: readonly RejectedSignature[];
  /** One line: the count and who signed, and for unmet rules what is missing and a summary of what did not count. */
  readonly reason: string;
}

const short = (id: string): string => id.slice(0, 12);

/** How messages name a rule: `rule GLOB`, or `the default rule`. */
export function ruleLabel(glob: string): string {
  return glob === DEFAULT_RULE ? 'the default rule' : `rule ${glob}`;
}

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

/** `rule` as decisions report it. */
function info(rule: SelectedRule): RuleInfo {
  return {
    repositories: rule.repositories,
    threshold: rule.threshold,
    ...(rule.signers && { signers: rule.signers }),
    ...(Object.keys(rule.requireClaims).length > 0 && { requireClaims: rule.requireClaims }),
    mode: rule.mode,
    override: rule.override,
  };
}

/** `rule` judged on the input's verdicts: which count, whether enough distinct keys signed, and why (one line). */
export function judgeRule(rule: SelectedRule, input: PolicyInput): RuleOutcome {
  if (rule.mode === 'off') {
    return { rule: info(rule), checked: false, satisfied: false, counted: [], rejected: [], reason: `not checked: ${ruleLabel(rule.repositories)} is off` };
  }
  const owner = new Map<string, string>();
  for (const s of rule.signers ?? []) for (const id of input.policy.signers[s]?.keys ?? []) owner.set(id, s);
  const counted: CountedSignature[] = [];
  const rejected: RejectedSignature[] = [];
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
    if (input.problem !== undefined) reason += `; ${input.problem}`;
    else if (input.verdicts.length === 0) reason += '; no signatures found';
    else if (rejected.length) reason += `; ${rejected.length} not counted: ${summarizeReasons(rejected.map((r) => r.reason))}`;
  }
  return { rule: info(rule), checked: true, satisfied, counted, rejected, reason };
}
