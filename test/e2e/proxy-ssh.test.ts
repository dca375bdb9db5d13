/**
 * The enforcing proxy in front of an engine reached over ssh (`ssh://HOST`, docker/cli cli/connhelper/ssh), as a
 * user turns it on: a docker context naming the engine by ssh is current, `enforce on` starts the proxy (the built
 * binary, detached) whose every engine connection is `ssh … docker system dial-stdio` through a real OpenSSH
 * server, and plain docker (no DOCKER_HOST) goes through it: signed pulls verified, unsigned refused, a hijacked
 * `run -i` carried both ways, `save` byte for byte; `off` puts the ssh context back.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { baseEnv, DOCKER, docker, dockerConfig, ok, run, show, signedPushRepo, tempDir, testbed, trustEnv, uniqueRepo } from './harness.ts';
import { startSshd, type TestSshd } from './sshd-kit.ts';

const tb = testbed();
let sshd: TestSshd;
let env: Record<string, string>;
let direct: Record<string, string>;
let signed: string;
let unsigned: string;
let runtime: string;

before(async () => {
  sshd = await startSshd();
  const signer = await trustEnv();
  signed = (await signedPushRepo(signer, uniqueRepo('proxy-ssh'), 'v1')).ref;
  unsigned = `${tb.registry}/${uniqueRepo('proxy-ssh-unsigned')}:v1`;
  direct = baseEnv(await dockerConfig({ plugin: false }));
  await ok(['tag', tb.image2, unsigned], direct);
  await ok(['push', unsigned], direct);
  await docker(['rmi', signed, unsigned], direct);
  runtime = await tempDir('trustext-runtime-');
  const { DOCKER_HOST: _host, DOCKER_CONTENT_TRUST: _trust, ...rest } = signer;
  env = { ...rest, PATH: sshd.path, XDG_RUNTIME_DIR: runtime };
  await ok(['context', 'create', 'over-ssh', '--docker', `host=${sshd.host}`], env);
  await ok(['context', 'use', 'over-ssh'], env);
});

after(async () => {
  const state = await readFile(join(runtime, 'trustext', 'enforce.json'), 'utf8').catch(() => undefined);
  if (state) {
    await docker(['trustext', 'enforce', 'off'], env);
    const { pid } = JSON.parse(state) as { pid: number };
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  sshd?.stop();
});

describe('docker trustext enforce in front of an engine over ssh', { timeout: 120_000 }, () => {
  it('the ssh context itself reaches the engine (the docker CLI dials the same way)', async () => {
    const r = await ok(['version', '--format', '{{.Server.APIVersion}}'], env);
    assert.match(r.stdout, /^1\.\d+$/m, show(r));
  });

  it('on: pulls verified and refused, run -i both ways, save byte for byte, all over ssh; off restores the context', async () => {
    const on = await ok(['trustext', 'enforce', 'on'], env);
    assert.match(on.stdout, /-> ssh:\/\/trustext-engine/, show(on));
    const status = JSON.parse((await ok(['trustext', 'enforce', 'status', '--format', 'json'], env)).stdout) as { proxy: { upstream: string } };
    assert.equal(status.proxy.upstream, sshd.host);
    const refused = await docker(['pull', unsigned], env);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /^Error response from daemon: remote trust data does not exist for /, show(refused));
    assert.equal((await docker(['image', 'inspect', unsigned], direct)).code, 1, 'nothing pulled');
    const pulled = await ok(['pull', signed], env);
    assert.match(pulled.stdout, /Tagged .*:v1 \(verified sha256:[0-9a-f]{64}\)/, show(pulled));
    const r = await run('bash', ['-c', `echo hi | "$DOCKER" run -i --rm ${signed} /bin/busybox cat`], { env: { ...env, DOCKER } });
    assert.equal(r.stdout, 'hi\n', show(r));
    const through = await run('bash', ['-c', `"$DOCKER" save ${signed} | sha256sum`], { env: { ...env, DOCKER } });
    const straight = await run('bash', ['-c', `"$DOCKER" save ${signed} | sha256sum`], { env: { ...direct, DOCKER } });
    assert.equal(through.code, 0, show(through));
    assert.equal(through.stdout, straight.stdout);
    const off = await ok(['trustext', 'enforce', 'off'], env);
    assert.match(off.stdout, /docker context "over-ssh" is current, proxy stopped/, show(off));
  });
});
