import { TrustError } from '../shared/errors.ts';
import type { Session } from './session.ts';

/**
 * Fails closed while signing and verification are not built in: with content trust on, no push or pull may go
 * through unsigned or unverified. Returns normally when trust is off for this command.
 */
export function requireTrustOff(session: Session, disableContentTrust: boolean, action: 'push' | 'pull', image: string): void {
  if (!session.contentTrust || disableContentTrust) return;
  const value = session.environment.env['DOCKER_CONTENT_TRUST'];
  throw new TrustError(
    'TRUST_UNAVAILABLE',
    `content trust is on (DOCKER_CONTENT_TRUST=${value}) and this trustext ${action === 'push' ? 'cannot sign' : 'cannot verify'} ${image} yet; ` +
      `nothing was ${action === 'push' ? 'pushed' : 'pulled'}: add --disable-content-trust to ${action} without trust`,
  );
}
