/** The proxy's server adapter: the listening socket and relays (proxy-server.ts, relay.ts) and the engine behind it (upstream.ts). */
export type { Gate, GateDecision, GateRequest } from './gate.ts';
export { startProxy, STATUS_PATH, type ProxyOptions, type RunningProxy } from './proxy-server.ts';
export { proxyStatus } from './status-client.ts';
export { upstreamFor, type Upstream } from './upstream.ts';
