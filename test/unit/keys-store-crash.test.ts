/**
 * The key store survives `kill -9` at every write of every multi-file change: a real process (workers/
 * store-crash-worker.ts) is killed at its K-th write, both between writing a temporary file and renaming it and
 * right after a write, and the next process finds a whole store — the change done or undone, never half — with
 * no temporary files, journal or lock left once it has taken the lock, modes intact, and rotation working.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileKeyStore } from '../../src/keys/index.ts';

const WORKER = join(import.meta.dirname, 'workers', 'store-crash-worker.ts');
const PASS = 'crash test passphrase';
/** How many writes each change makes: journal, files, index. */
const WRITES = { rotate: 6, add: 4, remove: 2 } as const;
let root: string;
let template: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'trustext-store-crash-'));
  template = join(root, 'template');
  await new FileKeyStore(template).create('release', PASS, { scopes: ['reg.example/**'] });
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function crash(dir: string, op: string, k: number, mode: string): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, dir, op, String(k), mode], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}

/** The store after a crash: consistent for `op`, and clean once a change has taken the lock. */
async function checkStore(dir: string, op: keyof typeof WRITES): Promise<void> {
  const store = new FileKeyStore(dir, { lock: { timeoutMs: 2000 } });
  const names = (await store.list()).map((e) => e.name);
  const files = await readdir(dir);
  if (op === 'add') {
    if (names.includes('fresh')) assert.ok(await store.signer('fresh', PASS));
    else assert.ok(!files.some((f) => f.startsWith('fresh.')), `no stray key files: ${files}`);
  }
  if (op === 'remove') {
    if (names.includes('release')) assert.ok(await store.signer('release', PASS));
    else assert.ok(!files.some((f) => f.startsWith('release.')), `no stray key files: ${files}`);
  }
  if (op === 'rotate') {
    const retired = names.filter((n) => n.startsWith('release.'));
    assert.ok(retired.length <= 1);
    assert.equal(files.filter((f) => /^release\.[0-9a-f]{12}\./.test(f)).length, retired.length * 2, `copies match the index: ${files}`);
    const live = await store.get('release');
    assert.equal((await store.signer('release', PASS)).keyId, live.id);
  }
  await store.importPublic('probe', probePem()); // any change takes the lock, which recovers and sweeps
  const after = await readdir(dir);
  assert.deepEqual(
    after.filter((f) => f.endsWith('.tmp') || f.endsWith('.lock') || f === 'journal.json'),
    [],
    `left behind: ${after}`,
  );
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  for (const f of after) assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600, f);
  if (names.includes('release')) await store.rotate('release', PASS, PASS);
}

function probePem(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

describe('key store: kill -9 at every write', { concurrency: 4 }, () => {
  for (const op of ['rotate', 'add', 'remove'] as const) {
    for (let k = 1; k <= WRITES[op]; k++) {
      for (const mode of ['temp', 'after']) {
        it(`${op}, killed at write ${k} (${mode === 'temp' ? 'before its rename' : 'after it'})`, async () => {
          const dir = join(root, `${op}-${k}-${mode}`);
          await cp(template, dir, { recursive: true });
          const r = await crash(dir, op, k, mode);
          assert.equal(r.signal, 'SIGKILL', `the worker was killed at write ${k} (exit ${r.code})`);
          await checkStore(dir, op);
        });
      }
    }
  }
});
