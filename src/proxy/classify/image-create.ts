/**
 * What a `POST /images/create` asks for, read as the daemon reads it (moby/moby daemon/server/router/image
 * image_routes.go postImagesCreate): `fromImage` set is a pull — one trailing `:` dropped (`pull -a`), the name
 * normalised, `tag` a digest (the name's tag dropped) or a tag (a digest in `fromImage` kept); otherwise an import
 * from `fromSrc`. The daemon reads r.Form, where an `application/x-www-form-urlencoded` body overrides the query,
 * so any such body is refused, as is a parameter given twice. Pure.
 */
import { isDigest, isTag, parseReference, type Reference } from '../../reference/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';
import { singleValue, type QueryValues } from './go-query.ts';

/** A pull (`reference` without tag or digest: every tag, as `pull -a`) or an import. */
export type ImageCreate = { readonly kind: 'pull'; readonly reference: Reference; readonly platform?: string } | { readonly kind: 'import' };

/**
 * Reads an image create from its query and the request's Content-Type header values. ApiRequestError (400) for a
 * form body, two Content-Type headers, a repeated parameter, or a reference the daemon would refuse.
 */
export function imageCreateRequest(query: QueryValues, contentTypes: readonly string[]): ImageCreate {
  if (contentTypes.length > 1) throw new ApiRequestError('the request has more than one Content-Type header');
  // Go's mime.ParseMediaType only yields the form type for a value that contains it, so this is never looser.
  if (contentTypes.some((t) => t.toLowerCase().includes('x-www-form-urlencoded'))) {
    throw new ApiRequestError('an image create with a form body is refused: its fields would override the query');
  }
  const fromImage = singleValue(query, 'fromImage') ?? '';
  const tag = singleValue(query, 'tag') ?? '';
  const platform = singleValue(query, 'platform') ?? '';
  for (const key of ['fromSrc', 'repo', 'message']) singleValue(query, key);
  // References and platforms are ASCII; other bytes could only be read differently (they are kept as latin1 here).
  if (![fromImage, tag, platform].every((v) => /^[\x21-\x7e]*$/.test(v))) {
    throw new ApiRequestError('fromImage, tag and platform must be printable ASCII');
  }
  if (fromImage === '') return { kind: 'import' };
  const name = fromImage.endsWith(':') ? fromImage.slice(0, -1) : fromImage;
  let parsed: Reference;
  try {
    parsed = parseReference(name);
  } catch (err) {
    throw new ApiRequestError(`invalid fromImage ${JSON.stringify(fromImage.slice(0, 300))}: ${(err as Error).message}`, { cause: err });
  }
  let reference: Reference = parsed;
  if (tag !== '') {
    const base = { domain: parsed.domain, path: parsed.path };
    if (isDigest(tag)) reference = { ...base, digest: tag };
    else if (isTag(tag)) reference = { ...base, tag, ...(parsed.digest && { digest: parsed.digest }) };
    else throw new ApiRequestError(`invalid tag ${JSON.stringify(tag.slice(0, 300))}`);
  }
  return { kind: 'pull', reference, ...(platform !== '' && { platform }) };
}
