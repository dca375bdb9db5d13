/**
 * A real systemd user manager (`systemd --user`, Debian's systemd) for the tests of `enforce on` as a systemd
 * service. systemd runs a user manager only on a system booted with systemd (sd_booted(3): /run/systemd/system
 * exists), which this machine is not; so the manager runs in a mount namespace of its own (unshare -m) where a
 * tmpfs over /run/systemd holds that directory, and the commands that must see it as booted run in the same
 * namespace (nsenter -m). Its runtime directory and home are the test's: units it loads come from
 * HOME/.config/systemd/user, its control socket is XDG_RUNTIME_DIR/systemd/private.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../kit/index.ts';
import { run, type RunResult } from './harness.ts';

/** A running user manager and a way to run commands where it is visible. */
export interface TestSystemd {
  /** The user manager's pid (its mount namespace is the one commands are run in). */
  readonly pid: number;
  /** Runs `cmd` inside the manager's mount namespace. */
  inside(cmd: string, args: readonly string[], env: Record<string, string>, timeoutMs?: number): Promise<RunResult>;
  /** Stops the manager (and with it every unit it runs), as a logout or shutdown does. */
  stop(): Promise<void>;
}

const BOOTED = 'mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && exec /usr/lib/systemd/systemd --user';

/** Starts a user manager whose environment is `env` (XDG_RUNTIME_DIR and HOME the test's own). */
export async function startSystemd(env: Record<string, string>): Promise<TestSystemd> {
  const runtime = env.XDG_RUNTIME_DIR;
  if (!runtime) throw new Error('startSystemd needs XDG_RUNTIME_DIR');
  const child: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', BOOTED], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('unshare did not start');
  const inside = (cmd: string, args: readonly string[], e: Record<string, string>, timeoutMs?: number) =>
    run('nsenter', ['-t', String(pid), '-m', '--', cmd, ...args], { env: e, ...(timeoutMs && { timeoutMs }) });
  const up = await pollUntil(async () => {
    if (child.exitCode !== null) return true;
    if (!existsSync(join(runtime, 'systemd', 'private'))) return false;
    return (await inside('systemctl', ['--user', 'show-environment'], env, 5_000)).code === 0;
  }, 20_000);
  if (!up || child.exitCode !== null) {
    child.kill('SIGKILL');
    throw new Error(`systemd --user did not start: ${stderr}`);
  }
  return {
    pid,
    inside,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      // What stopping user@UID.service at logout or shutdown does: SIGTERM, and the manager stops its units and exits.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
