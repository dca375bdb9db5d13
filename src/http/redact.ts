/**
 * Keeping secrets and hostile text out of error messages: URLs are shown without user info or query (upload
 * locations and token realms carry state and tokens there), and anything a registry sends back is cut to one
 * short line with credentials-looking parts replaced. Pure.
 */

/** The replacement for a redacted value. */
export const REDACTED = '[redacted]';

const MAX_TEXT = 200;

/** A URL as shown in messages: scheme, host and path only (no user info, no query, no fragment). */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Text from a registry or token server made safe for a one-line message: control characters and line breaks
 * become spaces, authorization values, JWTs and secret-named query parameters are redacted, and the result is
 * cut to 200 characters. `secrets` (passwords, tokens in use) are replaced wherever they appear.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  out = out
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\b(bearer|basic)\s+[^\s,;"']+/gi, `$1 ${REDACTED}`)
    .replace(/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, REDACTED)
    .replace(/([?&;][^=&\s]*(?:token|secret|password|passwd|signature|sig|credential|state|key)[^=&\s]*=)[^&\s]+/gi, `$1${REDACTED}`)
    .replace(/("?(?:access_token|refresh_token|token|password|identitytoken)"?\s*[:=]\s*"?)[^"\s,}]+/gi, `$1${REDACTED}`)
    .trim();
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}…` : out;
}
