/**
 * Running the proxy in the background for `enforce on`, and stopping it for `off`: as a systemd user service where
 * a user manager runs (the unit trustext-proxy.service, enabled so it comes back with the user's manager after a
 * reboot, restarted when it fails, logging to the journal), otherwise as a detached process with its log in the
 * runtime directory. Either way the proxy is this same binary (`selfCommand`) running `trustext proxy`, with the
 * environment it needs and nothing it must not have.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { proxyStatus } from '../../proxy/index.ts';
import { VARIABLE_NAMES } from '../../settings/index.ts';
import { ConfigError } from '../../shared/errors.ts';
import { isRunning } from '../../shared/lock-holder.ts';
import { serviceUnit, userServiceManager } from '../../systemd/index.ts';
import type { Session } from '../session/index.ts';
import { waitUntil } from './wait.ts';

/** How long the proxy gets to answer after it is started, and to exit after SIGTERM. */
const START_MS = 15_000;
const STOP_MS = 15_000;

/** The systemd user unit. */
export const UNIT_NAME = 'trustext-proxy.service';

/** Where the proxy runs: a systemd user service, or a process of its own. */
export type ServiceKind = 'systemd' | 'process';

/**
 * Variables the proxy must not see: the docker CLI's plugin socket (it would stop the proxy when this command
 * ends), the engine selection (the upstream is given explicitly), and passphrases (it never signs).
 */
const NOT_HANDED_DOWN: ReadonlySet<string> = new Set([
  'DOCKER_CLI_PLUGIN_SOCKET',
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE',
  'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE',
  'COSIGN_PASSWORD',
]);

/**
 * Besides trustext's own variables, what a unit (written to disk, unlike a process's environment) carries: what
 * programs are found and run with (ssh for an ssh:// engine, credential helpers). Anything else a credential
 * helper needs comes from the user manager's environment (`systemctl --user set-environment`, environment.d).
 */
const UNIT_BASICS = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'SSH_AUTH_SOCK', 'GNUPGHOME', 'PASSWORD_STORE_DIR'];

/** What starting the proxy needs: the command line after `trustext proxy`, and whether DOCKER_HOST and TLS go down. */
export interface Launch {
  /** docker's global options before the command (e.g. --context). */
  readonly globals: readonly string[];
  readonly args: readonly string[];
  readonly keepEngineEnv: boolean;
  /** The socket it answers on once up. */
  readonly socket: string;
  /** The detached process's log file. */
  readonly log: string;
}

/** A started proxy: its pid, where it logs, and how it runs. */
export interface Launched {
  readonly pid: number;
  readonly log: string;
  readonly service: ServiceKind;
}

function environment(session: Session, launch: Launch, only?: (name: string) => boolean): Record<string, string> {
  const dropped = (name: string) => NOT_HANDED_DOWN.has(name) && !(launch.keepEngineEnv && name === 'DOCKER_HOST');
  return Object.fromEntries(
    Object.entries(session.environment.env).filter((e): e is [string, string] => e[1] !== undefined && !dropped(e[0]) && (only?.(e[0]) ?? true)),
  );
}

function command(session: Session, launch: Launch): string[] {
  const self = session.environment.selfCommand;
  if (!self?.length) throw new ConfigError('CONFIG_INVALID', 'cannot tell how to run trustext again to start the proxy');
  return [...self, ...launch.globals, 'trustext', 'proxy', ...launch.args];
}

const answering = async (socket: string) => (await proxyStatus(socket, 500)) !== undefined;

/** The detached process; resolves its pid once it answers. */
async function startProcess(session: Session, launch: Launch): Promise<Launched> {
  const [program, ...args] = command(session, launch);
  const out = await open(launch.log, 'a', 0o600);
  const child = spawn(program!, [...args, '--listen', `unix://${launch.socket}`], {
    detached: true,
    stdio: ['ignore', out.fd, out.fd],
    env: environment(session, launch),
    cwd: dirname(launch.log),
  });
  await out.close();
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.unref();
  const up = await waitUntil(async () => exited || (await answering(launch.socket)), START_MS);
  if (!up || exited || child.pid === undefined) {
    if (!exited) child.kill('SIGTERM');
    throw new ConfigError('CONFIG_INVALID', `the proxy did not start: see ${launch.log}`);
  }
  return { pid: child.pid, log: launch.log, service: 'process' };
}

/**
 * The systemd user service, or undefined when no user manager runs (and `want` did not insist on it). It listens
 * on the runtime directory's default socket (no --listen), which it makes again after a reboot.
 */
async function startUnit(session: Session, launch: Launch, want: ServiceKind | undefined): Promise<Launched | undefined> {
  const manager = await userServiceManager(session.environment.env, session.environment.home);
  if (!manager) {
    if (want === 'systemd') throw new ConfigError('CONFIG_INVALID', 'no systemd user manager answers here (systemctl --user): use --service process');
    return undefined;
  }
  const env = environment(session, launch, (name) => VARIABLE_NAMES.has(name) || UNIT_BASICS.includes(name));
  const text = serviceUnit({
    description: 'trustext Engine API proxy: content trust for every docker client',
    command: command(session, launch),
    environment: env,
    stopTimeoutSec: STOP_MS / 1000,
  });
  await manager.install(UNIT_NAME, text);
  const log = `journalctl --user -u ${UNIT_NAME}`;
  const status = (await waitUntil(() => answering(launch.socket), START_MS)) ? await proxyStatus(launch.socket) : undefined;
  const pid = typeof status?.pid === 'number' ? status.pid : undefined;
  if (pid === undefined) {
    await manager.uninstall(UNIT_NAME).catch(() => undefined);
    throw new ConfigError('CONFIG_INVALID', `the proxy did not start: see ${log}`);
  }
  return { pid, log, service: 'systemd' };
}

/** Starts the proxy as `want` says (default: systemd where a user manager runs, else a process). */
export async function startProxyService(session: Session, launch: Launch, want?: ServiceKind): Promise<Launched> {
  return (want !== 'process' && (await startUnit(session, launch, want))) || startProcess(session, launch);
}

/**
 * Stops the proxy `enforce on` started; true when one was running. A systemd unit is stopped and removed by its
 * manager (whatever pid it runs now); a process only when it says it is our proxy (a pid alone may have been reused).
 */
export async function stopProxyService(
  session: Session,
  running: { readonly service?: ServiceKind; readonly pid?: number; readonly socket?: string },
): Promise<boolean> {
  if (running.service === 'systemd') {
    const manager = await userServiceManager(session.environment.env, session.environment.home);
    if (!manager) return false;
    const pid = await manager.mainPid(UNIT_NAME).catch(() => undefined);
    await manager.uninstall(UNIT_NAME);
    return pid !== undefined;
  }
  const { pid, socket } = running;
  if (pid === undefined || socket === undefined) return false;
  const status = await proxyStatus(socket);
  if (status?.pid !== pid || !isRunning(pid)) return false;
  process.kill(pid, 'SIGTERM');
  if (!(await waitUntil(async () => !isRunning(pid), STOP_MS))) process.kill(pid, 'SIGKILL');
  return true;
}
