/**
 * The one strict JSON (RFC 8259) reader. It keeps the 1-based line of every value and object key, so a policy error
 * can point at the offending line, and refuses duplicate keys in an object: JSON.parse silently keeps the last one,
 * which would let a document show one value to us and another to a different reader (containers/image
 * ParanoidUnmarshalJSONObject refuses them for the same reason). Iterative, so any nesting depth is read without
 * exhausting the stack unless `maxDepth` says otherwise. Pure.
 */

/** One parsed JSON value with the line it starts on; object entries keep the line of their key. */
export type JsonNode =
  | { readonly kind: 'object'; readonly line: number; readonly entries: readonly JsonEntry[] }
  | { readonly kind: 'array'; readonly line: number; readonly items: readonly JsonNode[] }
  /** `start` and `end`: where the string, quotes included, is in the text read (so a caller can replace exactly it). */
  | { readonly kind: 'string'; readonly line: number; readonly value: string; readonly start: number; readonly end: number }
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

/** What a reader allows beyond RFC 8259 and where it stops: by default neither a byte order mark nor a depth limit, as JSON.parse. */
export interface JsonTreeOptions {
  /** Skip one leading U+FEFF (a UTF-8 byte order mark) instead of refusing it. */
  readonly skipByteOrderMark?: boolean;
  /** Refuse values nested in more than this many arrays and objects. */
  readonly maxDepth?: number;
}

/** Syntax problems' messages start with this; a caller that names the failure itself may drop it. */
export const INVALID_JSON = 'invalid JSON: ';

// Unrolled (plain run, then escape + plain run, …) so that long strings match without per-character alternation.
const STRING = /"[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;

/** An array or object being read: its line, what it holds so far and, for objects, the key awaiting its value. */
type Open =
  | { readonly kind: 'object'; readonly line: number; readonly entries: JsonEntry[]; readonly keys: Set<string>; key: string; keyLine: number }
  | { readonly kind: 'array'; readonly line: number; readonly items: JsonNode[] };

/** Parses `text` as exactly one JSON value; a JsonProblem instead when it is not valid, duplicate-free JSON. */
export function parseJsonTree(text: string, options: JsonTreeOptions = {}): { node: JsonNode } | { problem: JsonProblem } {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  let pos = options.skipByteOrderMark && text.startsWith('\uFEFF') ? 1 : 0;
  let line = 1;
  const open: Open[] = [];
  const path: (string | number)[] = []; // the key or index of each value being read, from the root
  const fail = (message: string, at?: (string | number)[]): never => {
    throw { line, path: at, message } satisfies JsonProblem;
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
    if (text[pos] !== c) fail(`${INVALID_JSON}expected "${c}"${or ? ` or "${or}"` : ''}, found ${describe()}`);
    pos++;
  };
  /** Reads the next key of `o` and the ':' after it; the key's value is read next. */
  const key = (o: Extract<Open, { kind: 'object' }>): void => {
    skip();
    o.keyLine = line;
    const raw = token(STRING) ?? fail(`${INVALID_JSON}expected a string key, found ${describe()}`);
    o.key = JSON.parse(raw) as string;
    if (o.keys.has(o.key)) fail(`duplicate key "${o.key}"`, [...path, o.key]);
    o.keys.add(o.key);
    expect(':');
    path.push(o.key);
  };
  /** Reads a scalar or an empty container, or opens a container whose first member is read next (undefined). */
  const start = (): JsonNode | undefined => {
    skip();
    if (path.length > maxDepth) fail(`${INVALID_JSON}nested deeper than ${maxDepth} levels`);
    const at = line;
    const c = text[pos];
    if (c === '{' || c === '[') {
      pos++;
      skip();
      if (text[pos] === (c === '{' ? '}' : ']')) {
        pos++;
        return c === '{' ? { kind: 'object', line: at, entries: [] } : { kind: 'array', line: at, items: [] };
      }
      if (c === '{') {
        const o: Open = { kind: 'object', line: at, entries: [], keys: new Set(), key: '', keyLine: at };
        open.push(o);
        key(o);
      } else {
        open.push({ kind: 'array', line: at, items: [] });
        path.push(0);
      }
      return undefined;
    }
    const from = pos;
    const str = token(STRING);
    if (str !== undefined) return { kind: 'string', line: at, value: JSON.parse(str) as string, start: from, end: pos };
    const num = token(NUMBER);
    if (num !== undefined) return { kind: 'number', line: at, value: Number(num) };
    const lit = token(LITERAL);
    if (lit === 'null') return { kind: 'null', line: at };
    if (lit !== undefined) return { kind: 'boolean', line: at, value: lit === 'true' };
    return fail(`${INVALID_JSON}unexpected ${describe()}`);
  };
  /** Hands a finished value to the container it is in, closing containers that end; the root when none is left. */
  const finish = (value: JsonNode): JsonNode | undefined => {
    for (let node = value; ; ) {
      const o = open.at(-1);
      if (o === undefined) return node;
      path.pop();
      if (o.kind === 'object') o.entries.push({ key: o.key, line: o.keyLine, value: node });
      else o.items.push(node);
      skip();
      const close = o.kind === 'object' ? '}' : ']';
      if (text[pos] !== close) {
        expect(',', close);
        if (o.kind === 'object') key(o);
        else path.push(o.items.length);
        return undefined;
      }
      pos++;
      open.pop();
      node = o.kind === 'object' ? { kind: 'object', line: o.line, entries: o.entries } : { kind: 'array', line: o.line, items: o.items };
    }
  };
  try {
    let root: JsonNode | undefined;
    while (root === undefined) {
      const node = start();
      if (node !== undefined) root = finish(node);
    }
    skip();
    if (pos < text.length) fail(`${INVALID_JSON}unexpected ${describe()} after the end of the document`);
    return { node: root };
  } catch (err) {
    if (err instanceof Error) throw err;
    return { problem: err as JsonProblem };
  }
}
