import type { KeyObject } from 'node:crypto';
import { fetchVerified, isVersionConflict, type MetadataFile, type NotaryContext } from '../../../notary/client/index.ts';
import {
  ecdsaMetadataSigner,
  ecdsaTufKey,
  emptyTargets,
  expiresAt,
  tufKeyId,
  ROOT_EXPIRY_MS,
  rootSigned,
  signMetadata,
  TARGETS_EXPIRY_MS,
  type MetadataSigner,
  type TufKey,
  type VerifiedRepository,
  loadRootCertificate,
} from '../../../notary/tuf/index.ts';
import type { Reference } from '../../../reference/index.ts';
import { hasCode, NotaryError, SigningError } from '../../../shared/errors.ts';
import {
  candidateKeyIds,
  dctKeyDir,
  ecdsaKeyObject,
  newEcdsaKey,
  rootKeyFor,
  signableRoles,
  storeDelegationKeys,
  unlockKeys,
  unlockStoreKeys,
} from './keys.ts';
import { notaryContext } from './trust.ts';
import { notaryPassphrase } from '../../session/index.ts';
import type { Session } from '../../session/index.ts';

/** What a Notary publish did: whether it initialized the repository, and which roles it signed. */
export interface NotaryPublishOutcome {
  readonly gun: string;
  readonly server: string;
  readonly initialized: boolean;
  readonly roles: readonly string[];
}

/** A change to a targets role's decoded `signed` value, given the new version and expiry (see build-metadata.ts). */
export type RoleEdit = (signed: unknown, version: number, expires: string) => Record<string, unknown>;

/** Keys unlocked before anything is pushed; publish() applies an edit to the repository's trust data afterwards. */
export interface NotaryPublisher {
  readonly gun: string;
  publish(edit: RoleEdit, signal?: AbortSignal): Promise<NotaryPublishOutcome>;
}

/** Which roles a publisher writes: every role we hold a key for (tags), or `targets` alone (delegations). */
export type PublishScope = 'signable' | 'targets';

/** How many times a publish is rebuilt after the server reports a VERSION conflict (someone published meanwhile). */
const ATTEMPTS = 3;

/**
 * Gets ready to publish to `ref`'s Notary repository as DCT does, before anything is pushed: a new repository gets
 * a root key (docker's, if there is one) and a new targets key; an existing one needs the key of `targets` or of a
 * direct delegation (docker's keys in trust/private, or trustext's own Ed25519 keys a `signer add` delegated to),
 * all decrypted now so a wrong passphrase pushes nothing. With scope `targets`, only the targets key will do;
 * with `initialize: false`, a repository without trust data is an error.
 */
export async function prepareNotaryPublish(
  session: Session,
  ref: Reference,
  opts: { scope?: PublishScope; initialize?: boolean; signal?: AbortSignal } = {},
): Promise<NotaryPublisher> {
  const ctx = notaryContext(session, ref);
  const dir = dctKeyDir(session);
  const current = await readCurrent(ctx, opts.signal);
  if (!current && opts.initialize === false) throw new NotaryError('TRUST_DATA_MISSING', `${ctx.gun} has no trust data on ${ctx.server.host}`);
  if (!current) {
    const root = await rootKeyFor(session, dir);
    const targets = newEcdsaKey();
    const passphrase = await notaryPassphrase(session.environment, 'repository', targets.id, true);
    return {
      gun: ctx.gun,
      publish: async (edit, signal) => {
        if (await readCurrent(ctx, signal)) throw new SigningError(`${ctx.gun} was initialized on ${ctx.server.host} by someone else meanwhile: sign again`);
        if (root.isNew) await dir.save(root.id, root.key, root.passphrase, { role: 'root' });
        await dir.save(targets.id, targets.key, passphrase, { role: 'targets', gun: ctx.gun });
        await initialize(ctx, ecdsaKeyObject(root.key), targets.object, edit, signal);
        return { gun: ctx.gun, server: ctx.server.origin, initialized: true, roles: ['targets'] };
      },
    };
  }
  const held = await dir.holding(candidateKeyIds(current));
  const ours = await storeDelegationKeys(session);
  const roles = inScope(
    signableRoles(current, (id) => held.has(id) || ours.has(id)),
    opts.scope,
  );
  if (roles.size === 0) throw noKey(ctx, dir.dir, opts.scope);
  const ids = [...new Set(roles.values())];
  const signers = new Map([
    ...(await unlockKeys(
      session,
      dir,
      ids.filter((id) => held.has(id)),
    )),
    ...(await unlockStoreKeys(session, new Map(ids.filter((id) => !held.has(id)).map((id) => [id, ours.get(id)!])))),
  ]);
  return {
    gun: ctx.gun,
    publish: async (edit, signal) => ({
      gun: ctx.gun,
      server: ctx.server.origin,
      initialized: false,
      roles: await update(ctx, signers, edit, opts.scope, signal),
    }),
  };
}

