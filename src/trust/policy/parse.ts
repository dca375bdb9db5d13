/**
 * Strict reading of policy.json (schema versions 1 and 2, see model.ts): every problem is a PolicyError POLICY_INVALID
 * naming the file, the 1-based line of the offending value and its field path, e.g.
 * `policy.json:7: rules[1].threshold: must be an integer from 1 to 2 (the keys signers alice, bob hold)`. Pure.
 */
import { parseJsonTree, type JsonNode } from '../../encoding/index.ts';
import { PolicyError } from '../../shared/errors.ts';
import { isValidName, MAX_SIGNER_NAME } from '../../shared/names.ts';
import { scopeProblem } from '../../keys/format/index.ts';
import {
  ENGINE_CHOICES,
  fieldPath,
  POLICY_VERSION,
  serializePolicy,
  type EngineChoice,
  type EnginePolicy,
  type Policy,
  type PolicyRule,
  type PolicySigner,
} from './model.ts';
import { booleanAt, choiceAt, Invalid, KEY_ID, members, modeAt, stringAt, stringsAt } from './schema-check.ts';

/** Policy files may start with a byte order mark (editors on Windows write one); nesting is bounded. */
const POLICY_JSON = { skipByteOrderMark: true, maxDepth: 64 } as const;

function signers(node: JsonNode): Record<string, PolicySigner> {
  if (node.kind !== 'object') throw new Invalid(node.line, ['signers'], 'must be a JSON object');
  const owner = new Map<string, string>();
  const out: [string, PolicySigner][] = [];
  for (const e of node.entries) {
    const path = ['signers', e.key];
    if (!isValidName(e.key, MAX_SIGNER_NAME))
      throw new Invalid(e.line, path, 'a signer name is 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit');
    const keys = members(e.value, path, ['keys']).get('keys');
    if (!keys) throw new Invalid(e.value.line, [...path, 'keys'], 'is required');
    const ids = stringsAt(keys.value, [...path, 'keys']).map(({ value, line }, i) => {
      const at = [...path, 'keys', i];
      if (!KEY_ID.test(value)) throw new Invalid(line, at, 'must be a key id: 64 lower-case hex digits (SHA-256 of the public key)');
      const held = owner.get(value);
      if (held !== undefined) throw new Invalid(line, at, held === e.key ? 'key is listed twice' : `key already belongs to signer ${held}`);
      owner.set(value, e.key);
      return value;
    });
    out.push([e.key, { keys: ids }]);
  }
  return Object.fromEntries(out);
}

const RULE_FIELDS = ['repositories', 'signers', 'threshold', 'requireClaims', 'mode', 'override'];

function rule(node: JsonNode, i: number, known: Readonly<Record<string, PolicySigner>>, globs: Map<string, number>): PolicyRule {
  const path = ['rules', i];
  const m = members(node, path, RULE_FIELDS);
  const repos = m.get('repositories');
  if (!repos) throw new Invalid(node.line, [...path, 'repositories'], 'is required');
  const glob = stringAt(repos.value, [...path, 'repositories']);
  const problem = scopeProblem(glob);
  if (problem) throw new Invalid(repos.value.line, [...path, 'repositories'], `invalid repository glob: ${problem}`);
  const first = globs.get(glob);
  if (first !== undefined) throw new Invalid(repos.value.line, [...path, 'repositories'], `duplicates rules[${first}].repositories`);
  globs.set(glob, i);
  const out: { -readonly [K in keyof PolicyRule]: PolicyRule[K] } = { repositories: glob };
  const names = m.get('signers');
  if (names) {
    const list = stringsAt(names.value, [...path, 'signers']);
    if (list.length === 0)
      throw new Invalid(names.value.line, [...path, 'signers'], 'must name at least one signer (leave the field out to count any trusted key)');
    list.forEach(({ value, line }, j) => {
      if (!Object.hasOwn(known, value)) throw new Invalid(line, [...path, 'signers', j], `unknown signer "${value}" (not defined under signers)`);
      if (list.findIndex((n) => n.value === value) !== j) throw new Invalid(line, [...path, 'signers', j], `names signer ${value} twice`);
    });
    out.signers = list.map((n) => n.value);
  }
  const threshold = m.get('threshold');
  const max = out.signers ? out.signers.reduce((n, s) => n + known[s]!.keys.length, 0) : Infinity;
  const t = threshold?.value;
  const ok = t === undefined ? max >= 1 : t.kind === 'number' && Number.isSafeInteger(t.value) && t.value >= 1 && t.value <= max;
  if (!ok) {
    const why =
      max === Infinity
        ? 'must be an integer of at least 1'
        : max === 0
          ? `cannot be met: signers ${out.signers!.join(', ')} hold no keys`
          : `must be an integer from 1 to ${max} (the keys signers ${out.signers!.join(', ')} hold)`;
    throw new Invalid((t ?? names!.value).line, [...path, t ? 'threshold' : 'signers'], why);
  }
  if (t?.kind === 'number') out.threshold = t.value;
  const claims = m.get('requireClaims');
  if (claims) {
    if (claims.value.kind !== 'object') throw new Invalid(claims.value.line, [...path, 'requireClaims'], 'must be a JSON object of strings');
    out.requireClaims = Object.fromEntries(
      claims.value.entries.map((e) => {
        if (e.key === '') throw new Invalid(e.line, [...path, 'requireClaims', e.key], 'a claim name must not be empty');
        return [e.key, stringAt(e.value, [...path, 'requireClaims', e.key])];
      }),
    );
  }
  const ruleMode = m.get('mode');
  if (ruleMode) out.mode = modeAt(ruleMode.value, [...path, 'mode']);
  const override = m.get('override');
  if (override) out.override = booleanAt(override.value, [...path, 'override']);
  return out;
}

