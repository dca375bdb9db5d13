/**
 * Go's url.unescape (golang/go src/net/url/url.go), in the two modes the daemon's request parsing uses: a path
 * (encodePath: `+` stays `+`) and a query component (encodeQueryComponent: `+` is a space). `%XX` becomes one byte,
 * kept as one latin1 character so nothing is lost or merged; any other `%` is an error, refused here. Pure.
 */
import { ApiRequestError } from '../../shared/errors.ts';

/** Decodes `raw` as Go does in `mode`; ApiRequestError (400) naming `where` for a bad escape. */
export function goUnescape(raw: string, mode: 'path' | 'query', where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '+' && mode === 'query') out += ' ';
    else if (c !== '%') out += c;
    else {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new ApiRequestError(`invalid URL escape ${JSON.stringify(raw.slice(i, i + 3))} in ${where}`);
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
    }
  }
  return out;
}
