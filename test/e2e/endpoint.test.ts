import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DOCKER, baseEnv, docker, dockerConfig, plugin, show, tempDir, testbed } from './harness.ts';

/** `docker trustext version --format json`, parsed. */
async function version(args: string[], env: Record<string, string>) {
  const r = await docker([...args, 'trustext', 'version', '--format', 'json'], env);
  return { r, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

async function createContext(env: Record<string, string>, name: string, docker_: string) {
  const r = await docker(['context', 'create', name, '--docker', docker_], env);
  assert.equal(r.code, 0, show(r));
}

describe('engine endpoint resolution, as the docker CLI resolves it', () => {
  const tb = testbed();

  it('reads the daemon’s insecure-registries setting (127.0.0.0/8 by default)', async () => {
    const { DockerodeEngine } = await import('../../src/engine/index.ts');
    const engine = new DockerodeEngine({ endpoint: { contextName: 'default', host: tb.dockerHost }, userAgent: 'test' });
    const settings = await engine.registrySettings();
    assert.ok(settings.insecureCIDRs.includes('127.0.0.0/8'), JSON.stringify(settings));
    assert.deepEqual(settings.insecureRegistries, []);
  });

  it('honours DOCKER_HOST', async () => {
    const { r, json } = await version([], baseEnv(await dockerConfig()));
    assert.equal(r.code, 0, show(r));
    assert.equal(json.Engine.context, 'default');
    assert.equal(json.Engine.host, tb.dockerHost);
    assert.match(json.Engine.version, /^20\.10\./);
  });

  it('reaches the engine of --context NAME, and of the context chosen with docker context use', async () => {
    const config = await dockerConfig();
    const env = baseEnv(config, { DOCKER_HOST: undefined });
    await createContext(env, 'testbed', `host=${tb.dockerHost}`);
    const byFlag = await version(['--context', 'testbed'], env);
    assert.equal(byFlag.r.code, 0, show(byFlag.r));
    assert.equal(byFlag.json.Engine.context, 'testbed');
    assert.equal(byFlag.json.Engine.host, tb.dockerHost);

    const use = await docker(['context', 'use', 'testbed'], env);
    assert.equal(use.code, 0, show(use));
    const byConfig = await version([], env);
    assert.equal(byConfig.r.code, 0, show(byConfig.r));
    assert.equal(byConfig.json.Engine.context, 'testbed');
    // DOCKER_HOST outranks the current context, as in docker.
    const hostWins = await version([], { ...env, DOCKER_HOST: `unix://${tb.dir}/nowhere.sock` });
    assert.equal(hostWins.r.code, 1, show(hostWins.r));
    // DOCKER_CONTEXT outranks currentContext.
    const byEnv = await version([], { ...env, DOCKER_CONTEXT: 'default' });
    assert.equal(byEnv.r.code, 1, show(byEnv.r)); // default = /var/run/docker.sock, which the test bed never uses
    assert.match(byEnv.r.stderr, /\/var\/run\/docker\.sock/);
  });

  it('fails with one clear line and exit 1 for an unreachable context', async () => {
    const config = await dockerConfig();
    const env = baseEnv(config, { DOCKER_HOST: undefined });
    await createContext(env, 'dead', `host=unix://${tb.dir}/no-such-engine.sock`);
    const r = await docker(['--context', 'dead', 'trustext', 'version'], env);
    assert.equal(r.code, 1, show(r));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, show(r));
    assert.match(lines[0]!, /cannot connect to the docker daemon at unix:\/\/.*no-such-engine\.sock \(context "dead"\).*is the docker daemon running\?/);
    assert.match(r.stdout, /^trustext:\n Version:/); // the plugin half is still printed, as docker version does
  });

  it('rejects --context together with -H: as a usage error (125) when run directly, as docker does before us', async () => {
    const env = baseEnv(await dockerConfig());
    const direct = await plugin(['--context', 'default', '-H', tb.dockerHost, 'version'], env);
    assert.equal(direct.code, 125, show(direct));
    assert.match(direct.stderr, /^conflicting options: cannot specify both --host and --context$/m);
    // The docker CLI itself refuses this combination before it runs any plugin.
    const viaDocker = await docker(['--context', 'default', '-H', tb.dockerHost, 'trustext', 'version'], env);
    assert.notEqual(viaDocker.code, 0, show(viaDocker));
    assert.match(viaDocker.stderr, /conflicting options: cannot specify both --host and --context/);
  });

  it('uses TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, and from --tlsverify flags', async () => {
    const env = baseEnv(await dockerConfig(), { DOCKER_HOST: tb.tlsHost });
    const verified = await version([], { ...env, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tb.tlsCertPath });
    assert.equal(verified.r.code, 0, show(verified.r));
    assert.equal(verified.json.Engine.host, tb.tlsHost);
    const c = tb.tlsCertPath;
    const flags = await version(['--tlsverify', '--tlscacert', `${c}/ca.pem`, '--tlscert', `${c}/cert.pem`, '--tlskey', `${c}/key.pem`, '-H', tb.tlsHost], env);
    assert.equal(flags.r.code, 0, show(flags.r));
    // Without TLS the engine's TLS port does not speak plain HTTP to us.
    const plain = await version([], env);
    assert.equal(plain.r.code, 1, show(plain.r));
    // Without the client certificate the engine refuses the handshake.
    const noClientCert = await version(['--tlsverify', '--tlscacert', `${c}/ca.pem`, '-H', tb.tlsHost], { ...env, DOCKER_CERT_PATH: await tempDir() });
    assert.equal(noClientCert.r.code, 1, show(noClientCert.r));
  });

  it('takes default TLS files from $DOCKER_CONFIG, not from --config, as docker does', async () => {
    const { cp } = await import('node:fs/promises');
    const home = await dockerConfig();
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) await cp(join(tb.tlsCertPath, f), join(home, f));
    const other = await dockerConfig();
    const env = baseEnv(home, { DOCKER_HOST: undefined });
    const r = await version(['--config', other, '--tlsverify', '-H', tb.tlsHost], env);
    assert.equal(r.r.code, 0, show(r.r));
  });

  it('uses the TLS material of a named context', async () => {
    const config = await dockerConfig();
    const env = baseEnv(config, { DOCKER_HOST: undefined });
    const c = tb.tlsCertPath;
    await createContext(env, 'tls', `host=${tb.tlsHost},ca=${c}/ca.pem,cert=${c}/cert.pem,key=${c}/key.pem`);
    const r = await version(['--context', 'tls'], env);
    assert.equal(r.r.code, 0, show(r.r));
    assert.equal(r.json.Engine.context, 'tls');
  });

  it('reaches an ssh:// context through ssh … docker system dial-stdio, as the docker CLI does', async () => {
    // A stand-in `ssh` that runs the remote command locally against the test bed's engine and records its argv.
    const bin = await tempDir();
    const log = join(bin, 'ssh.log');
    await writeFile(
      join(bin, 'ssh'),
      `#!/bin/sh\necho "$@" >> ${log}\nwhile [ "$1" != "--" ]; do shift; done\nshift 3\nexec ${DOCKER} -H ${tb.dockerHost} "$@"\n`,
    );
    await chmod(join(bin, 'ssh'), 0o755);
    const config = await dockerConfig();
    const env = baseEnv(config, { DOCKER_HOST: undefined, PATH: `${bin}:${process.env.PATH}` });
    await createContext(env, 'remote', 'host=ssh://builder@engine.example:2222');
    const r = await version(['--context', 'remote'], env);
    assert.equal(r.r.code, 0, show(r.r));
    assert.equal(r.json.Engine.host, 'ssh://builder@engine.example:2222');
    assert.match(await readFile(log, 'utf8'), /-l builder -p 2222 -- engine\.example docker system dial-stdio/);
  });
});
