/**
 * The images a create request asks the daemon to run, read from its JSON body as the daemon decodes it
 * (moby/moby daemon/server/httputils ReadJSON: one JSON value, nothing after it) into container.CreateRequest
 * (Config's `Image`, HostConfig's `Mounts` of type `image`) or swarm.ServiceSpec
 * (`TaskTemplate.ContainerSpec.Image`). Bodies over MAX_BODY_BYTES, invalid UTF-8 (Go would read U+FFFD where we
 * could read otherwise), duplicate keys anywhere and case variants of the fields read are refused. Pure.
 */
import { parseJsonTree, type JsonNode } from '../../encoding/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';
import { goFields, goString } from './go-json-fields.ts';

/** The largest create body the proxy reads (the daemon's authorization plugins are held to the same 4 MiB). */
export const MAX_BODY_BYTES = 4 << 20;

/** encoding/json's nesting limit (decode.go maxNestingDepth). */
const MAX_DEPTH = 10_000;

/** The body as one JSON value, or a refusal. */
function readBody(body: Uint8Array): JsonNode {
  if (body.byteLength > MAX_BODY_BYTES) throw new ApiRequestError(`the request body is over ${MAX_BODY_BYTES >> 20} MiB`, { status: 413 });
  if (body.byteLength === 0) throw new ApiRequestError('the request body is empty');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch (err) {
    throw new ApiRequestError('the request body is not valid UTF-8', { cause: err });
  }
  const tree = parseJsonTree(text, { maxDepth: MAX_DEPTH });
  if ('problem' in tree) throw new ApiRequestError(`the request body is refused: ${tree.problem.message}`);
  return tree.node;
}

/** What a container create would run: the image, and the sources of image mounts. */
export interface ContainerImages {
  readonly image: string | undefined;
  readonly imageMounts: readonly string[];
}

/** The images of a `POST /containers/create` body. */
export function containerCreateImages(body: Uint8Array): ContainerImages {
  const top = goFields(readBody(body), '', ['Image', 'HostConfig']);
  const image = goString(top.get('Image'), 'Image');
  const host = top.get('HostConfig');
  if (host === undefined || host.kind === 'null') return { image, imageMounts: [] };
  const mounts = goFields(host, 'HostConfig', ['Mounts']).get('Mounts');
  if (mounts === undefined || mounts.kind === 'null') return { image, imageMounts: [] };
  if (mounts.kind !== 'array') throw new ApiRequestError('HostConfig.Mounts must be an array');
  const imageMounts: string[] = [];
  for (const [i, m] of mounts.items.entries()) {
    const at = `HostConfig.Mounts[${i}]`;
    const fields = goFields(m, at, ['Type', 'Source']);
    if (goString(fields.get('Type'), `${at}.Type`) === 'image') imageMounts.push(goString(fields.get('Source'), `${at}.Source`) ?? '');
  }
  return { image, imageMounts };
}

/** The image of a `POST /services/create` or `/services/{id}/update` body (TaskTemplate.ContainerSpec.Image). */
export function serviceImage(body: Uint8Array): string | undefined {
  const task = goFields(readBody(body), '', ['TaskTemplate']).get('TaskTemplate');
  if (task === undefined || task.kind === 'null') return undefined;
  const spec = goFields(task, 'TaskTemplate', ['ContainerSpec']).get('ContainerSpec');
  if (spec === undefined || spec.kind === 'null') return undefined;
  return goString(goFields(spec, 'TaskTemplate.ContainerSpec', ['Image']).get('Image'), 'TaskTemplate.ContainerSpec.Image');
}
