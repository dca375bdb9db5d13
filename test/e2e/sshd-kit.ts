/**
 * A real OpenSSH server on loopback for engines reached as `ssh://HOST` (docker/cli cli/connhelper/ssh): key-only
 * login as the current user, and sessions whose DOCKER_HOST is the test bed's engine, so the remote
 * `docker system dial-stdio` reaches it. The client side is the system's ssh with a config of this server's own
 * (host key pinned, batch mode), put first on PATH as `ssh` for the processes that dial it.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../kit/index.ts';
import { run, tempDir, testbed } from './harness.ts';

/** A running sshd, the host alias that reaches it, and a PATH whose `ssh` knows it. */
export interface TestSshd {
  /** `ssh://ALIAS`, as a docker context or DOCKER_HOST names it. */
  readonly host: string;
  /** PATH with the configured `ssh` first. */
  readonly path: string;
  stop(): void;
}

const ALIAS = 'trustext-engine';

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      done(true);
    });
    s.on('error', () => done(false));
  });

export async function startSshd(): Promise<TestSshd> {
  const dir = await tempDir('trustext-sshd-');
  const keygen = async (file: string) => {
    const r = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { env: { PATH: process.env.PATH ?? '' } });
    if (r.code !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
  };
  await keygen(join(dir, 'host_key'));
  await keygen(join(dir, 'client_key'));
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')), { mode: 0o600 });
  const port = await freePort();
  const hostKey = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim();
  await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  // An empty docker config for the remote side, so only DOCKER_HOST chooses its engine.
  await mkdir(join(dir, 'remote-docker'), { mode: 0o700 });
  await writeFile(
    join(dir, 'sshd_config'),
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      `SetEnv DOCKER_HOST=${testbed().dockerHost} DOCKER_CONFIG=${join(dir, 'remote-docker')}`,
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'ssh_config'),
    [
      `Host ${ALIAS}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${userInfo().username}`,
      `  IdentityFile ${join(dir, 'client_key')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '',
    ].join('\n'),
  );
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`);
  await chmod(join(bin, 'ssh'), 0o755);
  // sshd's privilege separation directory (the package makes it when its service starts; ours is not a service).
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  sshd.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  if (!(await pollUntil(() => sshd.exitCode !== null || listening(port), 10_000)) || sshd.exitCode !== null) {
    sshd.kill();
    throw new Error(`sshd did not start: ${stderr}`);
  }
  return { host: `ssh://${ALIAS}`, path: `${bin}:${process.env.PATH ?? ''}`, stop: () => sshd.kill() };
}
