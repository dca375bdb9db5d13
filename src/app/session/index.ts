/**
 * What every use case runs in: the session (registry clients, keychain, engine, key store and policy, from the injected
 * environment), the network settings, the daemon's insecure-registry decision, passphrases, and the ports the use
 * cases see the key store and registries through.
 */
export type { KeyInfo } from './keys-port.ts';
export { notaryPassphrase, passphraseFor } from './passphrase.ts';
export type { RegistryPort, Repository } from './registry-port.ts';
export { type Environment, lockOptions, openSession, type Session } from './session.ts';
