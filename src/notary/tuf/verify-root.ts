/**
 * Which root to trust (notaryproject/notary trustpinning/certs.go `ValidateRoot`, client/tufclient.go root
 * update): trust on first use of a self-signed root, or the pinned root and then each newer root in turn, every
 * one signed by a threshold of the previous root's root certificates AND of its own. Root keys must be x509
 * certificates with CN = GUN, re-derived to Go's PEM before their ids are taken, as notary's `CertToKey`. Pure.
 */
import { NotaryError } from '../../shared/errors.ts';
import { isExpired } from './go-time.ts';
import { certificateOf, keyFromCertificate, tufKeyId } from './key-id.ts';
import { parseRoot } from './parse-roles.ts';
import { verifyThreshold } from './signatures.ts';
import type { Root, Signed, TufKey } from './types.ts';

const DAY_MS = 86_400_000;

/** What trustRoot needs: the GUN, the root just downloaded, optionally the pinned root and the versions between. */
export interface RootInput {
  readonly gun: string;
  /** The current root.json as downloaded. */
  readonly root: Uint8Array;
  /** The root trusted before (absent: trust on first use). */
  readonly pinnedRoot?: Uint8Array | undefined;
  /** `{v}.root.json` for every version strictly between the pinned and the current one, ascending. */
  readonly intermediateRoots?: readonly Uint8Array[] | undefined;
  /** The last root version seen, when known without the pinned bytes. */
  readonly previousVersion?: number | undefined;
  readonly now: Date;
}

/** The root to trust now; throws TRUST_DATA_INVALID, TRUST_DATA_EXPIRED or TRUST_DATA_ROLLBACK. */
export function trustRoot(input: RootInput): Signed<Root> {
  let trusted: Signed<Root> | undefined;
  if (input.pinnedRoot !== undefined) {
    trusted = parseRoot(input.pinnedRoot);
    verifyThreshold(trusted, 'pinned root', ...rootKeys(trusted.signed, input.gun, undefined));
  }
  const chain = trusted ? [...(input.intermediateRoots ?? []), input.root] : [input.root];
  chain.forEach((bytes, i) => {
    const final = i === chain.length - 1;
    const next = parseRoot(bytes);
    const floor = Math.max(trusted?.signed.version ?? 0, input.previousVersion ?? 0);
    if (next.signed.version < floor) {
      throw new NotaryError('TRUST_DATA_ROLLBACK', `root version ${next.signed.version} is older than the trusted version ${floor}`);
    }
    if (trusted && next.signed.version === trusted.signed.version && !Buffer.from(bytes).equals(trusted.bytes)) {
      throw new NotaryError('TRUST_DATA_INVALID', `root version ${next.signed.version} differs from the trusted root of the same version`);
    }
    if (trusted && next.signed.version > trusted.signed.version) {
      verifyThreshold(next, 'root rotation (previous root keys)', ...rootKeys(trusted.signed, input.gun, undefined));
    }
    verifyThreshold(next, 'root', ...rootKeys(next.signed, input.gun, final ? input.now : undefined));
    if (final && isExpired(next.signed.expires, input.now)) {
      throw new NotaryError('TRUST_DATA_EXPIRED', `root version ${next.signed.version} expired at ${next.signed.expires}`);
    }
    trusted = next;
  });
  return trusted!;
}

/**
 * The root role's keys as notary checks them: certificates whose CN is the GUN (and, when `now` is given,
 * within validity, one day of leeway on NotBefore), re-keyed by the id of their Go-PEM form.
 */
export function rootKeys(root: Root, gun: string, now: Date | undefined): [{ keyids: string[]; threshold: number }, Map<string, TufKey>] {
  const keys = new Map<string, TufKey>();
  for (const id of root.roles.root.keyids) {
    const key = root.keys.get(id)!;
    if (key.keytype !== 'ecdsa-x509' && key.keytype !== 'rsa-x509') continue;
    const cert = certificateOf(key);
    if (commonName(cert.subject) !== gun) continue;
    if (now && (Date.parse(cert.validFrom) > now.getTime() + DAY_MS || Date.parse(cert.validTo) < now.getTime())) continue;
    if (cert.publicKey.asymmetricKeyType === 'rsa' && (cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) continue;
    const derived = keyFromCertificate(cert);
    keys.set(tufKeyId(derived), derived);
  }
  if (keys.size === 0) throw new NotaryError('TRUST_DATA_INVALID', `root has no valid certificate for ${gun}`);
  return [{ keyids: [...keys.keys()], threshold: root.roles.root.threshold }, keys];
}

function commonName(subject: string): string | undefined {
  const cns = subject.split('\n').filter((l) => l.startsWith('CN='));
  return cns.length === 1 ? cns[0]!.slice(3) : undefined;
}
