import { parseStrictJson } from '../encoding/index.ts';
import { OCI_CONFIG, OCI_MANIFEST, SIMPLESIGNING } from '../manifest/index.ts';
import { sha256Digest } from '../reference/index.ts';

/** The annotation of cosign's tag-based signature format (sigstore/cosign specs/SIGNATURE_SPEC.md); its media types are manifest/'s. */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
/** cosign's cap on signatures in one `.sig` manifest (pkg/oci/mutate/signatures.go). */
export const MAX_SIGNATURES = 1000;

/** One signature: the payload bytes and the base64 signature over them. */
export interface SignatureEntry {
  readonly payload: Buffer;
  readonly signature: string;
}

/** A signature layer as listed in a `.sig` manifest: the payload blob's digest and size, and the signature. */
export interface SignatureLayer {
  readonly digest: string;
  readonly size: number;
  readonly signature: string;
}

/** The tag that holds the signatures of a manifest digest: `sha256:abc…` → `sha256-abc….sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

/** The layer descriptor of a new signature, and the payload blob to upload for it. */
export function signatureLayer(entry: SignatureEntry): { layer: SignatureLayer; blob: Buffer } {
  return { layer: { digest: sha256Digest(entry.payload), size: entry.payload.length, signature: entry.signature }, blob: entry.payload };
}

/** The config blob and manifest of a `.sig` image whose layers are `layers` (payload blobs uploaded separately). */
export interface SignatureImage {
  readonly manifest: Buffer;
  readonly config: { readonly digest: string; readonly bytes: Buffer };
}

/**
 * Builds the `.sig` image as cosign does (pkg/oci/mutate, ggcr empty image): an OCI manifest whose config is an
 * OCI image config with a zero `created` and `rootfs.diff_ids` = the payload digests, and one simplesigning layer
 * per signature (blob = payload bytes) carrying the signature in `dev.cosignproject.cosign/signature`.
 */
export function buildSignatureImage(layers: readonly SignatureLayer[]): SignatureImage {
  const zero = '0001-01-01T00:00:00Z';
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      created: zero,
      history: layers.map(() => ({ created: zero })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
  const configDigest = sha256Digest(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, size: config.length, digest: configDigest },
      layers: layers.map((l) => ({
        mediaType: SIMPLESIGNING,
        size: l.size,
        digest: l.digest,
        annotations: { [SIGNATURE_ANNOTATION]: l.signature },
      })),
    }),
  );
  return { manifest, config: { digest: configDigest, bytes: config } };
}

/**
 * Reads the signature layers of a `.sig` manifest. It must be an OCI image manifest (as containers/image
 * requires); layers of other media types are skipped as non-signature attachments; a simplesigning layer
 * without a signature annotation or with a malformed digest/size is refused. Returns the layers and how many
 * others were skipped (a rewrite would drop those), or why not.
 */
export function parseSignatureManifest(bytes: Uint8Array, contentType: string | undefined): { layers: SignatureLayer[]; skipped: number } | { error: string } {
  const parsed = parseStrictJson(Buffer.from(bytes).toString('utf8'));
  if ('error' in parsed) return { error: `signature manifest is not valid JSON: ${parsed.error}` };
  const m = parsed.value as { schemaVersion?: unknown; mediaType?: unknown; layers?: unknown };
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return { error: 'signature manifest is not a JSON object' };
  const mediaType = typeof m.mediaType === 'string' ? m.mediaType : contentType?.split(';')[0]?.trim();
  if (mediaType !== OCI_MANIFEST) return { error: `signature manifest has media type ${mediaType ?? '(none)'}, not ${OCI_MANIFEST}` };
  if (m.schemaVersion !== 2) return { error: 'signature manifest is not schemaVersion 2' };
  if (!Array.isArray(m.layers)) return { error: 'signature manifest has no layers' };
  if (m.layers.length > MAX_SIGNATURES) return { error: `signature manifest has ${m.layers.length} layers, over the ${MAX_SIGNATURES} limit` };
  const layers: SignatureLayer[] = [];
  let skipped = 0;
  for (const [i, raw] of m.layers.entries()) {
    const l = raw as { mediaType?: unknown; digest?: unknown; size?: unknown; annotations?: Record<string, unknown> };
    if (l === null || typeof l !== 'object' || l.mediaType !== SIMPLESIGNING) {
      skipped++;
      continue;
    }
    const signature = l.annotations?.[SIGNATURE_ANNOTATION];
    if (typeof l.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(l.digest)) return { error: `signature layer ${i} has an invalid digest` };
    if (!Number.isSafeInteger(l.size) || (l.size as number) < 0) return { error: `signature layer ${i} has an invalid size` };
    if (typeof signature !== 'string') return { error: `signature layer ${i} has no ${SIGNATURE_ANNOTATION} annotation` };
    layers.push({ digest: l.digest, size: l.size as number, signature });
  }
  return { layers, skipped };
}
