/**
 * The Engine API proxy adapter (issue #11, in progress): its pure request classifier (classify/), which reads each
 * request's endpoint, query and body as dockerd does, and the server (server/) that forwards what it may to the
 * engine (streaming and hijacked connections; HTTP/2 turned away) after asking the gate app/ gives it.
 */
export * from './classify/index.ts';
export * from './server/index.ts';
