/**
 * Reading the fields of a JSON object the way Go's encoding/json fills a struct (golang/go src/encoding/json
 * decode.go object, fold.go foldName): a key matches a field by exact name or, failing that, case-insensitively
 * with Unicode simple folding — so `image`, `IMAGE` and `Hoſtconfig` (U+017F, a long s) reach `Image` and
 * `HostConfig` — and of several keys that reach one field the last wins. The proxy refuses both cases instead of
 * guessing: a field reached by a key not spelled exactly as the field, or by more than one key. Pure.
 */
import type { JsonNode } from '../../encoding/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';

/**
 * foldName for the names we look up (ASCII): ASCII letters upper-cased, and the two non-ASCII runes whose fold
 * orbit holds an ASCII letter mapped to it (U+017F ſ to S, U+212A Kelvin sign to K); any other rune stays, so it
 * can never equal an ASCII field name.
 */
export function goFoldName(key: string): string {
  return key
    .replace(/[a-z]/g, (c) => c.toUpperCase())
    .replace(/\u017f/g, 'S')
    .replace(/\u212a/g, 'K');
}

/** The value nodes of `fields` in object `node` (absent when no key reaches them); refusals name the field path `at`. */
export function goFields(node: JsonNode, at: string, fields: readonly string[]): Map<string, JsonNode> {
  if (node.kind !== 'object') throw new ApiRequestError(`${at || 'the body'} must be a JSON object`);
  const out = new Map<string, JsonNode>();
  for (const field of fields) {
    const folded = goFoldName(field);
    const reaching = node.entries.filter((e) => e.key === field || goFoldName(e.key) === folded);
    if (reaching.length === 0) continue;
    const where = at ? `${at}.${field}` : field;
    if (reaching.length > 1) throw new ApiRequestError(`the body sets ${where} more than once (${reaching.map((e) => JSON.stringify(e.key)).join(', ')})`);
    const [entry] = reaching;
    if (entry!.key !== field) throw new ApiRequestError(`the body spells ${where} as ${JSON.stringify(entry!.key)}: use the exact field name`);
    out.set(field, entry!.value);
  }
  return out;
}

/** A string field's value; undefined when absent or null (Go leaves the field empty); anything else is refused. */
export function goString(node: JsonNode | undefined, at: string): string | undefined {
  if (node === undefined || node.kind === 'null') return undefined;
  if (node.kind !== 'string') throw new ApiRequestError(`${at} must be a string`);
  return node.value;
}
