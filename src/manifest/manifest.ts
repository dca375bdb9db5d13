import { INDEX_MEDIA_TYPES } from './media-types.ts';

/** A platform as docker writes it: os/architecture[/variant]. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** One child of an index. */
export interface IndexChild {
  readonly digest: string;
  readonly mediaType: string;
  readonly platform?: Platform;
}

/** What a manifest is: a single image, or an index of per-platform manifests. */
export type ManifestKind = { readonly kind: 'image' } | { readonly kind: 'index'; readonly children: readonly IndexChild[] };

/** Classifies manifest bytes by their media type (header, else the `mediaType` field); index children are listed. */
export function describeManifest(bytes: Uint8Array, contentType: string): ManifestKind {
  let doc: { mediaType?: unknown; manifests?: unknown };
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { kind: 'image' };
  }
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : contentType.split(';')[0]!.trim();
  if (!INDEX_MEDIA_TYPES.includes(mediaType) || !Array.isArray(doc.manifests)) return { kind: 'image' };
  const children = doc.manifests.flatMap((m: { digest?: unknown; mediaType?: unknown; platform?: Platform }) =>
    typeof m.digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(m.digest)
      ? [{ digest: m.digest, mediaType: typeof m.mediaType === 'string' ? m.mediaType : '', ...(m.platform && { platform: m.platform }) }]
      : [],
  );
  return { kind: 'index', children };
}

/** Parses `os/arch[/variant]` (docker's --platform); undefined for anything else. */
export function parsePlatform(text: string): Platform | undefined {
  const [os, architecture, variant, extra] = text.toLowerCase().split('/');
  if (!os || !architecture || extra !== undefined) return undefined;
  return { os, architecture, ...(variant && { variant }) };
}

/** The child for a platform, as the engine would pick it (exact variant when given, else the first match). */
export function selectPlatform(children: readonly IndexChild[], want: Platform): IndexChild | undefined {
  const matches = children.filter((c) => c.platform?.os === want.os && c.platform.architecture === want.architecture);
  if (want.variant) return matches.find((c) => c.platform?.variant === want.variant);
  return matches.find((c) => !c.platform?.variant) ?? matches[0];
}
