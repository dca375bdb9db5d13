/**
 * Repository scopes: globs over fully qualified repository names (reference/ `repositoryName`, e.g.
 * 'docker.io/library/busybox', '127.0.0.1:5000/team/app') saying which repositories a key is trusted for.
 *
 * Semantics, segment by segment on '/':
 *   - a literal segment matches itself exactly (case-sensitive; docker paths are lower case);
 *   - `*` inside a segment matches any run of characters except '/': 'team/*' matches 'team/app' but not
 *     'team/a/b'; 'app-*' matches 'app-web'; a host segment may be '*.example.com' or '*';
 *   - `**` as a whole segment matches zero or more whole segments: 'reg.io/team/**' matches 'reg.io/team',
 *     'reg.io/team/app' and 'reg.io/team/a/b'; '**' alone matches every repository.
 * No other character is special. Validation refuses globs that could never match a normalised name:
 * the first segment must be a registry host (contains '.' or ':', is 'localhost', or is a wildcard, as
 * distribution/reference normalize.go decides), never 'index.docker.io' (docker writes 'docker.io'); path
 * segments hold only docker's path characters [a-z0-9._-] and '*' (so no tag or digest); and '**' may not
 * share a segment with other characters. Pure.
 */
import { KeyError } from '../../shared/errors.ts';
import { LEGACY_DEFAULT_DOMAIN } from '../../reference/index.ts';

const CHARS = /^[A-Za-z0-9._:\-*/[\]]+$/;
const PATH_SEGMENT = /^[a-z0-9._\-*]+$/;

/** Why `glob` is not a valid scope, or undefined when it is. */
export function scopeProblem(glob: string): string | undefined {
  if (glob === '**') return undefined;
  if (glob.length === 0 || glob.length > 512) return 'a scope must be 1 to 512 characters';
  if (!CHARS.test(glob)) return 'a scope may contain only letters, digits, ".", "_", "-", ":", "/", "[", "]" and "*"';
  const segments = glob.split('/');
  if (segments.some((s) => s === '')) return 'a scope has no empty path segments (no leading, trailing or double "/")';
  if (segments.some((s) => s.includes('**') && s !== '**')) return '"**" must be a whole path segment';
  if (segments.length < 2) return 'a scope names repositories as host/path, e.g. docker.io/library/* or registry.example/team/**';
  const [host = '', ...path] = segments;
  if (!host.includes('*') && !(host.includes('.') || host.includes(':') || host === 'localhost')) {
    return `the first segment "${host}" is not a registry host; write the fully qualified name, e.g. docker.io/${glob}`;
  }
  if (host === LEGACY_DEFAULT_DOMAIN) return `use "docker.io" instead of "${LEGACY_DEFAULT_DOMAIN}" (docker normalises it)`;
  if (path.some((s) => !PATH_SEGMENT.test(s)))
    return 'path segments use only lower-case letters, digits, ".", "_", "-" and "*" (a scope names repositories: no tag or digest)';
  return undefined;
}

/** `glob` itself when it is a valid scope; KeyError KEY_INVALID with the reason otherwise. */
export function validateScope(glob: string): string {
  const problem = scopeProblem(glob);
  if (problem) throw new KeyError('KEY_INVALID', `invalid scope "${glob.slice(0, 100)}": ${problem}`);
  return glob;
}

/** Whether the fully qualified `repository` name matches scope `glob` (semantics above). Never throws. */
export function matchScope(glob: string, repository: string): boolean {
  const g = glob.split('/');
  const r = repository.split('/');
  if (r.some((s) => s === '')) return false;
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = i * (r.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === g.length) result = j === r.length;
    else if (g[i] === '**') result = match(i + 1, j) || (j < r.length && match(i, j + 1));
    else result = j < r.length && segmentMatches(g[i]!, r[j]!) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** One segment against a pattern whose only special character is `*` (any run of characters). */
function segmentMatches(pattern: string, segment: string): boolean {
  if (!pattern.includes('*')) return pattern === segment;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (segment.length < first.length + last.length || !segment.startsWith(first) || !segment.endsWith(last)) return false;
  let at = first.length;
  const end = segment.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = segment.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
