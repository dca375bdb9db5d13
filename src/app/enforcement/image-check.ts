/**
 * Whether a local image may run (issue #11: containers/create, image mounts, start): the image as the engine
 * resolves the name given, checked by what it is, never by what its tag says.
 * - By tag: allowed when a `name@digest` the image was pulled by is verified (remembered, or the tag verified now
 *   and that digest is the local image's); it then runs as `name@digest`, so a retag between the check and the
 *   create cannot swap it. The tag verified but the local image is another one: 404 to the docker CLI, which pulls
 *   (through the proxy, verified) and creates again; a 403 to clients that do not.
 * - By digest: the digest verified for its repository.
 * - By id: one of the `name@digest`s it was pulled by is verified.
 * - Repositories whose rules are all mode off are not checked; images with no registry digest (built, loaded,
 *   committed, imported here) run only when the policy says `engine.localImages: allow`.
 * Not on this host: the daemon's own 404, which the docker CLI answers with a pull.
 */
import { familiarName, parseReference, repositoryName, withDefaultTag, type Reference } from '../../reference/index.ts';
import type { LocalImage } from '../../engine/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';
import { engineChoice, isVerified, unchecked, verify, type Enforcement } from './context.ts';

/** The image to run in place of the one asked for (`name@digest`, or the image id), and what was decided. */
export interface ImageVerdict {
  readonly pin: string;
  readonly note: string;
}

/** An image id or id prefix as the daemon accepts one (moby/moby daemon/images GetImage: a digest, else a prefix). */
const ID = /^(?:sha256:)?([0-9a-f]{1,64})$/;

/** At most this many registry digests of one image are verified in turn. */
const MAX_DIGESTS = 4;

const notLocal = (given: string) => new ApiRequestError(`No such image: ${given}`, { status: 404 });

/** A `repository@digest` an image was pulled by. */
interface Pulled {
  readonly repository: string;
  readonly digest: string;
  readonly ref: Reference;
}

/** The `repository@digest` pairs an image was pulled by. */
function pulledBy(image: LocalImage): Pulled[] {
  const out: Pulled[] = [];
  for (const rd of image.repoDigests) {
    try {
      const ref = parseReference(rd);
      if (ref.digest !== undefined) out.push({ repository: repositoryName(ref), digest: ref.digest, ref });
    } catch {
      // not a name we can verify: it counts for nothing
    }
  }
  return out;
}

/**
 * Allowed by the policy without a signature: an unchecked repository among `repositories` (run as asked, or by id
 * when `byId`), or a local image the policy lets run (run by id, so that a retag cannot put a pulled, unsigned
 * image in its place).
 */
function exemption(ctx: Enforcement, image: LocalImage, given: string, repositories: readonly string[], byId: boolean): ImageVerdict | undefined {
  const off = repositories.find((r) => unchecked(ctx.policy, r));
  if (off !== undefined) return { pin: byId ? image.id : given, note: `${given}: ${off} is not checked by the trust policy` };
  if (image.repoDigests.length === 0 && engineChoice(ctx.policy, 'localImages') === 'allow') {
    return { pin: image.id, note: `${given} (${image.id}): a local image, allowed by engine.localImages` };
  }
  return undefined;
}

/**
 * The digests `image` was really pulled by (in `repository`, when given): those whose `name@digest` the engine
 * resolves to this very image. RepoDigests alone prove nothing — on the containerd image store they come from
 * image names, and `docker load` can name any content `repo@<a signed digest>` (moby/moby daemon/containerd
 * image_inspect.go) — while a lookup by digest is resolved by content.
 */
async function confirmedPulls(ctx: Enforcement, image: LocalImage, repository: string | undefined): Promise<Pulled[]> {
  const engine = await ctx.session.engine();
  const candidates = pulledBy(image)
    .filter((p) => repository === undefined || p.repository === repository)
    .slice(0, MAX_DIGESTS);
  const found = await Promise.all(candidates.map(async (p) => (await engine.image(`${familiarName(p.ref)}@${p.digest}`))?.id === image.id));
  return candidates.filter((_, i) => found[i]);
}

const localRefusal = (given: string) =>
  new ApiRequestError(
    `${given} is a local image (built, loaded, committed or imported on this host) with no signed registry digest: push and sign it, or allow local images with "engine": {"localImages": "allow"} in the trust policy`,
    { status: 403 },
  );