const inScope = (roles: Map<string, string>, scope: PublishScope = 'signable') =>
  scope === 'targets' ? new Map([...roles].filter(([r]) => r === 'targets')) : roles;

async function readCurrent(ctx: NotaryContext, signal?: AbortSignal): Promise<VerifiedRepository | undefined> {
  try {
    return await fetchVerified(ctx, signal);
  } catch (err) {
    if (hasCode(err, 'TRUST_DATA_MISSING')) return undefined;
    throw err;
  }
}

function noKey(ctx: NotaryContext, dir: string, scope: PublishScope = 'signable'): SigningError {
  if (scope === 'targets') return new SigningError(`no key to change the delegations of ${ctx.gun} on ${ctx.server.host}: its targets key is not in ${dir}`);
  return new SigningError(
    `no key to sign ${ctx.gun} on ${ctx.server.host}: neither its targets key nor a delegation key is in ${dir} or the key store (ask an owner to run 'docker trustext signer add' with your key, or sign in the registry only with --store registry)`,
  );
}

/** Root v1 and targets v1 (the edit applied to empty targets); snapshot and timestamp are the server's (keys fetched once each). */
async function initialize(ctx: NotaryContext, rootKey: KeyObject, targetsKey: KeyObject, edit: RoleEdit, signal?: AbortSignal): Promise<void> {
  const opts = signal ? { signal } : {};
  const [timestamp, snapshot] = await Promise.all([ctx.client.getKey(ctx.gun, 'timestamp', opts), ctx.client.getKey(ctx.gun, 'snapshot', opts)]);
  // Loaded on demand, only when a repository is initialized: the x509 library is not worth every command's start-up.
  const { createRootCertificate } = await loadRootCertificate();
  const now = new Date();
  const cert = createRootCertificate({ gun: ctx.gun, privateKey: rootKey, notBefore: now, notAfter: new Date(now.getTime() + ROOT_EXPIRY_MS) });
  const rootTuf: TufKey = { keytype: 'ecdsa-x509', public: Buffer.from(cert.pem, 'latin1').toString('base64') };
  const entry = (k: { keytype: string; public: string }) => [tufKeyId(k as TufKey), k as TufKey] as const;
  const keys = { root: entry(rootTuf), targets: entry(ecdsaTufKey(targetsKey)), snapshot: entry(snapshot), timestamp: entry(timestamp) };
  const root = signMetadata(rootSigned(keys, 1, expiresAt(now, ROOT_EXPIRY_MS)), [ecdsaMetadataSigner(rootKey, keys.root[0])]);
  const expires = expiresAt(now, TARGETS_EXPIRY_MS);
  const targets = signMetadata(edit(emptyTargets(1, expires), 1, expires), [ecdsaMetadataSigner(targetsKey)]);
  await ctx.client.publish(
    ctx.gun,
    [
      { role: 'root', bytes: root },
      { role: 'targets', bytes: targets },
    ],
    opts,
  );
  await ctx.cache.store(ctx.gun, [['root', root]]);
}

/**
 * Applies the edit to every role in scope we unlocked a key for, each at its stored version + 1, on freshly read
 * and verified metadata; a VERSION conflict (a concurrent publish) re-reads and rebuilds. Returns the roles signed.
 */
async function update(
  ctx: NotaryContext,
  signers: ReadonlyMap<string, MetadataSigner>,
  edit: RoleEdit,
  scope: PublishScope | undefined,
  signal?: AbortSignal,
): Promise<string[]> {
  const opts = signal ? { signal } : {};
  for (let attempt = 1; ; attempt++) {
    const repo = await fetchVerified(ctx, signal);
    const roles = [
      ...inScope(
        signableRoles(repo, (id) => signers.has(id)),
        scope,
      ),
    ];
    if (roles.length === 0) throw new SigningError(`no key to sign ${ctx.gun} on ${ctx.server.host}: the keys unlocked for it no longer sign any of its roles`);
    const expires = expiresAt(new Date(), TARGETS_EXPIRY_MS);
    const files: MetadataFile[] = roles.map(([role, id]) => {
      const version = (repo.versions.get(role) ?? 0) + 1;
      const base = repo.documents.get(role)?.signedValue ?? emptyTargets(version, expires);
      return { role, bytes: signMetadata(edit(base, version, expires), [signers.get(id)!]) };
    });
    try {
      // Parents before children, as notary's client sends them (the server validates shallowest first anyway).
      await ctx.client.publish(
        ctx.gun,
        [...files].sort((a, b) => a.role.split('/').length - b.role.split('/').length),
        opts,
      );
      return files.map((f) => f.role);
    } catch (err) {
      if (!isVersionConflict(err) || attempt >= ATTEMPTS) throw err;
    }
  }
}
