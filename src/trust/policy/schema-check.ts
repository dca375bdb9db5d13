/**
 * Building blocks of the policy schema check: a located violation (line + field path) and checks of one JSON node
 * against one expected shape. Pure.
 */
import type { JsonEntry, JsonNode } from '../../encoding/index.ts';
import { fieldPath, POLICY_MODES, type PolicyMode } from './model.ts';

/** A field path: object keys and array indexes from the document root. */
export type Path = readonly (string | number)[];

/** A schema violation found while walking the tree: 1-based line, field path text, message. */
export class Invalid extends Error {
  readonly line: number;
  readonly field: string;
  constructor(line: number, path: Path, message: string) {
    super(message);
    this.line = line;
    this.field = fieldPath(path);
  }
}

/** Key ids: the lower-case hex SHA-256 of the key's SubjectPublicKeyInfo (keys/ `spkiKeyId`). */
export const KEY_ID = /^[0-9a-f]{64}$/;

/** The members of an object node, refusing any field not in `allowed`. */
export function members(node: JsonNode, path: Path, allowed: readonly string[]): Map<string, JsonEntry> {
  if (node.kind !== 'object') throw new Invalid(node.line, path, 'must be a JSON object');
  for (const e of node.entries) {
    if (!allowed.includes(e.key)) throw new Invalid(e.line, [...path, e.key], `unknown field (expected ${allowed.join(', ')})`);
  }
  return new Map(node.entries.map((e) => [e.key, e]));
}

/** The string value of `node`. */
export function stringAt(node: JsonNode, path: Path): string {
  if (node.kind !== 'string') throw new Invalid(node.line, path, 'must be a string');
  return node.value;
}

/** The boolean value of `node`. */
export function booleanAt(node: JsonNode, path: Path): boolean {
  if (node.kind !== 'boolean') throw new Invalid(node.line, path, 'must be true or false');
  return node.value;
}

/** The strings of an array node, each with its line. */
export function stringsAt(node: JsonNode, path: Path): { value: string; line: number }[] {
  if (node.kind !== 'array') throw new Invalid(node.line, path, 'must be an array of strings');
  return node.items.map((item, i) => ({ value: stringAt(item, [...path, i]), line: item.line }));
}

/** The mode named by a string node. */
export function modeAt(node: JsonNode, path: Path): PolicyMode {
  return choiceAt(node, path, POLICY_MODES);
}

/** A string that must be one of `choices`. */
export function choiceAt<T extends string>(node: JsonNode, path: Path, choices: readonly T[]): T {
  const value = stringAt(node, path);
  if (!(choices as readonly string[]).includes(value)) throw new Invalid(node.line, path, `must be one of ${choices.join(', ')}`);
  return value as T;
}
