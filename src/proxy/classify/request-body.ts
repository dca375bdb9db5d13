/**
 * The images a create request asks the daemon to run, read from its JSON body as the daemon decodes it
 * (moby/moby daemon/server/httputils ReadJSON: one JSON value, nothing after it) into container.CreateRequest
 * (Config's `Image`, HostConfig's `Mounts` of type `image`) or swarm.ServiceSpec
 * (`TaskTemplate.ContainerSpec.Image`). Bodies over MAX_BODY_BYTES, invalid UTF-8 (Go would read U+FFFD where we
 * could read otherwise), duplicate keys anywhere and case variants of the fields read are refused. Pure.
 */
import { parseJsonTree, type JsonNode } from '../../encoding/index.ts';
import { ApiRequestError } from '../../shared/errors.ts';
import { goFields } from './go-json-fields.ts';

/** The largest create body the proxy reads (the daemon's authorization plugins are held to the same 4 MiB). */
export const MAX_BODY_BYTES = 4 << 20;

/** encoding/json's nesting limit (decode.go maxNestingDepth). */
const MAX_DEPTH = 10_000;

/** A body's text, as Go reads its bytes; invalid UTF-8 refused. */
function bodyText(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch (err) {
    throw new ApiRequestError('the request body is not valid UTF-8', { cause: err });
  }
}

/** The body as one JSON value, or a refusal. */
function readBody(body: Uint8Array): JsonNode {
  if (body.byteLength > MAX_BODY_BYTES) throw new ApiRequestError(`the request body is over ${MAX_BODY_BYTES >> 20} MiB`, { status: 413 });
  if (body.byteLength === 0) throw new ApiRequestError('the request body is empty');
  const tree = parseJsonTree(bodyText(body), { maxDepth: MAX_DEPTH });
  if ('problem' in tree) throw new ApiRequestError(`the request body is refused: ${tree.problem.message}`);
  return tree.node;
}

/** An image named in a body: the name, and where its JSON string is in the body's text (to pin it in place). */
export interface BodyImage {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** What a container create would run: the image, and the sources of image mounts. */
export interface ContainerImages {
  readonly image: BodyImage | undefined;
  readonly imageMounts: readonly BodyImage[];
}

/** A string field's value and place; undefined when absent or null (Go leaves the field empty); anything else is refused. */
function imageAt(node: JsonNode | undefined, at: string): BodyImage | undefined {
  if (node === undefined || node.kind === 'null') return undefined;
  if (node.kind !== 'string') throw new ApiRequestError(`${at} must be a string`);
  return { value: node.value, start: node.start, end: node.end };
}

/**
 * `body` with each image given replaced by its pin (a JSON string in place of the old one); every other byte
 * is kept as it came, so the daemon reads the same request but for the images pinned.
 */
export function pinImages(body: Uint8Array, pins: readonly (readonly [BodyImage, string])[]): Uint8Array {
  let text = bodyText(body);
  for (const [at, pin] of [...pins].sort((a, b) => b[0].start - a[0].start)) text = text.slice(0, at.start) + JSON.stringify(pin) + text.slice(at.end);
  return new TextEncoder().encode(text);
}

/** The images of a `POST /containers/create` body. */
export function containerCreateImages(body: Uint8Array): ContainerImages {
  const top = goFields(readBody(body), '', ['Image', 'HostConfig']);
  const image = imageAt(top.get('Image'), 'Image');
  const host = top.get('HostConfig');
  if (host === undefined || host.kind === 'null') return { image, imageMounts: [] };
  const mounts = goFields(host, 'HostConfig', ['Mounts']).get('Mounts');
  if (mounts === undefined || mounts.kind === 'null') return { image, imageMounts: [] };
  if (mounts.kind !== 'array') throw new ApiRequestError('HostConfig.Mounts must be an array');
  const imageMounts: BodyImage[] = [];
  for (const [i, m] of mounts.items.entries()) {
    const at = `HostConfig.Mounts[${i}]`;
    const fields = goFields(m, at, ['Type', 'Source']);
    if (imageAt(fields.get('Type'), `${at}.Type`)?.value !== 'image') continue;
    const source = imageAt(fields.get('Source'), `${at}.Source`);
    if (!source) throw new ApiRequestError(`${at}.Source must name the image of an image mount`);
    imageMounts.push(source);
  }
  return { image, imageMounts };
}

/** The image of a `POST /services/create` or `/services/{id}/update` body (TaskTemplate.ContainerSpec.Image). */
export function serviceImage(body: Uint8Array): BodyImage | undefined {
  const task = goFields(readBody(body), '', ['TaskTemplate']).get('TaskTemplate');
  if (task === undefined || task.kind === 'null') return undefined;
  const fields = goFields(task, 'TaskTemplate', ['ContainerSpec', 'Runtime']);
  // The daemon runs the spec the runtime names (moby/moby daemon/cluster/convert service.go ServiceSpecToGRPC): a
  // plugin or attachment task would run something other than ContainerSpec.Image.
  const runtime = imageAt(fields.get('Runtime'), 'TaskTemplate.Runtime')?.value ?? '';
  if (runtime !== '' && runtime !== 'container')
    throw new ApiRequestError(`services of runtime ${JSON.stringify(runtime)} are refused: only container services can be verified`, { status: 403 });
  const spec = fields.get('ContainerSpec');
  if (spec === undefined || spec.kind === 'null') return undefined;
  return imageAt(goFields(spec, 'TaskTemplate.ContainerSpec', ['Image']).get('Image'), 'TaskTemplate.ContainerSpec.Image');
}
