/**
 * Where the proxy keeps what it runs with (socket, pid file, log): $XDG_RUNTIME_DIR/trustext, else /run/trustext
 * for root, else /tmp/trustext-UID. The directory is this user's alone (0700): one that exists is refused when
 * another user owns it or others can write to it, so nobody else can plant a socket a docker context points at.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigError } from '../../shared/errors.ts';
import type { Settings } from '../../settings/index.ts';

/** The proxy's directory for `settings`, created 0700 when missing; refused when it is not this user's alone. */
export async function runtimeDir(settings: Settings): Promise<string> {
  const uid = process.getuid?.() ?? 0;
  const dir = settings.runtimeDir ? join(settings.runtimeDir, 'trustext') : uid === 0 ? '/run/trustext' : join(tmpdir(), `trustext-${uid}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new ConfigError('CONFIG_INVALID', `${dir} must be a directory of this user's alone (mode 0700): move it away`);
  }
  return dir;
}

/** The proxy's default socket. */
export const SOCKET_FILE = 'docker.sock';
