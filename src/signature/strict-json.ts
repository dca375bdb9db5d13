/**
 * A JSON object reader as strict as containers/image's ParanoidUnmarshalJSONObject: the text must be one JSON
 * value, and no object anywhere in it may repeat a key (JSON.parse silently keeps the last one, which would let a
 * payload show one digest to us and another to a different verifier). Returns the parsed value or an error string.
 */
export function parseStrictJson(text: string): { value: unknown } | { error: string } {
  const dup = findDuplicateKey(text);
  if (dup !== undefined) return { error: `duplicate key "${dup}"` };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Scans JSON text and returns the first key repeated within one object, if any (invalid JSON: undefined). */
function findDuplicateKey(text: string): string | undefined {
  const stack: Array<Set<string> | null> = []; // a Set per open object, null per open array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return undefined;
        }
        if (top.has(key)) return key;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack.at(-1) instanceof Set;
    }
  }
  return undefined;
}
