/**
 * The user's systemd service manager, through `systemctl --user` (systemctl(1)): reached when the system was
 * booted with systemd (sd_booted(3): /run/systemd/system exists) and the user manager answers, over
 * $XDG_RUNTIME_DIR/systemd/private or the session bus as systemctl finds them. Unit files go where that manager
 * looks for the user's own units: $XDG_CONFIG_HOME/systemd/user of the manager's environment, else
 * ~/.config/systemd/user (systemd.unit(5), "User Unit Search Path").
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-file.ts';
import { ConfigError } from '../shared/errors.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** One systemctl run; ConfigError with its last stderr line when it fails. */
function systemctl(env: Env, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((done, fail) => {
    execFile('systemctl', ['--user', ...args], { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return done(stdout);
      const why = stderr.trim().split('\n').pop() || err.message;
      fail(new ConfigError('CONFIG_INVALID', `systemctl --user ${args.join(' ')}: ${why}`, { cause: err }));
    });
  });
}

/** The user's service manager, when one runs. */
export interface UserServiceManager {
  /** Where the user's own unit files go. */
  readonly unitDir: string;
  /** Writes `name` (0600, atomically), reloads, enables it and starts or restarts it. */
  install(name: string, text: string): Promise<void>;
  /** Stops and disables `name`, removes its file and reloads; nothing when it is not there. */
  uninstall(name: string): Promise<void>;
  /** The main pid of a running unit, or undefined. */
  mainPid(name: string): Promise<number | undefined>;
}

/** The user's systemd manager, or undefined when systemd does not run or has no manager for this user. */
export async function userServiceManager(env: Env, home: string): Promise<UserServiceManager | undefined> {
  if (!existsSync('/run/systemd/system')) return undefined;
  let shown: string;
  try {
    shown = await systemctl(env, ['show-environment'], 5_000);
  } catch {
    return undefined;
  }
  const managerEnv = new Map(
    shown.split('\n').flatMap((line) => (line.includes('=') ? [[line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const] : [])),
  );
  const configHome = managerEnv.get('XDG_CONFIG_HOME') || join(managerEnv.get('HOME') || home, '.config');
  const unitDir = join(configHome, 'systemd', 'user');
  return {
    unitDir,
    async install(name, text) {
      await mkdir(unitDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(join(unitDir, name), text);
      await systemctl(env, ['daemon-reload']);
      await systemctl(env, ['enable', name]);
      await systemctl(env, ['restart', name]);
    },
    async uninstall(name) {
      if (!existsSync(join(unitDir, name))) return;
      await systemctl(env, ['disable', '--now', name]);
      await rm(join(unitDir, name), { force: true });
      await systemctl(env, ['daemon-reload']);
    },
    async mainPid(name) {
      const pid = Number((await systemctl(env, ['show', '--property', 'MainPID', '--value', name])).trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
  };
}
