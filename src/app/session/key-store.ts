import { FileKeyStore, publicKeyFromPem, verifyCosignSignature, type KeyStore } from '../../keys/index.ts';
import type { VerifyingKey } from '../../signature/index.ts';
import type { KeyStorePort, RepositoryKey } from './keys-port.ts';

/**
 * The use cases' view of the key store: src/keys' FileKeyStore, with trusted keys turned into verifiers for the
 * pure signature judgement (each carries its own verify function).
 */
export function keyStorePort(dir: string, store: KeyStore = new FileKeyStore(dir)): KeyStorePort {
  return {
    has: (name) => store.has(name),
    get: (name) => store.get(name),
    create: (name, passphrase, opts) => store.create(name, passphrase, { scopes: opts.scopes }),
    createOrOpenSigning: (name, passphrase, opts) => store.createOrOpenSigning(name, passphrase, { scopes: opts.scopes }),
    signer: (name, passphrase) => store.signer(name, passphrase),
    isTrustedFor: async (name, repository) => (await store.trustedFor(repository)).some((t) => t.entry.name === name),
    addScope: async (name, glob) => {
      await store.addScope(name, glob);
    },
    trustedKeys: async (repository): Promise<RepositoryKey[]> =>
      (await store.trustedFor(repository, { includeRevoked: true })).map((t) => ({
        id: t.entry.id,
        name: t.entry.name,
        ...(t.entry.revoked !== undefined && { revoked: true }),
        verify: (payload, signature) => verifyCosignSignature(t.publicKey, payload, signature),
      })),
    exportPublic: (name) => store.publicKeyPem(name),
    list: () => store.list(),
    revoke: (name) => store.revoke(name),
    rotate: (name, oldPassphrase, newPassphrase) => store.rotate(name, oldPassphrase, newPassphrase),
    loadPrivate: (name, pem, filePassphrase, storePassphrase, opts) => store.loadPrivate(name, pem, filePassphrase, storePassphrase, { scopes: opts.scopes }),
    exportCosign: (name, storePassphrase, exportPassphrase) => store.exportCosign(name, storePassphrase, exportPassphrase),
    recordSigned: async (name, event) => {
      await store.recordSigned(name, event);
    },
    signedBy: (name) => store.signedBy(name),
    ownKeys: async () => {
      const own = (await store.list()).filter((e) => e.private);
      return Promise.all(
        own.map(async (e): Promise<VerifyingKey> => {
          const pk = publicKeyFromPem(await store.publicKeyPem(e.name));
          return { id: e.id, name: e.name, verify: (payload, signature) => verifyCosignSignature(pk, payload, signature) };
        }),
      );
    },
    importPublic: (name, pem, opts) => store.importPublic(name, pem, { scopes: opts.scopes }),
  };
}
