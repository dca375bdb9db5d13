/**
 * Which Engine API endpoint a request reaches, matched as the daemon's router matches it: every route both with
 * and without the `/v{version:[0-9.]+}` prefix (moby/moby daemon/server/server.go CreateMux, versionMatcher), on
 * the decoded, clean path (request-target.ts), `{name:.*}` variables as Go regexps (`.` never matching the control
 * characters parseRequestTarget refuses). Only the endpoints trust enforcement looks at, or must treat specially,
 * are named; everything else is `other`, forwarded untouched. Pure.
 */
import { parseGoQuery, type QueryValues } from './go-query.ts';
import { parseRequestTarget } from './request-target.ts';

/** The endpoints the proxy tells apart. */
export type Endpoint =
  | 'images-create'
  | 'containers-create'
  | 'containers-start'
  | 'containers-restart'
  | 'services-create'
  | 'services-update'
  | 'build'
  | 'grpc'
  | 'session'
  | 'containers-attach'
  | 'containers-attach-ws'
  | 'exec-start'
  | 'download'
  | 'plugins-install'
  | 'swarm-join'
  | 'other';

/** A classified request: the endpoint, the path's variable (container or service name), the API version given, the query. */
export interface ApiRoute {
  readonly endpoint: Endpoint;
  /** The `{name}` / `{id}` of the path, for the container and service endpoints. */
  readonly target?: string;
  /** The `/vX.Y` prefix's version, when the path has one. */
  readonly version?: string;
  readonly path: string;
  readonly query: QueryValues;
  /** The query as it came (read clean by parseGoQuery), to forward unchanged. */
  readonly rawQuery: string;
}

/** [method, path pattern (after the version prefix), endpoint], with moby's route paths (daemon/server/router/*). */
const ROUTES: readonly [string, RegExp, Endpoint][] = [
  ['POST', /^\/images\/create$/, 'images-create'],
  ['POST', /^\/containers\/create$/, 'containers-create'],
  ['POST', /^\/containers\/(.*)\/start$/, 'containers-start'],
  ['POST', /^\/containers\/(.*)\/restart$/, 'containers-restart'],
  ['POST', /^\/containers\/(.*)\/attach$/, 'containers-attach'],
  ['GET', /^\/containers\/(.*)\/attach\/ws$/, 'containers-attach-ws'],
  ['POST', /^\/exec\/(.*)\/start$/, 'exec-start'],
  ['POST', /^\/services\/create$/, 'services-create'],
  ['POST', /^\/services\/(.*)\/update$/, 'services-update'],
  ['POST', /^\/build$/, 'build'],
  ['POST', /^\/grpc$/, 'grpc'],
  ['POST', /^\/session$/, 'session'],
  ['GET', /^\/images\/get$/, 'download'],
  ['GET', /^\/images\/(.*)\/get$/, 'download'],
  ['GET', /^\/containers\/(.*)\/export$/, 'download'],
  ['GET', /^\/containers\/(.*)\/archive$/, 'download'],
  ['POST', /^\/plugins\/pull$/, 'plugins-install'],
  ['POST', /^\/plugins\/create$/, 'plugins-install'],
  ['POST', /^\/plugins\/(.*)\/upgrade$/, 'plugins-install'],
  ['POST', /^\/plugins\/(.*)\/enable$/, 'plugins-install'],
  ['POST', /^\/swarm\/join$/, 'swarm-join'],
];

/**
 * The endpoints whose handlers hijack the connection (moby/moby daemon/server/router/container container_routes.go
 * postContainersAttach, wsContainersAttach; exec.go postContainerExecStart; router/grpc and router/session): the
 * only ones an upgrade request may reach.
 */
export const HIJACKING: ReadonlySet<Endpoint> = new Set(['containers-attach', 'containers-attach-ws', 'exec-start', 'grpc', 'session']);

const VERSION = /^\/v([0-9.]+)(\/.*)$/;

/**
 * Classifies one request by method and raw target. Throws ApiRequestError (400) for a target or query the daemon
 * could read differently from us (parseRequestTarget, parseGoQuery).
 */
export function classifyRequest(method: string, rawTarget: string): ApiRoute {
  const { path, rawQuery } = parseRequestTarget(rawTarget);
  const query = parseGoQuery(rawQuery);
  const versioned = VERSION.exec(path);
  // gorilla/mux tries routes in the order registered, the versioned form of each first; a path that matches a
  // versioned route never also matches an unversioned one, since no route path starts with /v<digits>.
  const candidates: { rest: string; version?: string }[] = versioned ? [{ rest: versioned[2]!, version: versioned[1]! }, { rest: path }] : [{ rest: path }];
  for (const { rest, version } of candidates) {
    for (const [m, pattern, endpoint] of ROUTES) {
      const match = m === method ? pattern.exec(rest) : null;
      if (!match) continue;
      return { endpoint, ...(match[1] !== undefined && { target: match[1] }), ...(version !== undefined && { version }), path, query, rawQuery };
    }
  }
  return { endpoint: 'other', ...(versioned && { version: versioned[1]! }), path, query, rawQuery };
}
