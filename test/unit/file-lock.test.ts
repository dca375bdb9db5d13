/**
 * shared/file-lock.ts and temp-files.ts on real files and real processes: mutual exclusion across processes, locks
 * of crashed holders taken over (dead pid, reused pid, stopped heartbeat, a real kill -9), live holders waited
 * for, and what crashed writers leave behind swept away.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sweepDirectory, withFileLock } from '../../src/shared/file-lock.ts';
import { removeAbandonedTemps, tempPathFor } from '../../src/shared/temp-files.ts';
import { rejectsWithCode } from '../kit/index.ts';

const WORKER = join(import.meta.dirname, 'workers', 'lock-worker.ts');
let root: string;
let n = 0;
const fresh = async () => mkdtemp(join(root, `d${n++}-`));
const deadPid = () => spawnSync('true').pid!;
const record = (holder: object) => `${JSON.stringify(holder)}\n`;
const old = new Date(Date.now() - 3_600_000);

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'trustext-lock-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function runWorker(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, ...args], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

/** A worker process holding the lock at `path` (until killed). */
async function holder(path: string, staleMs?: string) {
  const child = spawn(process.execPath, [WORKER, path, 'hold', ...(staleMs ? [staleMs] : [])], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) resolve();
    });
    child.on('close', () => reject(new Error('the lock worker exited')));
  });
  return child;
}

