/**
 * `docker trustext enforce on` where a systemd user manager runs (a real `systemd --user`, see systemd-kit.ts): the
 * proxy runs as the user service trustext-proxy.service (unit file 0600 in the manager's unit directory, enabled),
 * so systemd restarts it when it is killed and starts it again when the manager starts after a reboot; `off`
 * stops, disables and removes it. The key store path carries the characters a unit file must quote (space, `%h`,
 * `$`, `"`, `\`): a proxy that finds it is one whose unit systemd read as written.
 */
import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pollUntil } from '../kit/index.ts';
import { baseEnv, DOCKER, docker, dockerConfig, ok, show, signedPushRepo, tempDir, testbed, trustEnv, uniqueRepo } from './harness.ts';
import { startSystemd, type TestSystemd } from './systemd-kit.ts';

const tb = testbed();
let systemd: TestSystemd;
let env: Record<string, string>;
let managerEnv: Record<string, string>;
let signed: string;
let unsigned: string;
let runtime: string;
let unitFile: string;

/** `docker …` where the user manager is visible (enforce on/off, which ask systemctl). */
const inside = (args: readonly string[]) => systemd.inside(DOCKER, args, env, 60_000);
const status = async () =>
  JSON.parse((await ok(['trustext', 'enforce', 'status', '--format', 'json'], env)).stdout) as {
    state?: { service: string; log: string };
    proxy?: { pid: number; upstream: string };
  };

before(async () => {
  const keys = join(await tempDir('trustext-keys-'), 'keys 100%h $HOME "q" \\x');
  const signer = await trustEnv({ TRUSTEXT_KEYS_DIR: keys });
  signed = (await signedPushRepo(signer, uniqueRepo('proxy-systemd'), 'v1')).ref;
  unsigned = `${tb.registry}/${uniqueRepo('proxy-systemd-unsigned')}:v1`;
  const direct = baseEnv(await dockerConfig({ plugin: false }));
  await ok(['tag', tb.image2, unsigned], direct);
  await ok(['push', unsigned], direct);
  await docker(['rmi', signed, unsigned], direct);
  runtime = await tempDir('trustext-runtime-');
  const home = await tempDir('trustext-home-');
  managerEnv = { PATH: process.env.PATH ?? '', HOME: home, XDG_RUNTIME_DIR: runtime };
  unitFile = join(home, '.config', 'systemd', 'user', 'trustext-proxy.service');
  const { DOCKER_HOST: _host, DOCKER_CONTENT_TRUST: _trust, ...rest } = signer;
  env = { ...rest, XDG_RUNTIME_DIR: runtime };
  await ok(['context', 'create', 'testbed', '--docker', `host=${tb.dockerHost}`], env);
  await ok(['context', 'use', 'testbed'], env);
  systemd = await startSystemd(managerEnv);
});

after(async () => {
  await inside(['trustext', 'enforce', 'off']).catch(() => undefined);
  await systemd?.stop();
});

describe('docker trustext enforce as a systemd user service', { timeout: 180_000 }, () => {
  it('--service systemd where no user manager is visible (outside its namespace) is refused, and nothing changes', async () => {
    const r = await docker(['trustext', 'enforce', 'on', '--service', 'systemd'], env);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /no systemd user manager answers here \(systemctl --user\): use --service process/, show(r));
    assert.equal((await ok(['context', 'show'], env)).stdout.trim(), 'testbed');
    assert.equal(await stat(unitFile).catch(() => undefined), undefined);
  });

  it('on: the proxy runs as trustext-proxy.service (enabled, unit 0600) and plain docker goes through it', async () => {
    const r = await inside(['trustext', 'enforce', 'on']);
    assert.equal(r.code, 0, show(r));
    const s = await status();
    assert.equal(s.state?.service, 'systemd');
    assert.equal(s.state?.log, 'journalctl --user -u trustext-proxy.service');
    assert.equal(s.proxy?.upstream, tb.dockerHost);
    const mainPid = await systemd.inside('systemctl', ['--user', 'show', '--property', 'MainPID', '--value', 'trustext-proxy.service'], managerEnv);
    assert.equal(Number(mainPid.stdout.trim()), s.proxy?.pid, 'the unit runs the proxy that answers');
    assert.equal((await systemd.inside('systemctl', ['--user', 'is-enabled', 'trustext-proxy.service'], managerEnv)).stdout.trim(), 'enabled');
    assert.equal((await stat(unitFile)).mode & 0o777, 0o600);
    assert.doesNotMatch(await readFile(unitFile, 'utf8'), /PASSPHRASE|DOCKER_HOST|DOCKER_CLI_PLUGIN_SOCKET/);
    assert.match((await ok(['trustext', 'enforce', 'status'], env)).stdout, /^Runs as: +systemd user service trustext-proxy\.service/m);
    const refused = await docker(['pull', unsigned], env);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /^Error response from daemon: remote trust data does not exist for /, show(refused));
    const pulled = await ok(['pull', signed], env);
    assert.match(pulled.stdout, /Tagged .*:v1 \(verified sha256:[0-9a-f]{64}\)/, show(pulled));
  });

  it('a proxy killed with -9 is started again by systemd, still enforcing', async () => {
    const before = (await status()).proxy!.pid;
    process.kill(before, 'SIGKILL');
    assert.ok(
      await pollUntil(async () => {
        const now = (await status()).proxy?.pid;
        return now !== undefined && now !== before;
      }, 20_000),
      'systemd restarted the proxy',
    );
    assert.equal((await docker(['pull', unsigned], env)).code, 1);
  });

  it('after a reboot (manager stopped, runtime directory emptied) the manager starts the proxy again', async () => {
    await systemd.stop();
    assert.equal((await docker(['pull', unsigned], env)).code, 1, 'no proxy: connection refused, never a bypass');
    await rm(join(runtime, 'trustext'), { recursive: true, force: true });
    systemd = await startSystemd(managerEnv);
    assert.ok(await pollUntil(async () => (await status()).proxy !== undefined, 20_000), 'the enabled unit started with the manager');
    const refused = await docker(['pull', unsigned], env);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /^Error response from daemon: /, show(refused));
    await docker(['rmi', signed], env);
    await ok(['pull', signed], env);
  });

  it('off: the previous context is current, the unit stopped, disabled and removed', async () => {
    const pid = (await status()).proxy!.pid;
    const r = await inside(['trustext', 'enforce', 'off']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /docker context "testbed" is current, proxy stopped/, show(r));
    assert.equal((await ok(['context', 'show'], env)).stdout.trim(), 'testbed');
    assert.equal((await status()).proxy, undefined);
    assert.equal(await stat(unitFile).catch(() => undefined), undefined);
    const enabled = await systemd.inside('systemctl', ['--user', 'is-enabled', 'trustext-proxy.service'], managerEnv);
    assert.notEqual(enabled.code, 0, show(enabled));
    assert.throws(() => process.kill(pid, 0));
  });
});
