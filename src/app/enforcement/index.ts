/**
 * Trust enforcement on the engine's path (issue #11): the gate the Engine API proxy asks about every request
 * (gate.ts), composing pulls (pull-check.ts), creates, starts and services (run-check.ts over image-check.ts), the
 * verdict cache (verdict-cache.ts) and the trust version it is kept under (trust-version.ts).
 */
export { proxyGate, type EnforcementMode, type GateCounters, type ProxyGate } from './gate.ts';
export { serveProxy, type ProxyRequest, type ServingProxy } from './serve.ts';
export { enforceOff, enforceOn, enforceStatus, type EnforceOnRequest, type EnforceReport } from './enforce.ts';
export { UNIT_NAME as SERVICE_UNIT, type ServiceKind } from './launch.ts';
export type { EnforceState } from './enforce-state.ts';
