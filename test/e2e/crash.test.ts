/**
 * `kill -9` at random points of key generate, key rotate, policy set and a signed push, 30 times (issue #9):
 * afterwards key list, policy validate, a signed push and key rotate all succeed with nobody cleaning up, no
 * temporary file, journal or lock remains, every file is 0600 and every directory 0700.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BINARY, baseEnv, docker, dockerConfig, show, tempDir, testbed, uniqueRepo } from './harness.ts';

const tb = testbed();

/** Runs the plugin binary itself (so the signal hits trustext, not the docker CLI) and SIGKILLs it after `ms`. */
function killAfter(args: string[], env: Record<string, string>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, args, { env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Every entry under `dir`, recursively, with its mode. */
async function tree(dir: string): Promise<{ path: string; dir: boolean; mode: number }[]> {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath, e.name);
    out.push({ path, dir: e.isDirectory(), mode: (await stat(path)).mode & 0o777 });
  }
  return out;
}

describe('kill -9 at random points', { timeout: 300_000 }, () => {
  it('30 kills of generate, rotate, policy set and signed push leave a store that works untouched', async () => {
    const keys = join(await tempDir(), 'keys');
    const env = baseEnv(await dockerConfig(), {
      DOCKER_CONTENT_TRUST: '1',
      DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'crash passphrase',
      TRUSTEXT_KEYS_DIR: keys,
    });
    const repo = uniqueRepo('crash');
    const ref = (i: number) => `${tb.registry}/${repo}:t${i}`;
    const first = await docker(['trustext', 'push', ref(0)], await tagged(env, ref(0)));
    assert.equal(first.code, 0, show(first));
    const commands = [
      (i: number) => ['key', 'generate', '--dir', keys, `gen${i}`],
      () => ['key', 'rotate', 'default'],
      (i: number) => ['policy', 'set', `${tb.registry}/crash${i % 5}/**`, '--threshold', String(1 + (i % 3))],
      (i: number) => ['push', ref(i)],
    ];
    for (let i = 1; i <= 30; i++) {
      const pick = commands[i % commands.length]!;
      if (pick === commands[3]) await tagged(env, ref(i));
      // A signed push takes ~0.5 s and a rotation more: kill anywhere from start-up to the end.
      await killAfter(pick(i), env, Math.floor(Math.random() * 700));
    }
    for (const args of [
      ['trustext', 'key', 'list'],
      ['trustext', 'policy', 'validate'],
      ['trustext', 'push', ref(99)],
      ['trustext', 'key', 'rotate', 'default'],
    ]) {
      if (args[1] === 'push') await tagged(env, ref(99));
      const r = await docker(args, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${show(r)}`);
    }
    const verify = await docker(['trustext', 'verify', ref(99)], env);
    assert.equal(verify.code, 0, show(verify));
    const entries = await tree(keys);
    const left = entries.filter((e) => /\.tmp$|\.lock$|journal\.json$/.test(e.path)).map((e) => e.path);
    assert.deepEqual(left, [], 'nothing a crashed writer left remains');
    for (const e of entries) assert.equal(e.mode, e.dir ? 0o700 : 0o600, `${e.path} is ${e.mode.toString(8)}`);
  });
});

async function tagged(env: Record<string, string>, ref: string): Promise<Record<string, string>> {
  const r = await docker(['tag', tb.image, ref], env);
  assert.equal(r.code, 0, show(r));
  return env;
}
