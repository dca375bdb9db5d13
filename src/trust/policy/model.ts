/**
 * The trust policy model (policy.json, schema version 1): named signers holding key ids, rules that bind a
 * repository glob to signers, a signature threshold, required payload claims and a mode, and the default rule for
 * repositories no rule matches. Values are immutable; edits build new policies. Pure.
 */

/** The only schema version this code reads and writes. */
export const POLICY_VERSION = 1;

/** `enforce` refuses unmet images, `warn` allows them with warnings, `off` does not check. */
export type PolicyMode = 'enforce' | 'warn' | 'off';

/** Every mode, in documentation order. */
export const POLICY_MODES: readonly PolicyMode[] = ['enforce', 'warn', 'off'];

/** A named signer: the ids (lower-case hex SHA-256 of the SubjectPublicKeyInfo) of the keys it signs with. */
export interface PolicySigner {
  readonly keys: readonly string[];
}

/** One rule; optional fields are kept absent (not filled with defaults) so files round-trip unchanged. */
export interface PolicyRule {
  /** Repository glob (keys/ scope syntax), unique within a policy. */
  readonly repositories: string;
  /** When present, only keys of these signers count. */
  readonly signers?: readonly string[];
  /** Distinct keys that must have signed; default 1. */
  readonly threshold?: number;
  /** Claims every counted signature's payload `optional` must carry with exactly these string values. */
  readonly requireClaims?: Readonly<Record<string, string>>;
  /** Default `enforce`. */
  readonly mode?: PolicyMode;
}

/** A whole policy (see the schema text in README). */
export interface Policy {
  readonly version: 1;
  readonly signers: Readonly<Record<string, PolicySigner>>;
  readonly rules: readonly PolicyRule[];
  readonly default: { readonly mode: PolicyMode };
}

/** The policy in force when there is no policy file: no signers, no rules, default mode enforce. */
export function emptyPolicy(): Policy {
  return { version: POLICY_VERSION, signers: {}, rules: [], default: { mode: 'enforce' } };
}

/** A map with its keys in code-unit order (stable output regardless of insertion order). */
function sorted<T>(map: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The canonical policy.json text: 2-space JSON with a trailing newline, fields in schema order, signers and
 * claims sorted by name, rules and key lists in their given order, absent optional rule fields left out.
 */
export function serializePolicy(policy: Policy): string {
  const signers = Object.fromEntries(Object.entries(sorted(policy.signers)).map(([name, s]) => [name, { keys: [...s.keys] }]));
  const rules = policy.rules.map((r) => ({
    repositories: r.repositories,
    ...(r.signers !== undefined && { signers: [...r.signers] }),
    ...(r.threshold !== undefined && { threshold: r.threshold }),
    ...(r.requireClaims !== undefined && { requireClaims: sorted(r.requireClaims) }),
    ...(r.mode !== undefined && { mode: r.mode }),
  }));
  return `${JSON.stringify({ version: policy.version, signers, rules, default: { mode: policy.default.mode } }, null, 2)}\n`;
}

/** A field path as users read it: `rules[1].threshold`, `signers.alice.keys[0]`, `rules[0].requireClaims["a b"]`. */
export function fieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out || '(document)';
}
