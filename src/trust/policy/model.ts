/**
 * The trust policy model (policy.json, schema version 2): named signers holding key ids, rules that bind a
 * repository glob to signers, a signature threshold, required payload claims, a mode and whether the rule
 * overrides broader ones, and the default rule for repositories no rule matches. Values are immutable; edits build
 * new policies. Pure.
 *
 * Version 2 is version 1 plus `override`, with one change of meaning: every matching rule applies (select.ts), not
 * only the most specific one. Version 1 files are read with that meaning (it can only make them stricter) and are
 * written as version 2, which an older trustext refuses to read rather than apply most-specific-wins to it.
 */

/** The schema version this code writes (it reads 1 and 2). */
export const POLICY_VERSION = 2;

/** The schema versions this code reads. */
export type PolicyVersion = 1 | 2;

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
  /** When true, broader matching rules do not apply where this one does (default false: they apply too). */
  readonly override?: boolean;
}

/** Whether the Engine API proxy lets something through that no signature can vouch for. */
export type EngineChoice = 'allow' | 'refuse';

/** Both choices, in documentation order. */
export const ENGINE_CHOICES: readonly EngineChoice[] = ['allow', 'refuse'];

/**
 * What the Engine API proxy does with what no signature covers (optional fields kept absent, like a rule's):
 * `localImages` — images with no registry digest (built, loaded, committed, imported on this host) run or not
 * (default refuse); `builds` — classic and BuildKit builds are accepted or not (default allow; what they build is
 * still a local image).
 */
export interface EnginePolicy {
  readonly localImages?: EngineChoice;
  readonly builds?: EngineChoice;
}

/** A whole policy (see the schema text in README). */
export interface Policy {
  /** The version the file was read with; serialisation always writes POLICY_VERSION. */
  readonly version: PolicyVersion;
  readonly signers: Readonly<Record<string, PolicySigner>>;
  readonly rules: readonly PolicyRule[];
  readonly default: { readonly mode: PolicyMode };
  /** The proxy's settings, when the file has them. */
  readonly engine?: EnginePolicy;
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
 * The canonical policy.json text: version POLICY_VERSION, 2-space JSON with a trailing newline, fields in schema
 * order, signers and claims sorted by name, rules and key lists in their given order, absent optional rule fields
 * left out.
 */
export function serializePolicy(policy: Policy): string {
  const signers = Object.fromEntries(Object.entries(sorted(policy.signers)).map(([name, s]) => [name, { keys: [...s.keys] }]));
  const rules = policy.rules.map((r) => ({
    repositories: r.repositories,
    ...(r.signers !== undefined && { signers: [...r.signers] }),
    ...(r.threshold !== undefined && { threshold: r.threshold }),
    ...(r.requireClaims !== undefined && { requireClaims: sorted(r.requireClaims) }),
    ...(r.mode !== undefined && { mode: r.mode }),
    ...(r.override !== undefined && { override: r.override }),
  }));
  const engine = policy.engine && {
    engine: {
      ...(policy.engine.localImages !== undefined && { localImages: policy.engine.localImages }),
      ...(policy.engine.builds !== undefined && { builds: policy.engine.builds }),
    },
  };
  return `${JSON.stringify({ version: POLICY_VERSION, signers, rules, default: { mode: policy.default.mode }, ...engine }, null, 2)}\n`;
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
