/**
 * spawnHelper, the default HelperRunner, with small real helper scripts in a temporary PATH directory: stdin and
 * environment delivery, PATH lookup from the given env, exit status, and the limits docker lacks (timeout,
 * output size, cancellation). Also dockerKeychain through it, with a script speaking the helper protocol.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerKeychain, spawnHelper } from '../../src/credentials/index.ts';
import { rejectsWithCode } from '../kit/index.ts';

let bin: string;
let env: Record<string, string>;

const SCRIPTS: Record<string, string> = {
  // Echoes stdin and one variable of its environment.
  'docker-credential-echo': 'input=$(cat); printf \'{"ServerURL":"%s","Username":"%s","Secret":"s"}\' "$input" "$TEST_USER"',
  'docker-credential-fail': 'echo "store locked" >&2; exit 3',
  'docker-credential-sleep': 'exec sleep 30',
  'docker-credential-chatty': 'exec yes credentials',
  'docker-credential-suicide': 'kill -9 $$',
  'docker-credential-deaf': 'echo "{}"',
  // Speaks the protocol: credentials for one server URL, "not found" for the rest.
  'docker-credential-mini':
    'url=$(cat); if [ "$url" = "myreg:5000" ]; then echo \'{"ServerURL":"myreg:5000","Username":"u","Secret":"p"}\'; ' +
    'else echo "credentials not found in native keychain"; exit 1; fi',
};

before(async () => {
  bin = await mkdtemp(join(tmpdir(), 'trustext-helpers-'));
  for (const [name, body] of Object.entries(SCRIPTS)) {
    await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(bin, name), 0o755);
  }
  env = { PATH: `${bin}:/usr/bin:/bin`, TEST_USER: 'from-env' };
});
after(async () => {
  await rm(bin, { recursive: true, force: true });
});

describe('spawnHelper', () => {
  it('writes stdin, passes the environment and finds the program on env.PATH', async () => {
    const r = await spawnHelper({ env })('docker-credential-echo', ['get'], 'myreg:5000');
    assert.deepEqual(r, { code: 0, stdout: '{"ServerURL":"myreg:5000","Username":"from-env","Secret":"s"}', stderr: '' });
  });

  it('resolves with a failing exit status and its stderr', async () => {
    assert.deepEqual(await spawnHelper({ env })('docker-credential-fail', ['get'], 'x'), { code: 3, stdout: '', stderr: 'store locked\n' });
  });

  it('reports a killed helper with a null status', async () => {
    assert.equal((await spawnHelper({ env })('docker-credential-suicide', ['get'], 'x')).code, null);
  });

  it('copes with a helper that does not read its input', async () => {
    assert.equal((await spawnHelper({ env })('docker-credential-deaf', ['get'], 'x'.repeat(1 << 20))).stdout, '{}\n');
  });

  it('rejects a program missing from PATH with a CredentialsError', async () => {
    await rejectsWithCode(
      spawnHelper({ env })('docker-credential-nope', ['get'], 'x'),
      'CREDENTIALS_FAILED',
      'credential helper docker-credential-nope not found in PATH',
    );
  });

  it('kills a helper that runs past the timeout', async () => {
    const started = Date.now();
    await rejectsWithCode(
      spawnHelper({ env, timeoutMs: 300 })('docker-credential-sleep', ['get'], 'x'),
      'CREDENTIALS_FAILED',
      'credential helper docker-credential-sleep did not finish within 300 ms (TRUSTEXT_HTTP_TIMEOUT)',
    );
    assert.ok(Date.now() - started < 5000);
  });

  it('kills a helper that prints too much', async () => {
    await rejectsWithCode(
      spawnHelper({ env, maxOutputBytes: 4096 })('docker-credential-chatty', ['get'], 'x'),
      'CREDENTIALS_FAILED',
      'credential helper docker-credential-chatty printed more than 4096 bytes',
    );
  });

  it('rejects with the abort reason, before and during a run', async () => {
    const reason = new Error('cancelled');
    await assert.rejects(spawnHelper({ env })('docker-credential-sleep', ['get'], 'x', AbortSignal.abort(reason)), (e) => e === reason);
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await assert.rejects(spawnHelper({ env })('docker-credential-sleep', ['get'], 'x', controller.signal), (e) => e === reason);
    assert.ok(Date.now() - started < 5000);
  });
});

describe('dockerKeychain with the default runner', () => {
  it('runs docker-credential-<credsStore> found on the given PATH', async () => {
    const keychain = dockerKeychain({ config: { credsStore: 'mini' }, env });
    assert.deepEqual(await keychain('myreg:5000'), { username: 'u', password: 'p' });
    assert.equal(await keychain('other:5000'), undefined);
  });

  it('fails with a CredentialsError when the helper is not installed', async () => {
    await assert.rejects(dockerKeychain({ config: { credHelpers: { r: 'nope' } }, env })('r'), /docker-credential-nope not found in PATH/);
  });
});
