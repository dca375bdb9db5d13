/**
 * The plain value of strict JSON: parseJsonTree's reading (no duplicate keys anywhere, exactly one value, no byte
 * order mark, any depth) turned into what JSON.parse would have returned for the same text. Pure.
 */
import { INVALID_JSON, type JsonNode, parseJsonTree } from './json-tree.ts';

/**
 * The value of `text`, or why it is refused: a duplicate key or a syntax error, as a message without the
 * "invalid JSON" prefix (callers say what was not valid JSON).
 */
export function parseStrictJson(text: string): { value: unknown } | { error: string } {
  const tree = parseJsonTree(text);
  if ('problem' in tree) {
    const { message } = tree.problem;
    return { error: message.startsWith(INVALID_JSON) ? message.slice(INVALID_JSON.length) : message };
  }
  return { value: plainValue(tree.node) };
}

/** The JSON.parse value of a tree, built without recursion; keys are own data properties (`__proto__` included). */
function plainValue(root: JsonNode): unknown {
  const shell = (node: JsonNode): unknown => {
    if (node.kind === 'object') return {};
    if (node.kind === 'array') return [];
    return node.kind === 'null' ? null : node.value;
  };
  const top = shell(root);
  const todo: [JsonNode, unknown][] = [[root, top]];
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    const [node, into] = next;
    if (node.kind === 'array') {
      for (const item of node.items) {
        const v = shell(item);
        (into as unknown[]).push(v);
        todo.push([item, v]);
      }
    } else if (node.kind === 'object') {
      for (const { key, value } of node.entries) {
        const v = shell(value);
        Object.defineProperty(into, key, { value: v, writable: true, enumerable: true, configurable: true });
        todo.push([value, v]);
      }
    }
  }
  return top;
}
