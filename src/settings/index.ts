/**
 * The environment, read once: the catalog of every variable trustext honours (variables.ts, with the line that
 * describes each) and readSettings, which turns the injected environment into typed Settings. Pure.
 */
export { contentTrustEnabled } from './content-trust.ts';
export { readSettings, type EnvRecord, type HostFacts } from './read-settings.ts';
export type { DockerEnvironment, HttpEnvironment, Passphrases, ProxyEnvironment, Settings } from './settings.ts';
export * from './variables.ts';
