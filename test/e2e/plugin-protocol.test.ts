import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BINARY, ROOT, baseEnv, docker, dockerConfig, plugin, run, show, tempDir } from './harness.ts';

const metadata = JSON.parse(readFileSync(join(ROOT, 'plugin-metadata.json'), 'utf8'));
const packageVersion = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

describe('docker CLI plugin protocol', () => {
  it('answers docker-cli-plugin-metadata with plugin-metadata.json, with no node on PATH', async () => {
    const emptyPath = await tempDir();
    const r = await run(BINARY, ['docker-cli-plugin-metadata'], { env: { PATH: emptyPath } });
    assert.equal(r.code, 0, show(r));
    assert.deepEqual(JSON.parse(r.stdout), metadata);
    assert.equal(metadata.SchemaVersion, '0.1.0');
    assert.equal(metadata.Version, packageVersion);
    assert.ok(metadata.Vendor && metadata.ShortDescription && metadata.URL);
    assert.equal(r.stderr, '');
  });

  it('refuses to run from a damaged binary (appended application checked by sha256), metadata still answers', async () => {
    const { copyFile, open } = await import('node:fs/promises');
    const copy = join(await tempDir(), 'docker-trustext');
    await copyFile(BINARY, copy);
    await (await import('node:fs/promises')).chmod(copy, 0o755);
    const fh = await open(copy, 'r+');
    const { size } = await fh.stat();
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1000);
    b[0]! ^= 0xff;
    await fh.write(b, 0, 1, size - 1000);
    await fh.close();
    const r = await run(copy, ['version'], { env: { PATH: '/nonexistent' } });
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /is damaged \(application bundle checksum mismatch\): reinstall it/);
    const meta = await run(copy, ['docker-cli-plugin-metadata'], { env: { PATH: '/nonexistent' } });
    assert.equal(meta.code, 0, show(meta));
  });

  it('is listed by docker info with its version and no invalid-plugin warning', async () => {
    const config = await dockerConfig();
    const r = await docker(['info'], baseEnv(config));
    assert.equal(r.code, 0, show(r));
    assert.ok(r.stdout.includes(`\n  trustext: ${metadata.ShortDescription} (${metadata.Vendor})\n`), show(r));
    assert.match(r.stdout, new RegExp(`\\n\\s+Version:\\s+${packageVersion.replace(/\./g, '\\.')}\\n\\s+Path:\\s+${join(ROOT, 'dist', 'docker-trustext')}`));
    assert.doesNotMatch(r.stdout + r.stderr, /WARNING: Plugin .*trustext.* is not valid|invalid plugin/i);
  });

  it('prints help for docker trustext --help, docker help trustext and docker-trustext --help', async () => {
    const env = baseEnv(await dockerConfig());
    for (const r of [await docker(['trustext', '--help'], env), await docker(['help', 'trustext'], env), await plugin(['--help'], env)]) {
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /^Usage: docker trustext \[OPTIONS\] COMMAND/m);
      for (const cmd of ['version', 'push', 'pull', 'install', 'uninstall']) assert.match(r.stdout, new RegExp(`^  ${cmd}\\b`, 'm'));
    }
  });

  it('accepts docker global options before trustext', async () => {
    const config = await dockerConfig();
    const r = await docker(['--config', config, '-D', '-l', 'warn', 'trustext', 'version', '--format', 'json'], baseEnv(config));
    assert.equal(r.code, 0, show(r));
    assert.equal(JSON.parse(r.stdout).Plugin.version, packageVersion);
  });

  it('exits 125 on usage errors and 1 on failures, like docker', async () => {
    const env = baseEnv(await dockerConfig());
    const unknownFlag = await docker(['trustext', 'push', '--no-such-flag', 'x'], env);
    assert.equal(unknownFlag.code, 125, show(unknownFlag));
    assert.match(unknownFlag.stderr, /unknown option '--no-such-flag'/);
    const missingArg = await docker(['trustext', 'pull'], env);
    assert.equal(missingArg.code, 125, show(missingArg));
    const unknownCommand = await plugin(['frobnicate'], env);
    assert.equal(unknownCommand.code, 125, show(unknownCommand));
    const badReference = await docker(['trustext', 'pull', 'UPPER/case'], env);
    assert.equal(badReference.code, 1, show(badReference));
    assert.equal(badReference.stderr.trim().split('\n').length, 1, show(badReference));
    assert.match(badReference.stderr, /invalid reference format/);
  });
});
