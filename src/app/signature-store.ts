import {
  buildSignatureImage, OCI_MANIFEST, parseSignatureManifest, signatureLayer, signatureTag,
  type FoundSignature, type SignatureEntry, type SignatureLayer,
} from '../signature/index.ts';
import { hasCode, RegistryError, SigningError } from '../shared/errors.ts';

const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
import type { RegistryPort, Repository } from './registry-port.ts';

/** Largest signature payload we read (cosign payloads are a few hundred bytes). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** How often an append is retried when a concurrent writer replaced the `.sig` manifest under us. */
const APPEND_ATTEMPTS = 5;

/** What the registry holds for a digest: nothing, an unusable `.sig` manifest, or its signatures. */
export type StoredSignatures =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | {
    readonly kind: 'found';
    /** The digest of the `.sig` manifest itself (what a delete names). */
    readonly manifestDigest: string;
    readonly layers: readonly SignatureLayer[];
    readonly signatures: readonly FoundSignature[];
  };

async function readLayers(registry: RegistryPort, repo: Repository, digest: string, signal?: AbortSignal) {
  try {
    // Docker's manifest type is accepted too, so that a wrong-typed .sig is refused with a clear reason rather than
    // down-converted by the registry to schema 1.
    const m = await registry.getManifest(repo, signatureTag(digest), [OCI_MANIFEST, DOCKER_MANIFEST_V2], { ...(signal && { signal }) });
    return { manifest: m, parsed: parseSignatureManifest(m.bytes, m.mediaType) };
  } catch (err) {
    if (hasCode(err, 'REGISTRY_NOT_FOUND')) return undefined;
    if (hasCode(err, 'REGISTRY_INVALID_RESPONSE')) return { parsed: { error: (err as Error).message } };
    throw err;
  }
}

/** Reads the signatures stored for `digest` in `repo` (tag sha256-<hex>.sig), fetching each payload blob, digest-checked. */
export async function readSignatures(registry: RegistryPort, repo: Repository, digest: string, signal?: AbortSignal): Promise<StoredSignatures> {
  const read = await readLayers(registry, repo, digest, signal);
  if (!read) return { kind: 'none' };
  if ('error' in read.parsed) return { kind: 'invalid', reason: read.parsed.error };
  const layers = read.parsed.layers;
  const signatures = await Promise.all(layers.map(async (l): Promise<FoundSignature> => {
    if (l.size > MAX_PAYLOAD_BYTES) return { layerDigest: l.digest, payload: undefined, signature: l.signature, unreadable: `payload of ${l.size} bytes is over ${MAX_PAYLOAD_BYTES}` };
    try {
      const payload = await registry.getBlob(repo, l.digest, MAX_PAYLOAD_BYTES, { ...(signal && { signal }) });
      return { layerDigest: l.digest, payload, signature: l.signature };
    } catch (err) {
      if (!(err instanceof RegistryError)) throw err;
      return { layerDigest: l.digest, payload: undefined, signature: l.signature, unreadable: err.message };
    }
  }));
  return { kind: 'found', manifestDigest: read.manifest!.digest, layers, signatures };
}

/**
 * Adds a signature to the `.sig` manifest of `digest`, keeping the ones already there: read, skip if identical,
 * upload the payload and the new config, write the manifest, then re-read to make sure no concurrent writer
 * replaced it (cosign#2432); retried a few times. Returns whether it was added or already present.
 */
export async function appendSignature(registry: RegistryPort, repo: Repository, digest: string, entry: SignatureEntry, signal?: AbortSignal): Promise<'added' | 'present'> {
  const { layer, blob } = signatureLayer(entry);
  const same = (l: SignatureLayer) => l.digest === layer.digest && l.signature === layer.signature;
  const opts = { ...(signal && { signal }) };
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
    const read = await readLayers(registry, repo, digest, signal);
    const existing = read && 'layers' in read.parsed ? read.parsed.layers : [];
    if (existing.some(same)) return attempt === 1 ? 'present' : 'added';
    const image = buildSignatureImage([...existing, layer]);
    await registry.uploadBlob(repo, blob, layer.digest, opts);
    await registry.uploadBlob(repo, image.config.bytes, image.config.digest, opts);
    await registry.putManifest(repo, signatureTag(digest), image.manifest, OCI_MANIFEST, opts);
    const check = await readLayers(registry, repo, digest, signal);
    if (check && 'layers' in check.parsed && check.parsed.layers.some(same)) return 'added';
  }
  throw new SigningError(`could not store the signature for ${digest}: the signature manifest kept changing under concurrent writers`);
}
