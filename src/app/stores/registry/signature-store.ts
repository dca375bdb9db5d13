import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildSignatureImage,
  MAX_SIGNATURES,
  parseSignatureManifest,
  signatureLayer,
  signatureTag,
  type FoundSignature,
  type SignatureEntry,
  type SignatureLayer,
} from '../../../signature/index.ts';
import { hasCode, RegistryError, SigningError } from '../../../shared/errors.ts';
import { DOCKER_MANIFEST_V2, OCI_MANIFEST } from '../../../manifest/index.ts';
import type { RegistryPort, Repository } from '../../session/index.ts';

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
      /** Layers that are not cosign signatures (other tools' attachments): a rewrite would drop them. */
      readonly skipped: number;
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
  const signatures = await Promise.all(
    layers.map(async (l): Promise<FoundSignature> => {
      if (l.size > MAX_PAYLOAD_BYTES)
        return { layerDigest: l.digest, payload: undefined, signature: l.signature, unreadable: `payload of ${l.size} bytes is over ${MAX_PAYLOAD_BYTES}` };
      try {
        const payload = await registry.getBlob(repo, l.digest, MAX_PAYLOAD_BYTES, { ...(signal && { signal }) });
        return { layerDigest: l.digest, payload, signature: l.signature };
      } catch (err) {
        if (!(err instanceof RegistryError)) throw err;
        return { layerDigest: l.digest, payload: undefined, signature: l.signature, unreadable: err.message };
      }
    }),
  );
  return { kind: 'found', manifestDigest: read.manifest!.digest, layers, skipped: read.parsed.skipped, signatures };
}

/** How appendSignature guards and checks its read-merge-write. */
export interface AppendOptions {
  readonly signal?: AbortSignal;
  /** Serialises the read-merge-write with this host's other writers of the same `.sig` (see sign.ts). */
  readonly lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Replace a `.sig` manifest that cannot be read or merged (its signatures are lost); refused otherwise. */
  readonly force?: boolean;
  /** Names the signature in messages, e.g. `key "default" (1a2b3c4d5e6f)`. */
  readonly label?: string;
  /** Overrides the pause before the second check (tests); default: 1.5 × our own read-to-write time, 25 ms–2 s, jittered. */
  readonly recheckMs?: number;
}

type MergeOutcome = 'present' | 'written' | 'lost';

/**
 * Adds a signature to the `.sig` manifest of `digest`, keeping the ones already there (cosign#2432 is what happens
 * otherwise). On this host the read-merge-write runs under `opts.lock`, so concurrent signers cannot lose each
 * other's signatures. Across hosts nothing can serialise it, so after writing it checks at once and again after a
 * short jittered pause, and merges its signature back in if a writer that read before us overwrote it, up to
 * APPEND_ATTEMPTS times; still missing then, it fails naming the lost signature. A `.sig` that cannot be read
 * or merged without dropping what it holds is never replaced unless `opts.force`. Returns 'present' when the
 * signature was already stored.
 */
export async function appendSignature(
  registry: RegistryPort,
  repo: Repository,
  digest: string,
  entry: SignatureEntry,
  opts: AppendOptions = {},
): Promise<'added' | 'present'> {
  const { layer, blob } = signatureLayer(entry);
  const same = (l: SignatureLayer) => l.digest === layer.digest && l.signature === layer.signature;
  const lock = opts.lock ?? (<T>(fn: () => Promise<T>) => fn());
  const has = async () => {
    const read = await readLayers(registry, repo, digest, opts.signal);
    return read !== undefined && 'layers' in read.parsed && read.parsed.layers.some(same);
  };
  const ropts = { ...(opts.signal && { signal: opts.signal }) };
  // How long our own read-to-write took: a writer elsewhere that read just before our write needs about as long.
  let window = 0;
  const merge = async (): Promise<MergeOutcome> => {
    const started = Date.now();
    const read = await readLayers(registry, repo, digest, opts.signal);
    const existing = read ? mergeable(read.parsed, digest, opts.force === true) : [];
    if (existing.some(same)) return 'present';
    const image = buildSignatureImage([...existing, layer]);
    await registry.uploadBlob(repo, image.config.bytes, image.config.digest, ropts);
    await registry.putManifest(repo, signatureTag(digest), image.manifest, OCI_MANIFEST, ropts);
    window = Date.now() - started;
    return (await has()) ? 'written' : 'lost';
  };
  // The payload blob goes up first, so that between reading the .sig and writing it only the config blob does.
  await registry.uploadBlob(repo, blob, layer.digest, ropts);
  for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
    const outcome = await lock(merge);
    if (outcome === 'present' && attempt === 1) return 'present';
    if (outcome === 'lost') continue;
    await sleep(recheckDelay(opts.recheckMs ?? 1.5 * window), undefined, opts.signal ? { signal: opts.signal } : {});
    if (await has()) return 'added';
  }
  throw new SigningError(
    `the signature ${opts.label ? `by ${opts.label} ` : ''}for ${digest} was overwritten by concurrent writers ${APPEND_ATTEMPTS} times and is NOT stored: sign again`,
  );
}

/** The layers a new signature can be merged with; a `.sig` that would lose something in the merge is refused unless forced. */
function mergeable(parsed: { layers: SignatureLayer[]; skipped: number } | { error: string }, digest: string, force: boolean): readonly SignatureLayer[] {
  const problem =
    'error' in parsed
      ? parsed.error
      : parsed.skipped > 0
        ? `it holds ${parsed.skipped} layer(s) that are not cosign signatures`
        : parsed.layers.length >= MAX_SIGNATURES
          ? `it already holds ${parsed.layers.length} signatures, the most a .sig may hold`
          : undefined;
  if (problem === undefined) return 'layers' in parsed ? parsed.layers : [];
  if (force) return [];
  throw new SigningError(
    `refusing to replace ${signatureTag(digest)}: ${problem}; rewriting it would drop the signatures it holds (use --force to replace it)`,
  );
}

/** The pause before the second check: `base` clamped to 25 ms–2 s, times a random 0.75–1.25. */
function recheckDelay(base: number): number {
  return Math.min(2000, Math.max(25, base)) * (0.75 + Math.random() / 2);
}
