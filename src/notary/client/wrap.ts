/**
 * What registry-layer failures become in the notary client: the abort reason when aborted; no connection (or a
 * TLS certificate the configured CAs do not vouch for, named as such) is NOTARY_UNREACHABLE, as docker's
 * "error contacting notary server"; a body over its limit is TRUST_DATA_INVALID for trust data; the rest NOTARY_FAILED.
 */
import { join } from 'node:path';
import { certsDirName } from '../../http/index.ts';
import { NotaryError, RegistryError, TrustExtError, type NotaryErrorCode } from '../../shared/errors.ts';

/** OpenSSL/node verification failures: the server's certificate chain is not trusted for this host. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
]);

/** Trust data the client will not hand on (oversized, wrong checksum, not what notary serves). */
export function untrusted(message: string): NotaryError {
  return new NotaryError('TRUST_DATA_INVALID', message);
}

/** Maps an error thrown by the registry requester or body reader to the notary error model. */
export function failure(
  err: unknown,
  action: string,
  signal: AbortSignal | undefined,
  host: string,
  tlsDir: string | undefined,
  oversized: NotaryErrorCode = 'NOTARY_FAILED',
): unknown {
  if (signal?.aborted) return signal.reason;
  if (err instanceof NotaryError) return err;
  if (!(err instanceof TrustExtError)) return new NotaryError('NOTARY_FAILED', `${action}: ${String(err)}`, { cause: err });
  if (err.code === 'REGISTRY_UNREACHABLE') {
    const cause = err.cause as NodeJS.ErrnoException | undefined;
    if (cause instanceof TrustExtError) return cause; // e.g. unreadable or unpaired files in the tls/ directory
    if (cause && typeof cause.code === 'string' && CERTIFICATE_CODES.has(cause.code)) {
      const where = tlsDir === undefined ? 'no trust server CA directory is configured' : `CAs are read from ${join(tlsDir, certsDirName(host))}`;
      return new NotaryError(
        'NOTARY_UNREACHABLE',
        `${action}: error contacting notary server: the certificate of ${host} is not trusted (${cause.code.toLowerCase()}); ${where}`,
        { cause: err },
      );
    }
    return new NotaryError('NOTARY_UNREACHABLE', `error contacting notary server: ${err.message}`, { cause: err });
  }
  if (err instanceof RegistryError && err.code === 'REGISTRY_INVALID_RESPONSE') return new NotaryError(oversized, err.message, { cause: err });
  return new NotaryError('NOTARY_FAILED', err.message, { cause: err });
}
