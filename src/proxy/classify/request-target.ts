/**
 * The request target as dockerd reads it, so that the proxy routes a request exactly where the daemon will: Go's
 * net/http takes the path with url.ParseRequestURI (golang/go src/net/url/url.go: unescape in encodePath mode, the
 * query left raw), and the daemon's gorilla/mux router matches the *decoded* path (moby/moby daemon/server/server.go
 * CreateMux: no UseEncodedPath) after answering any path that path.Clean would change with a redirect
 * (gorilla/mux mux.go cleanPath). What could be read two ways is refused instead of guessed. Pure.
 */
import { ApiRequestError } from '../../shared/errors.ts';
import { goUnescape } from './go-unescape.ts';

/** A request target split and decoded: the path the daemon routes on, and the raw query. */
export interface RequestTarget {
  /** Percent-decoded, each byte one character (latin1), so nothing is lost or merged in decoding. */
  readonly path: string;
  /** After the first `?`, undecoded (go-query.ts reads it). */
  readonly rawQuery: string;
}

/** Go's path.Clean (golang/go src/path/path.go): one slash, no `.`, `..` resolved, no trailing slash but the root. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** gorilla/mux cleanPath: path.Clean of a rooted path, keeping a trailing slash. */
function muxCleanPath(p: string): string {
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : `/${p}`;
  let np = cleanPath(rooted);
  if (rooted.endsWith('/') && np !== '/') np += '/';
  return np;
}

/**
 * Splits and decodes an origin-form request target (`/v1.41/containers/create?name=x`). Refuses (400): any other
 * form, bytes outside printable ASCII in the target, bad escapes, control characters once decoded (Go's regexp `.`
 * matches `\r`, JavaScript's does not), a `#`, and a path the router would redirect because it is not clean.
 */
export function parseRequestTarget(target: string): RequestTarget {
  if (!target.startsWith('/')) throw new ApiRequestError('the request target must be a path starting with /');
  if (!/^[\x21-\x7e]*$/.test(target)) throw new ApiRequestError('the request target holds characters outside printable ASCII');
  if (target.includes('#')) throw new ApiRequestError('the request target holds a #');
  const q = target.indexOf('?');
  const path = goUnescape(q < 0 ? target : target.slice(0, q), 'path', 'the request path');
  if (/[\x00-\x1f\x7f]/.test(path)) throw new ApiRequestError('the request path holds control characters once decoded');
  if (muxCleanPath(path) !== path) throw new ApiRequestError(`the request path ${JSON.stringify(path)} is not clean (the daemon would redirect it)`);
  return { path, rawQuery: q < 0 ? '' : target.slice(q + 1) };
}
