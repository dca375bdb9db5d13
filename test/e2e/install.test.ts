import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BINARY, ROOT, baseEnv, docker, dockerConfig, plugin, run, show } from './harness.ts';

const sha = async (p: string) =>
  createHash('sha256')
    .update(await readFile(p))
    .digest('hex');
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const VERSION = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version as string;

describe('install and uninstall', () => {
  it('installs the running binary into $DOCKER_CONFIG/cli-plugins, idempotently, and docker then runs it', async () => {
    const config = await dockerConfig({ plugin: false });
    const env = baseEnv(config);
    const target = join(config, 'cli-plugins', 'docker-trustext');
    const first = await plugin(['install'], env);
    assert.equal(first.code, 0, show(first));
    assert.equal(first.stdout.trim(), `Installed docker-trustext ${VERSION} as ${target}`);
    assert.equal(await sha(target), await sha(BINARY));
    assert.equal((await stat(target)).mode & 0o777, 0o755);
    const inode = (await stat(target)).ino;

    const again = await plugin(['install'], env);
    assert.equal(again.code, 0, show(again));
    assert.equal(again.stdout.trim(), `docker-trustext ${VERSION} is already installed as ${target}`);
    assert.equal((await stat(target)).ino, inode, 'an identical binary is left untouched');

    const info = await docker(['info', '--format', '{{json .ClientInfo.Plugins}}'], env);
    assert.equal(info.code, 0, show(info));
    const listed = JSON.parse(info.stdout).find((p: { Name: string }) => p.Name === 'trustext');
    assert.equal(listed?.Path, target);
    assert.equal(listed?.Version, VERSION);
    assert.equal(listed?.Err, undefined);
    const version = await docker(['trustext', 'version', '--format', 'json'], env);
    assert.equal(version.code, 0, show(version));
    assert.equal(JSON.parse(version.stdout).Plugin.packaged, true);
  });

  it('replaces a different binary atomically and honours --config', async () => {
    const config = await dockerConfig({ plugin: false });
    const target = join(config, 'cli-plugins', 'docker-trustext');
    await plugin(['--config', config, 'install'], baseEnv('/nonexistent-config'));
    assert.equal(await sha(target), await sha(BINARY));
    await copyFile('/bin/true', target);
    const r = await plugin(['--config', config, 'install'], baseEnv('/nonexistent-config'));
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^Installed /);
    assert.equal(await sha(target), await sha(BINARY));
  });

  it('warns when another copy comes first in docker’s plugin search order', async () => {
    const config = await dockerConfig(); // cliPluginsExtraDirs: [dist] comes before the config dir
    const r = await docker(['trustext', 'install'], baseEnv(config));
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, new RegExp(`warning: the docker CLI will run ${join(ROOT, 'dist', 'docker-trustext')} instead`));
  });

  it('uninstalls, and uninstalling again is not an error', async () => {
    const config = await dockerConfig({ plugin: false });
    const env = baseEnv(config);
    const target = join(config, 'cli-plugins', 'docker-trustext');
    assert.equal((await plugin(['install'], env)).code, 0);
    const r = await docker(['trustext', 'uninstall'], env);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout.trim(), `Removed ${target}`);
    assert.equal(await exists(target), false);
    const again = await plugin(['uninstall'], env);
    assert.equal(again.code, 0, show(again));
    assert.equal(again.stdout.trim(), `docker-trustext is not installed as ${target}`);
    const info = await docker(['info', '--format', '{{json .ClientInfo.Plugins}}'], env);
    assert.equal(
      JSON.parse(info.stdout).some((p: { Name: string }) => p.Name === 'trustext'),
      false,
    );
  });

  it('installs system-wide with --system', async () => {
    const target = '/usr/local/lib/docker/cli-plugins/docker-trustext';
    const backup = `${target}.e2e-backup`;
    const hadOne = await exists(target);
    if (hadOne) await rename(target, backup);
    try {
      const env = baseEnv(await dockerConfig({ plugin: false }));
      const r = await plugin(['install', '--system'], env);
      assert.equal(r.code, 0, show(r));
      assert.equal(await sha(target), await sha(BINARY));
      const info = await docker(['trustext', 'version', '--format', 'json'], env);
      assert.equal(info.code, 0, show(info));
      const u = await plugin(['uninstall', '--system'], env);
      assert.equal(u.code, 0, show(u));
      assert.equal(await exists(target), false);
    } finally {
      await rm(target, { force: true });
      if (hadOne) await rename(backup, target);
    }
  });

  it('refuses to install a script run by node: only the single binary can be a plugin', async () => {
    const config = await dockerConfig({ plugin: false });
    const node = join(ROOT, 'node_modules', '.bin', 'node');
    const r = await run(node, [join(ROOT, 'src', 'main.ts'), 'install'], { env: baseEnv(config) });
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /install copies the packaged binary.*npm run build/);
    assert.equal(await exists(join(config, 'cli-plugins')), false);
  });
});
