/**
 * The pure parts of registry auth: WWW-Authenticate challenges (RFC 7235 §4.1, as docker/distribution's
 * registry/client/auth/challenge parses them) and token scopes (distribution's token spec,
 * https://distribution.github.io/distribution/spec/auth/scope/).
 */

/** One challenge from a WWW-Authenticate header: a lower-case scheme and its lower-cased parameter names. */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** An action on a repository, as token servers grant them. */
export type ScopeAction = 'pull' | 'push' | 'delete';

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*[ \t]*(?=,|$)/y;
/** Unquoted parameter values: a token by the RFC, but URLs appear unquoted in the wild, so up to ',' or space. */
const BARE_VALUE = /[^\s,]+/y;
const SPACES = /[ \t]*/y;

/**
 * Parses a WWW-Authenticate value into its challenges, in order; several challenges may share one header
 * (`Bearer realm="r",service="s", Basic realm="x"`). Unparseable trailing text is ignored, never thrown.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  let pos = 0;
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(header);
    if (!m || m[0] === '') return undefined;
    pos = re.lastIndex;
    return m[0];
  };
  const skip = (chars: string) => {
    while (pos < header.length && chars.includes(header[pos]!)) pos++;
  };
  while (pos < header.length) {
    skip(' \t,');
    const scheme = match(TOKEN);
    if (scheme === undefined) break;
    const challenge = { scheme: scheme.toLowerCase(), params: {} as Record<string, string> };
    out.push(challenge);
    match(SPACES);
    if (match(TOKEN68) !== undefined) continue; // `Negotiate abc==`: a token68 credential, not parameters
    for (;;) {
      const start = pos;
      const name = match(TOKEN);
      match(SPACES);
      if (name === undefined || header[pos] !== '=') {
        pos = start; // not a parameter: the next challenge's scheme
        break;
      }
      pos++;
      match(SPACES);
      const value = header[pos] === '"' ? quoted() : (match(BARE_VALUE) ?? '');
      challenge.params[name.toLowerCase()] = value;
      match(SPACES);
      if (header[pos] !== ',') break;
      skip(' \t,');
    }
  }
  return out;

  function quoted(): string {
    let value = '';
    for (pos++; pos < header.length; pos++) {
      const c = header[pos]!;
      if (c === '"') {
        pos++;
        return value;
      }
      if (c === '\\' && pos + 1 < header.length) pos++;
      value += header[pos];
    }
    return value;
  }
}

/** The challenge the client answers: Bearer when offered (docker prefers token auth), else Basic, else none. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ?? challenges.find((c) => c.scheme === 'basic');
}

/** The token scope for actions on one repository: `repository:<path>:<action>[,<action>…]`. */
export function repositoryScope(path: string, actions: readonly ScopeAction[]): string {
  return `repository:${path}:${actions.join(',')}`;
}

/** Our scopes plus any the challenge asks for that we lack (ggcr's bearer transport does the same). */
export function mergeScopes(ours: readonly string[], challenge: Challenge | undefined): string[] {
  const merged = [...ours];
  for (const s of (challenge?.params.scope ?? '').split(' ')) if (s && !merged.includes(s)) merged.push(s);
  return merged;
}

/** A stable cache key for a set of scopes at one host. */
export function scopeKey(host: string, scopes: readonly string[]): string {
  return `${host} ${[...scopes].sort().join(' ')}`;
}
