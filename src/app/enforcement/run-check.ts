/**
 * What may run (issue #11): `POST /containers/create` (docker run and create, compose, every API client) runs only
 * verified images, and runs them pinned (image-check.ts) — the body forwarded is the client's, but for the image
 * and image-mount names replaced by their pins; `POST /containers/{id}/start` and `/restart` check the image the
 * container was created from (containers made before enforcement, or behind the proxy's back);
 * `POST /services/create` and `/services/{id}/update` verify the service's image and pin it as `name:tag@digest`,
 * as `docker service create` does, since swarm pulls it inside the daemon.
 */
import { containerCreateImages, pinImages, serviceImage, singleValue, type ApiRoute, type BodyImage, type GateDecision } from '../../proxy/index.ts';
import { familiarName, parseReference, repositoryName } from '../../reference/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';
import { unchecked, verify, type Enforcement } from './context.ts';
import { checkImageById, checkLocalImage } from './image-check.ts';

/** The request body, which the proxy reads for these endpoints. */
function bodyOf(body: Uint8Array | undefined): Uint8Array {
  if (body === undefined) throw new ApiRequestError('the request body is empty');
  return body;
}

/** Whether platform `a` (os/arch[/variant]) is `b`; a variant only one of them names does not tell them apart. */
function samePlatform(a: string, b: string): boolean {
  const [ao, aa, av] = a.toLowerCase().split('/');
  const [bo, ba, bv] = b.toLowerCase().split('/');
  return ao === bo && aa === ba && (av === undefined || bv === undefined || av === bv);
}

/**
 * A container create: every image it names checked, then the body with each pinned. A create that asks for a
 * platform (`?platform=`, API 1.41) runs only an image of that platform: an index pin would otherwise let the
 * daemon take another platform's manifest than the one verified.
 */
export async function checkContainerCreate(ctx: Enforcement, route: ApiRoute, body: Uint8Array | undefined, dockerCli: boolean): Promise<GateDecision> {
  const bytes = bodyOf(body);
  const { image, imageMounts } = containerCreateImages(bytes);
  if (image === undefined || image.value === '') throw new ApiRequestError('the container create names no image', { status: 400 });
  const asked = singleValue(route.query, 'platform');
  const engine = await ctx.session.engine();
  const pins: [BodyImage, string][] = [];
  const notes: string[] = [];
  for (const [at, retry] of [[image, dockerCli], ...imageMounts.map((m) => [m, false] as const)] as const) {
    const local = await engine.image(at.value);
    if (asked && local && (local.platform === undefined || !samePlatform(asked, local.platform))) {
      throw new ApiRequestError(`the local ${at.value} is for ${local.platform ?? 'an unknown platform'}, not ${asked}: pull it for ${asked} first`, {
        status: 403,
      });
    }
    const verdict = await checkLocalImage(ctx, at.value, local, retry);
    notes.push(verdict.note);
    if (verdict.pin !== at.value) pins.push([at, verdict.pin]);
  }
  return { kind: 'forward', body: pins.length ? pinImages(bytes, pins) : bytes, note: `create ${notes.join(', ')}` };
}

/**
 * A container start or restart: the image it was created from, checked by id; forwarded for the container's full
 * id, so that a rename between the check and the start cannot put another container under the name checked.
 */
export async function checkContainerStart(ctx: Enforcement, route: ApiRoute): Promise<GateDecision> {
  const container = route.target ?? '';
  const engine = await ctx.session.engine();
  const runs = await engine.containerImage(container);
  if (runs === undefined) throw new ApiRequestError(`No such container: ${container}`, { status: 404 });
  const image = await engine.image(runs.id);
  if (!image) throw new ApiRequestError(`the image of container ${container} (${runs.id}) is gone: it cannot be checked`, { status: 403 });
  try {
    const verdict = await checkImageById(ctx, image, runs.asked);
    const path = `${route.version === undefined ? '' : `/v${route.version}`}/containers/${runs.container}/${route.endpoint === 'containers-start' ? 'start' : 'restart'}${route.rawQuery ? `?${route.rawQuery}` : ''}`;
    return { kind: 'forward', path, note: `start ${container}: ${verdict.note}` };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ApiRequestError(`container ${container} runs ${runs.asked}, which is not trusted: ${why}`, { status: 403, cause: err });
  }
}

/** A service create or update: its image verified and pinned `name:tag@digest`. */
export async function checkService(ctx: Enforcement, body: Uint8Array | undefined): Promise<GateDecision> {
  const bytes = bodyOf(body);
  const image = serviceImage(bytes);
  if (image === undefined) return { kind: 'forward', body: bytes }; // an update that keeps the image the service has
  const ref = parseReference(image.value);
  const repository = repositoryName(ref);
  if (unchecked(ctx.policy, repository)) return { kind: 'forward', body: bytes, note: `service ${image.value}: not checked by the trust policy` };
  const { digest } = await verify(
    ctx,
    ref.digest === undefined ? { ...ref, tag: ref.tag ?? 'latest' } : { domain: ref.domain, path: ref.path, digest: ref.digest },
  );
  const pin = `${familiarName(ref)}${ref.tag === undefined ? '' : `:${ref.tag}`}@${digest}`;
  return { kind: 'forward', body: pinImages(bytes, [[image, pin]]), note: `service ${image.value} as ${pin}` };
}
