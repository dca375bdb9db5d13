/**
 * Listing tags (OCI distribution-spec §Listing Tags) across pages: `?n=` asks for a page size and each page's
 * `Link: <…>; rel="next"` header (RFC 8288) names the next one. Pages must stay on the registry and must end.
 */
import { readBody } from '../http/index.ts';
import { repositoryScope } from '../http/index.ts';
import type { OperationContext, RequestOptions } from './client-options.ts';
import { checkRepository, describe, repositoryUrl, type Repository } from './repository.ts';
import { invalidResponse } from '../http/index.ts';

/** Options of listTags: `pageSize` is sent as `n` (the registry may ignore it). */
export interface ListTagsOptions extends RequestOptions {
  readonly pageSize?: number;
}

/** The most pages listTags follows before calling the pagination endless. */
export const MAX_TAG_PAGES = 10_000;

/** The `rel="next"` target of a Link header resolved against `base`; undefined when there is none or it is not a URL. */
export function nextLink(header: string | undefined, base: URL): URL | undefined {
  if (!header) return undefined;
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2]!);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes('next')) continue;
    try {
      return new URL(m[1]!.trim(), base);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** All tags of a repository, in the registry's order, following pagination to the end. */
export async function listTags(ctx: OperationContext, repo: Repository, opts: ListTagsOptions): Promise<string[]> {
  checkRepository(repo);
  const endpoint = ctx.endpoint(repo.domain);
  const action = `listing tags of ${describe(repo)}`;
  const n = opts.pageSize;
  let url: URL | undefined = repositoryUrl(endpoint, repo, 'tags/list', '', n !== undefined ? { n: String(n) } : {});
  const seen = new Set<string>();
  const tags: string[] = [];
  while (url) {
    if (seen.has(url.href) || seen.size >= MAX_TAG_PAGES) throw invalidResponse(action, 'the tag list pagination does not end');
    seen.add(url.href);
    const call = {
      endpoint,
      method: 'GET',
      url,
      scopes: [repositoryScope(repo.path, ['pull'])],
      action,
      headers: { accept: 'application/json' },
      signal: opts.signal,
    };
    const res = await ctx.requester.send(call);
    if (res.status !== 200) throw await ctx.requester.error(res, call);
    const link = res.header('link');
    const bytes = await readBody(res, ctx.limits.manifestBytes, action, opts.signal);
    tags.push(...pageTags(bytes, action));
    url = nextLink(link, url);
    if (url && url.origin !== endpoint.origin) throw invalidResponse(action, 'the tag list continues on another host');
  }
  return tags;
}

function pageTags(bytes: Buffer, action: string): string[] {
  let page: { tags?: unknown };
  try {
    page = JSON.parse(bytes.toString('utf8')) as typeof page;
  } catch {
    throw invalidResponse(action, 'the tag list is not json', 200);
  }
  if (typeof page !== 'object' || page === null) throw invalidResponse(action, 'the tag list is not an object', 200);
  if (page.tags === undefined || page.tags === null) return [];
  if (!Array.isArray(page.tags) || !page.tags.every((t) => typeof t === 'string')) throw invalidResponse(action, 'the tag list has non-string tags', 200);
  return page.tags;
}
