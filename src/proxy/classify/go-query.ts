/**
 * A query string as Go's url.ParseQuery reads it (golang/go src/net/url/url.go parseQuery, QueryUnescape): pairs
 * split on `&`, key and value on the first `=`, `+` a space, `%XX` decoded, values of a repeated key kept in
 * order (the daemon's r.Form.Get takes the first). Where Go reports an error — a `;` (Go 1.17 and later) or a bad
 * escape — the daemon answers 400 (moby/moby daemon/server/httputils ParseForm), so the proxy refuses too. Pure.
 */
import { ApiRequestError } from '../../shared/errors.ts';
import { goUnescape } from './go-unescape.ts';

/** Each key's values, in the order they came. */
export type QueryValues = ReadonlyMap<string, readonly string[]>;

/** Parses a raw query; ApiRequestError (400) where Go's parser would report an error. */
export function parseGoQuery(raw: string): QueryValues {
  const values = new Map<string, string[]>();
  for (const pair of raw.split('&')) {
    if (pair.includes(';')) throw new ApiRequestError('invalid semicolon separator in query');
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = goUnescape(eq < 0 ? pair : pair.slice(0, eq), 'query', 'the query');
    const value = goUnescape(eq < 0 ? '' : pair.slice(eq + 1), 'query', 'the query');
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return values;
}

/**
 * The one value of `key` the daemon would read (r.Form.Get: the first), or undefined when absent. A key given more
 * than once is refused rather than trusting that every reader takes the first.
 */
export function singleValue(query: QueryValues, key: string): string | undefined {
  const list = query.get(key);
  if (list && list.length > 1) throw new ApiRequestError(`the query gives ${key} more than once`);
  return list?.[0];
}
