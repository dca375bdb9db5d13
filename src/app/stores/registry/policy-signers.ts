import { publicKeyFromPem, spkiKeyId } from '../../../keys/index.ts';
import { updatePolicy } from '../../../policy-store/index.ts';
import { KeyError, PolicyError } from '../../../shared/errors.ts';
import { addSignerKey, policySetRule, removeSignerFromRules, type Policy } from '../../../trust/index.ts';
import type { KeyInfo } from '../../session/index.ts';
import { lockOptions, type Session } from '../../session/index.ts';

/** The key store name of the signer's `i`th of `count` keys: NAME for one key, NAME-1, NAME-2, ... for several. */
const signerKeyName = (name: string, i: number, count: number): string => (count === 1 ? name : `${name}-${i + 1}`);

/**
 * Refuses, before any store changes (Notary's included: signer add runs this first), a signer key that is not in
 * the key store yet under a name a different key holds: importing it would fail, and widening that other key's
 * scopes would trust the wrong key. A key already stored, under any name, is fine (addPolicySigner reuses it).
 * Resolves the store's keys as it read them.
 */
export async function checkPolicySigner(session: Session, name: string, pems: readonly string[]): Promise<readonly KeyInfo[]> {
  const known = await (await session.keyStore()).list();
  for (const [i, pem] of pems.entries()) {
    const id = spkiKeyId(publicKeyFromPem(pem));
    const keyName = signerKeyName(name, i, pems.length);
    if (!known.some((k) => k.id === id) && known.some((k) => k.name === keyName)) {
      throw new KeyError(
        'KEY_EXISTS',
        `a different key named "${keyName}" is already in the key store: choose another signer name, or import this key under its own name first (key import --public)`,
      );
    }
  }
  return known;
}

/** The registry half of `signer add`: the keys trusted for the repositories, the signer required by their rules. */
export async function addPolicySigner(
  session: Session,
  name: string,
  pems: readonly string[],
  repos: readonly string[],
): Promise<{ keys: KeyInfo[]; repositories: string[] }> {
  const known = await checkPolicySigner(session, name, pems);
  const store = await session.keyStore();
  const keys: KeyInfo[] = [];
  for (const [i, pem] of pems.entries()) {
    const imported = await store.importPublic(signerKeyName(name, i, pems.length), pem, { scopes: repos }).catch(async (err: unknown) => {
      if (!(err instanceof KeyError && err.code === 'KEY_EXISTS')) throw err;
      // No key to reuse (a different key took the name meanwhile, or stray files): never widen another key's trust.
      const existingName = err.existingName;
      if (existingName === undefined) throw err;
      // The same key under another name (or this one): trust it for these repositories too.
      const existing = known.find((k) => k.name === existingName) ?? (await store.list()).find((k) => k.name === existingName);
      if (!existing) throw err;
      for (const r of repos) if (!existing.scopes.includes(r)) await store.addScope(existing.name, r);
      return store.get(existing.name);
    });
    keys.push(imported);
  }
  await updatePolicy(
    session.policyFile(),
    (p) => {
      let next: Policy = p;
      for (const k of keys) next = addSignerKey(next, name, k.id);
      for (const r of repos) {
        // An existing rule keeps its fields (an override the user set included); a new one gets only `signers`.
        const rule = next.rules.find((x) => x.repositories === r);
        const signers = [...new Set([...(rule?.signers ?? []), name])];
        next = policySetRule(next, r, { ...rule, signers });
      }
      return next;
    },
    lockOptions(session.environment),
  );
  return { keys, repositories: [...repos] };
}

/**
 * The registry half of `signer remove`: the signer stops being a required signer of the repositories' rules;
 * being the last signer of a rule is refused unless `force`, which then drops the rule.
 */
export async function removePolicySigner(session: Session, name: string, repositories: readonly string[], force: boolean): Promise<void> {
  await updatePolicy(
    session.policyFile(),
    (p) => {
      const last = p.rules.filter((r) => repositories.includes(r.repositories) && r.signers?.length === 1 && r.signers[0] === name);
      if (last.length && !force) {
        throw new PolicyError(
          'POLICY_INVALID',
          `${name} is the last signer of ${last.map((r) => r.repositories).join(', ')}: use --force to remove it and that rule`,
        );
      }
      const trimmed: Policy = { ...p, rules: p.rules.filter((r) => !last.includes(r)) };
      const rest = repositories.filter((r) => !last.some((l) => l.repositories === r) && trimmed.rules.some((x) => x.repositories === r));
      return rest.length ? removeSignerFromRules(trimmed, name, rest) : trimmed;
    },
    lockOptions(session.environment),
  );
}
