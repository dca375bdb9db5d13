/**
 * The Engine API proxy adapter (issue #11, in progress): so far its pure request classifier (classify/), which
 * reads each request's endpoint, query and body as dockerd does.
 */
export * from './classify/index.ts';
