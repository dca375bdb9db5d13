import { readFile } from 'node:fs/promises';
import { updatePolicy } from '../policy-store/index.ts';
import { parseReference, repositoryName } from '../reference/index.ts';
import { KeyError, PolicyError } from '../shared/errors.ts';
import { addSignerKey, policySetRule, removeSignerFromRules, type Policy } from '../trust/index.ts';
import type { KeyInfo } from './keys-port.ts';
import { addNotarySigner, removeNotarySigner } from './notary-signers.ts';
import type { NotaryPublishOutcome } from './notary-publish.ts';
import { defaultStore, type TrustStore } from './notary-trust.ts';
import { lockOptions, type Session } from './session.ts';

/** Repository arguments as fully qualified names (docker normalisation), the form rules and scopes use. */
function repositories(args: readonly string[]): string[] {
  return args.map((r) => repositoryName(parseReference(r)));
}

/**
 * `signer add`: trusts the signer's public keys for the repositories (importing them into the key store, or
 * widening the scopes of a key already there) and makes the signer one of the required signers of each
 * repository's policy rule. A rule it creates never overrides: broader rules still apply, so it only adds
 * requirements.
 */
export async function addSigner(
  session: Session,
  name: string,
  keyFiles: readonly string[],
  repoArgs: readonly string[],
  opts: { store?: TrustStore; signal?: AbortSignal } = {},
): Promise<{ keys: KeyInfo[]; repositories: string[]; notary: NotaryPublishOutcome[] }> {
  const repos = repositories(repoArgs);
  const pems = await Promise.all(
    keyFiles.map((file) =>
      readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new KeyError('KEY_INVALID', `cannot read public key file ${file}: ${err.code ?? err.message}`, { cause: err });
      }),
    ),
  );
  const store = defaultStore(session, opts.store);
  // Notary first: it is the part that can be refused (no repository key), and the policy should not claim a signer it lacks.
  const notary = store === 'registry' ? [] : await addNotarySigner(session, name, pems, repos, opts.signal);
  if (store === 'notary') return { keys: [], repositories: repos, notary };
  return { ...(await addPolicySigner(session, name, pems, repos)), notary };
}

/** The registry half of `signer add`: the keys trusted for the repositories, the signer required by their rules. */
async function addPolicySigner(
  session: Session,
  name: string,
  pems: readonly string[],
  repos: readonly string[],
): Promise<{ keys: KeyInfo[]; repositories: string[] }> {
  const store = await session.keyStore();
  const known = await store.list();
  const keys: KeyInfo[] = [];
  for (const [i, pem] of pems.entries()) {
    const keyName = pems.length === 1 ? name : `${name}-${i + 1}`;
    const imported = await store.importPublic(keyName, pem, { scopes: repos }).catch(async (err: unknown) => {
      if (!(err instanceof KeyError && err.code === 'KEY_EXISTS')) throw err;
      // The same key under another name (or this one): trust it for these repositories too.
      const existing = known.find((k) => k.name === keyName) ?? (await store.list()).find((k) => err.message.includes(k.name));
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
 * `signer remove`: the signer stops being a required signer of those repositories. Removing the last signer of a
 * rule would leave it open to any trusted key, so that takes --force, which then drops the rule altogether.
 */
export async function removeSigner(
  session: Session,
  name: string,
  repoArgs: readonly string[],
  force: boolean,
  opts: { store?: TrustStore; signal?: AbortSignal } = {},
): Promise<string[]> {
  const repos = repositories(repoArgs);
  const store = defaultStore(session, opts.store);
  if (store !== 'notary')
    await updatePolicy(
      session.policyFile(),
      (p) => {
        const last = p.rules.filter((r) => repos.includes(r.repositories) && r.signers?.length === 1 && r.signers[0] === name);
        if (last.length && !force) {
          throw new PolicyError(
            'POLICY_INVALID',
            `${name} is the last signer of ${last.map((r) => r.repositories).join(', ')}: use --force to remove it and that rule`,
          );
        }
        const trimmed: Policy = { ...p, rules: p.rules.filter((r) => !last.includes(r)) };
        const rest = repos.filter((r) => !last.some((l) => l.repositories === r) && trimmed.rules.some((x) => x.repositories === r));
        return rest.length ? removeSignerFromRules(trimmed, name, rest) : trimmed;
      },
      lockOptions(session.environment),
    );
  // After the policy, whose last-signer refusal must stop the command before anything is published.
  if (store !== 'registry') await removeNotarySigner(session, name, repos, opts.signal);
  return repos;
}