/**
 * The first of `pulled` that is verified (remembered, else verified now by digest, an index for the image's own
 * platform); the last refusal when none is.
 */
async function verifiedOf(ctx: Enforcement, image: LocalImage, pulled: readonly Pulled[]): Promise<Pulled & { remembered: boolean }> {
  const known = pulled.find((p) => isVerified(ctx, p.repository, p.digest, image.platform));
  if (known) return { ...known, remembered: true };
  let last: unknown;
  for (const p of pulled.slice(0, MAX_DIGESTS)) {
    try {
      await verify(ctx, p.ref, image.platform);
      return { ...p, remembered: false };
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

const noteOf = (given: string, p: Pulled & { remembered: boolean }) =>
  `${given}${given.endsWith(p.digest) ? '' : ` as ${p.repository}@${p.digest}`}${p.remembered ? ' (remembered)' : ''}`;

/**
 * The verdict on an image that exists by id (a container's, at start; a create by id), asked for as `given`:
 * when that is a name, a digest it was pulled by in that repository verified; otherwise any digest it was pulled by.
 */
export async function checkImageById(ctx: Enforcement, image: LocalImage, given: string): Promise<ImageVerdict> {
  let repository: string | undefined;
  if (!ID.exec(given)) {
    try {
      repository = repositoryName(parseReference(given));
    } catch {
      // not a name: judged by id alone
    }
  }
  const pulled = await confirmedPulls(ctx, image, repository);
  const exempt = exemption(ctx, image, given, repository === undefined ? pulled.map((p) => p.repository) : [repository], true);
  if (exempt !== undefined) return exempt;
  if (pulled.length === 0) throw localRefusal(given);
  return { pin: image.id, note: noteOf(given, await verifiedOf(ctx, image, pulled)) };
}

/** The verdict on running `given` (as a create body names it), with `image` what the engine resolves it to. */
export async function checkLocalImage(ctx: Enforcement, given: string, image: LocalImage | undefined, dockerCli: boolean): Promise<ImageVerdict> {
  if (!image) throw notLocal(given);
  const id = ID.exec(given);
  if (id && image.id.startsWith(`sha256:${id[1]}`)) return checkImageById(ctx, image, given);
  const ref = parseReference(given);
  const repository = repositoryName(ref);
  const exempt = exemption(ctx, image, given, [repository], false);
  if (exempt !== undefined) return exempt;
  // Pinned as name@digest below, which the engine resolves by content: no need to confirm these.
  const pulled = pulledBy(image).filter((p) => p.repository === repository);
  if (ref.digest !== undefined) {
    if (!isVerified(ctx, repository, ref.digest, image.platform)) await verify(ctx, { domain: ref.domain, path: ref.path, digest: ref.digest }, image.platform);
    return { pin: given, note: `${given}` };
  }
  const known = pulled.find((p) => isVerified(ctx, repository, p.digest, image.platform));
  const pinned = (digest: string) => `${familiarName(ref)}@${digest}`;
  if (known) return { pin: pinned(known.digest), note: `${given} as ${pinned(known.digest)} (remembered)` };
  // Never pulled from this repository (built here, or tagged over): only the docker CLI, which pulls on a 404, is
  // sent for the signed image, and only when the tag has one; anyone else is told what the image is.
  if (pulled.length === 0 && !dockerCli) throw localRefusal(given);
  let verified: { digest: string; resolved: string };
  try {
    verified = await verify(ctx, withDefaultTag(ref), image.platform);
  } catch (err) {
    throw pulled.length === 0 ? localRefusal(given) : err;
  }
  const { digest } = verified;
  // Pulled by the platform manifest's digest, or by the index that holds it (as the daemon records a pull of one).
  const match = pulled.find((p) => p.digest === verified.digest || p.digest === verified.resolved);
  if (match) return { pin: pinned(match.digest), note: `${given} as ${pinned(match.digest)}` };
  const why = `the local ${given} is not ${pinned(digest)}, the signed image of that tag`;
  if (dockerCli) throw new ApiRequestError(`No such image: ${given} (${why})`, { status: 404 });
  throw new ApiRequestError(`${why}: pull it first`, { status: 403 });
}
