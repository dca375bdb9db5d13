/**
 * What the proxy's verifications depend on besides the registry: the trust policy file and the key store. Their
 * version is a fingerprint of the files' identity and times (an atomic rewrite is a new inode), read with a few
 * stat calls per decision, so an edit made with `docker trustext policy` or `key` takes effect on the next request.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_FILE } from '../../keys/index.ts';
import type { Session } from '../session/index.ts';

/** The fingerprint of the policy file and the key store index ('-' for a file that does not exist). */
export async function trustVersion(session: Session): Promise<string> {
  const keysDir = session.environment.settings.keysDir;
  const files = [session.policyFile(), keysDir, join(keysDir, INDEX_FILE)];
  const marks = await Promise.all(
    files.map((f) =>
      stat(f, { bigint: true }).then(
        (s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`,
        () => '-',
      ),
    ),
  );
  return marks.join('|');
}