function policy(root: JsonNode): Policy {
  const m = members(root, [], ['version', 'signers', 'rules', 'default', 'engine']);
  const version = m.get('version');
  if (!version) throw new Invalid(root.line, ['version'], `is required (write "version": ${POLICY_VERSION})`);
  const v = version.value;
  if (v.kind !== 'number' || (v.value !== 1 && v.value !== 2))
    throw new Invalid(v.line, ['version'], 'must be 1 or 2 (the policy versions this trustext reads)');
  const known = m.has('signers') ? signers(m.get('signers')!.value) : {};
  const rulesNode = m.get('rules')?.value;
  if (rulesNode && rulesNode.kind !== 'array') throw new Invalid(rulesNode.line, ['rules'], 'must be an array of rules');
  const globs = new Map<string, number>();
  const rules = rulesNode?.kind === 'array' ? rulesNode.items.map((r, i) => rule(r, i, known, globs)) : [];
  const def = m.get('default')?.value;
  const defMode = def ? members(def, ['default'], ['mode']).get('mode') : undefined;
  const engineNode = m.get('engine')?.value;
  return {
    version: v.value,
    signers: known,
    rules,
    default: { mode: defMode ? modeAt(defMode.value, ['default', 'mode']) : 'enforce' },
    ...(engineNode && { engine: enginePolicy(engineNode) }),
  };
}

/** The `engine` object: the proxy's choices for local images and builds. */
function enginePolicy(node: JsonNode): EnginePolicy {
  const m = members(node, ['engine'], ['localImages', 'builds']);
  const out: { localImages?: EngineChoice; builds?: EngineChoice } = {};
  for (const field of ['localImages', 'builds'] as const) {
    const entry = m.get(field);
    if (entry) out[field] = choiceAt(entry.value, ['engine', field], ENGINE_CHOICES);
  }
  return out;
}

/** The policy in `text`, or the first problem: its line, field path (absent for JSON syntax errors) and message. */
function readPolicy(text: string): { policy: Policy } | { line: number; field?: string; message: string } {
  const tree = parseJsonTree(text, POLICY_JSON);
  if ('problem' in tree) {
    const { line, path, message } = tree.problem;
    return path ? { line, field: fieldPath(path), message } : { line, message };
  }
  try {
    return { policy: policy(tree.node) };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    return { line: err.line, field: err.field, message: err.message };
  }
}

/** Reads policy text; PolicyError POLICY_INVALID `<source>:<line>: <field>: <problem>` (with line and field set) otherwise. */
export function parsePolicy(text: string, source: string): Policy {
  const r = readPolicy(text);
  if ('policy' in r) return r.policy;
  const where = r.field !== undefined ? `${r.field}: ` : '';
  throw new PolicyError('POLICY_INVALID', `${source}:${r.line}: ${where}${r.message}`, { line: r.line, field: r.field });
}

/** `p` normalised through serialize + parse; PolicyError POLICY_INVALID `invalid policy: <field>: <problem>` (field set, no line). */
export function validatePolicy(p: Policy): Policy {
  const r = readPolicy(serializePolicy(p));
  if ('policy' in r) return r.policy;
  throw new PolicyError('POLICY_INVALID', `invalid policy: ${r.field ?? '(document)'}: ${r.message}`, { field: r.field });
}
