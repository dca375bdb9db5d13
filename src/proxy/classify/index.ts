/**
 * The Engine API proxy's request classifier, pure: which endpoint a request reaches (routes.ts over
 * request-target.ts and go-query.ts, read as dockerd reads them), what an image create pulls (image-create.ts),
 * and which images a container or service create runs (request-body.ts over go-json-fields.ts). Anything that the
 * daemon could read differently is an ApiRequestError, never a guess.
 */
export { goFields, goFoldName, goString } from './go-json-fields.ts';
export { parseGoQuery, singleValue, type QueryValues } from './go-query.ts';
export { imageCreateRequest, type ImageCreate } from './image-create.ts';
export { containerCreateImages, MAX_BODY_BYTES, pinImages, serviceImage, type BodyImage, type ContainerImages } from './request-body.ts';
export { cleanPath, parseRequestTarget, type RequestTarget } from './request-target.ts';
export { classifyRequest, HIJACKING, type ApiRoute, type Endpoint } from './routes.ts';
