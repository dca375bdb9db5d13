import { parseReference, repositoryName } from '../../reference/index.ts';
import type { KeyInfo } from '../session/index.ts';
import type { NotaryPublishOutcome } from '../stores/notary/index.ts';
import type { Session } from '../session/index.ts';
import { readPublicKeyFile } from './key.ts';
import { forEachStore, type TrustStore } from '../stores/index.ts';

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
  const pems = await Promise.all(keyFiles.map(readPublicKeyFile));
  // Every store's refusals first, so that one store's refusal does not come after another has published.
  await forEachStore(session, 'signer-add', opts.store, (backend) => backend.prepareSigner(name, pems));
  const added = await forEachStore(session, 'signer-add', opts.store, (backend) => backend.addSigner(name, pems, repos, opts.signal));
  return { keys: added.flatMap((a) => a.value.keys ?? []), repositories: repos, notary: added.flatMap((a) => a.value.notary ?? []) };
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
  await forEachStore(session, 'signer-remove', opts.store, (backend) => backend.removeSigner(name, repos, force, opts.signal));
  return repos;
}
