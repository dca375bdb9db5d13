/**
 * A strict JSON (RFC 8259) reader that keeps the 1-based line of every value and object key, so policy errors can
 * point at the offending line. Refuses duplicate keys in an object (JSON.parse would silently keep the last one)
 * and nesting deeper than 64. A leading UTF-8 byte order mark is skipped. Pure.
 */

/** One parsed JSON value with the line it starts on; object entries keep the line of their key. */
export type JsonNode =
  | { readonly kind: 'object'; readonly line: number; readonly entries: readonly JsonEntry[] }
  | { readonly kind: 'array'; readonly line: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly line: number; readonly value: string }
  | { readonly kind: 'number'; readonly line: number; readonly value: number }
  | { readonly kind: 'boolean'; readonly line: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly line: number };

/** An object member: its key, the line of the key, and the value. */
export interface JsonEntry {
  readonly key: string;
  readonly line: number;
  readonly value: JsonNode;
}

/** Why a text is not acceptable JSON: the line, the key path when the problem is a duplicate key, and a message. */
export interface JsonProblem {
  readonly line: number;
  readonly path?: readonly (string | number)[];
  readonly message: string;
}

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;
const MAX_DEPTH = 64;

/** Parses `text` as exactly one JSON value; a JsonProblem instead when it is not valid, duplicate-free JSON. */
export function parseJsonTree(text: string): { node: JsonNode } | { problem: JsonProblem } {
  let pos = text.startsWith('\uFEFF') ? 1 : 0;
  let line = 1;
  const fail = (message: string, path?: (string | number)[]): never => {
    throw { line, path, message } satisfies JsonProblem;
  };
  const skip = (): void => {
    for (; pos < text.length; pos++) {
      const c = text[pos];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
    }
  };
  const describe = (): string => (pos >= text.length ? 'end of text' : `character ${JSON.stringify(text[pos])}`);
  const token = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m) pos += m[0].length;
    return m?.[0];
  };
  const expect = (c: string, or?: string): void => {
    skip();
    if (text[pos] !== c) fail(`invalid JSON: expected "${c}"${or ? ` or "${or}"` : ''}, found ${describe()}`);
    pos++;
  };
  const value = (path: (string | number)[]): JsonNode => {
    skip();
    if (path.length > MAX_DEPTH) fail(`invalid JSON: nested deeper than ${MAX_DEPTH} levels`);
    const at = line;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: JsonEntry[] = [];
      skip();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', line: at, entries };
      }
      for (;;) {
        skip();
        const keyLine = line;
        const raw = token(STRING) ?? fail(`invalid JSON: expected a string key, found ${describe()}`);
        const key = JSON.parse(raw) as string;
        if (entries.some((e) => e.key === key)) fail(`duplicate key "${key}"`, [...path, key]);
        expect(':');
        entries.push({ key, line: keyLine, value: value([...path, key]) });
        skip();
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', line: at, entries };
        }
        expect(',', '}');
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', line: at, items };
      }
      for (;;) {
        items.push(value([...path, items.length]));
        skip();
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', line: at, items };
        }
        expect(',', ']');
      }
    }
    const str = token(STRING);
    if (str !== undefined) return { kind: 'string', line: at, value: JSON.parse(str) as string };
    const num = token(NUMBER);
    if (num !== undefined) return { kind: 'number', line: at, value: Number(num) };
    const lit = token(LITERAL);
    if (lit === 'null') return { kind: 'null', line: at };
    if (lit !== undefined) return { kind: 'boolean', line: at, value: lit === 'true' };
    return fail(`invalid JSON: unexpected ${describe()}`);
  };
  try {
    const node = value([]);
    skip();
    if (pos < text.length) fail(`invalid JSON: unexpected ${describe()} after the end of the document`);
    return { node };
  } catch (err) {
    if (err instanceof Error) throw err;
    return { problem: err as JsonProblem };
  }
}