describe('withFileLock', () => {
  it('serialises callers in one process: never two inside at once, the lock file gone afterwards', async () => {
    const dir = await fresh();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(join(dir, 'x.lock'), async () => {
          most = Math.max(most, ++inside);
          await sleep(1);
          inside--;
        }),
      ),
    );
    assert.equal(most, 1);
    assert.deepEqual(await readdir(dir), []);
  });

  it('serialises processes: 4 × 25 read-increment-writes of one counter lose nothing', async () => {
    const dir = await fresh();
    const counter = join(dir, 'counter');
    const codes = await Promise.all(Array.from({ length: 4 }, () => runWorker([join(dir, 'c.lock'), counter, '25'])));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    assert.equal(await readFile(counter, 'utf8'), '100');
    assert.deepEqual((await readdir(dir)).sort(), ['counter']);
  });

  it('releases the lock when the function throws', async () => {
    const dir = await fresh();
    await assert.rejects(
      withFileLock(join(dir, 'x.lock'), async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await withFileLock(join(dir, 'x.lock'), async () => 'again'), 'again');
  });

  for (const [what, holder] of [
    ['a pid that is not running', () => ({ pid: deadPid(), host: hostname() })],
    ["an older trustext's bare pid that is not running", () => deadPid()],
    ['a running pid that started at another time (reused)', () => ({ pid: process.ppid, host: hostname(), start: '1' })],
  ] as const) {
    it(`takes over a lock held by ${what}, with a notice`, async () => {
      const dir = await fresh();
      const h = holder();
      await writeFile(join(dir, 'x.lock'), typeof h === 'number' ? `${h}\n` : record(h));
      const notices: string[] = [];
      assert.equal(await withFileLock(join(dir, 'x.lock'), async () => 'mine', { timeoutMs: 200, onNotice: (l) => notices.push(l) }), 'mine');
      assert.equal(notices.length, 1);
      assert.match(notices[0]!, /taking over the lock .*x\.lock: process \d+ is no longer running/);
    });
  }

  it('takes over a lock of another host only when it is old and has been seen not to change for staleMs/2', async () => {
    const dir = await fresh();
    const path = join(dir, 'x.lock');
    await writeFile(path, record({ pid: 1, host: 'elsewhere.example', nonce: 'n1' }));
    await rejectsWithCode(
      withFileLock(path, async () => 'no', { timeoutMs: 300, staleMs: 400 }),
      'LOCK_TIMEOUT',
      /process 1 on elsewhere\.example/,
    );
    // Old by its own clock (a host whose clock is behind would look like this), but refreshed while watched: kept.
    const old = new Date(Date.now() - 120_000);
    await utimes(path, old, old);
    const touch = setInterval(() => {
      const t = new Date(Date.now() - 120_000 + Math.random() * 1000);
      void utimes(path, t, t);
    }, 50);
    await rejectsWithCode(
      withFileLock(path, async () => 'no', { timeoutMs: 600, staleMs: 400 }),
      'LOCK_TIMEOUT',
    );
    clearInterval(touch);
    await utimes(path, old, old);
    const notices: string[] = [];
    const started = Date.now();
    assert.equal(await withFileLock(path, async () => 'mine', { timeoutMs: 2000, staleMs: 400, onNotice: (l) => notices.push(l) }), 'mine');
    assert.ok(Date.now() - started >= 200, 'watched for staleMs/2 first');
    assert.match(notices.join(), /on elsewhere\.example has not refreshed it for 1\d\d s/);
  });

  it('a process in another pid namespace with the same host name is judged by its heartbeat, not its pid', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'x.lock'), record({ pid: deadPid(), host: hostname(), space: 'another-boot/pid:[1]', nonce: 'n2' }));
    await rejectsWithCode(
      withFileLock(join(dir, 'x.lock'), async () => 'no', { timeoutMs: 200 }),
      'LOCK_TIMEOUT',
    );
  });

  it('takeovers race safely: 6 processes at a lock left by a dead holder, 8 times, never two inside at once', async () => {
    for (let round = 0; round < 8; round++) {
      const dir = await fresh();
      const counter = join(dir, 'counter');
      await writeFile(join(dir, 'c.lock'), record({ pid: deadPid(), host: hostname(), nonce: `dead${round}` }));
      const codes = await Promise.all(Array.from({ length: 6 }, () => runWorker([join(dir, 'c.lock'), counter, '3'])));
      assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
      assert.equal(await readFile(counter, 'utf8'), '18', `round ${round}: no increment lost`);
    }
  });

  it('refuses to take a lock again inside its own hold (it would wait for itself)', async () => {
    const dir = await fresh();
    const path = join(dir, 'x.lock');
    await assert.rejects(
      withFileLock(path, () => withFileLock(path, async () => 'inner')),
      /already held by this call chain/,
    );
    assert.equal(await withFileLock(path, async () => 'free again'), 'free again');
  });

  it('waits for a live holder on this host and gives up with LockTimeoutError naming it', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'x.lock'), record({ pid: process.ppid, host: hostname() }));
    const started = Date.now();
    await rejectsWithCode(
      withFileLock(join(dir, 'x.lock'), async () => 'no', { timeoutMs: 200 }),
      'LOCK_TIMEOUT',
      new RegExp(`process ${process.ppid}`),
    );
    assert.ok(Date.now() - started >= 200);
  });

  it("keeps a live holder's lock fresh (heartbeat) so that it is not taken over as stale", async () => {
    const dir = await fresh();
    const path = join(dir, 'x.lock');
    const child = await holder(path, '300');
    try {
      await sleep(600);
      // The holder runs on this host and is alive; with staleMs 300 only its heartbeat keeps the lock from looking abandoned.
      await rejectsWithCode(
        withFileLock(path, async () => 'no', { timeoutMs: 400, staleMs: 300 }),
        'LOCK_TIMEOUT',
      );
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('recovers from a holder killed with SIGKILL while holding the lock', async () => {
    const dir = await fresh();
    const path = join(dir, 'x.lock');
    const child = await holder(path);
    const dead = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await dead;
    const notices: string[] = [];
    assert.equal(await withFileLock(path, async () => 'mine', { timeoutMs: 500, onNotice: (l) => notices.push(l) }), 'mine');
    assert.match(notices.join(), new RegExp(`process ${child.pid} is no longer running`));
  });
});

describe('sweeping what crashed writers left', () => {
  it('removes temporary files of gone writers and abandoned locks, keeps live ones', async () => {
    const dir = await fresh();
    const gone = join(dir, `.keys.json.${tempPathFor('x').split('.').at(-2)!.split('-')[0]}-${deadPid()}-aaaaaaaaaaaa.tmp`);
    const mine = tempPathFor(join(dir, 'policy.json'));
    const legacy = join(dir, '.keys.json.0123456789ab.tmp');
    await Promise.all([gone, mine, legacy].map((p) => writeFile(p, 'x')));
    await utimes(legacy, old, old);
    await writeFile(join(dir, 'dead.lock'), record({ pid: deadPid(), host: hostname(), nonce: 'n3' }));
    await writeFile(join(dir, 'live.lock'), record({ pid: process.ppid, host: hostname(), nonce: 'n4' }));
    // Not ours: another program's lock files, even old ones holding a dead pid, are never touched.
    await writeFile(join(dir, 'Cargo.lock'), '# This file is automatically @generated by Cargo.\n');
    await writeFile(join(dir, 'daemon.lock'), `${deadPid()}\n`);
    await utimes(join(dir, 'Cargo.lock'), old, old);
    await utimes(join(dir, 'daemon.lock'), old, old);
    assert.equal((await removeAbandonedTemps(dir)).length, 2);
    const notices: string[] = [];
    await sweepDirectory(dir, { onNotice: (l) => notices.push(l) });
    assert.deepEqual((await readdir(dir)).sort(), [mine.split('/').at(-1)!, 'live.lock', 'Cargo.lock', 'daemon.lock'].sort());
    assert.match(notices.join(), /removed the abandoned lock .*dead\.lock/);
  });

  it("sweeps only the named file's temporary files in a directory trustext does not own", async () => {
    const dir = await fresh();
    const tag = tempPathFor('x').split('.').at(-2)!.split('-')[0];
    const policyTemp = `.policy.json.${tag}-${deadPid()}-cccccccccccc.tmp`;
    const otherTemp = `.notes.txt.${tag}-${deadPid()}-dddddddddddd.tmp`;
    const lookalike = '.build.0123456789ab.tmp';
    for (const n of [policyTemp, otherTemp, lookalike]) await writeFile(join(dir, n), 'x');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, lookalike), old, old);
    await withFileLock(join(dir, 'policy.json.lock'), async () => undefined, { sweep: 'file' });
    assert.deepEqual((await readdir(dir)).sort(), [lookalike, otherTemp].sort());
  });

  it("sweeps the lock's directory when asked, once the lock is held", async () => {
    const dir = await fresh();
    const tag = tempPathFor('x').split('.').at(-2)!.split('-')[0];
    await writeFile(join(dir, `.a.${tag}-${deadPid()}-bbbbbbbbbbbb.tmp`), 'x');
    await withFileLock(join(dir, 'x.lock'), async () => undefined, { sweep: 'directory' });
    assert.deepEqual(await readdir(dir), []);
  });
});
