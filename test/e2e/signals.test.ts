import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../kit/index.ts';
import { BINARY, DOCKER, baseEnv, docker, dockerConfig, run, show, testbed } from './harness.ts';

/** A "registry" that accepts connections and never answers: every push to it hangs until cancelled. */
function stallingRegistry(): Promise<{ server: Server; port: number; sockets: Set<Socket>; accepted: () => number }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.resume();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, port: (server.address() as { port: number }).port, sockets, accepted: () => accepted });
    }),
  );
}

describe('cancellation', () => {
  const tb = testbed();
  let stall: Awaited<ReturnType<typeof stallingRegistry>>;
  before(async () => {
    stall = await stallingRegistry();
  });
  after(() => {
    for (const s of stall.sockets) s.destroy();
    stall.server.close();
  });

  async function hangingPush(cmd: string, args: string[], env: Record<string, string>, signal: NodeJS.Signals) {
    let pid = 0;
    const started = Date.now();
    const before = stall.accepted();
    const reached = once(stall.server, 'connection');
    const pending = run(cmd, args, {
      env,
      timeoutMs: 60_000,
      onSpawn: (p) => {
        pid = p;
      },
    });
    // Wait until the engine is connected to the stalling registry, i.e. the push is really in flight.
    await waitFor(reached, 20_000);
    assert.ok(stall.accepted() > before && pid > 0, 'the push reached the stalling registry');
    process.kill(pid, signal);
    const result = await pending;
    return { result, seconds: (Date.now() - started) / 1000 };
  }

  it('stops a hanging push when the docker CLI gets SIGINT (it closes the plugin socket) and exits 130', async () => {
    const env = baseEnv(await dockerConfig());
    const ref = `127.0.0.1:${stall.port}/e2e/stalled:1`;
    assert.equal((await docker(['tag', tb.image, ref], env)).code, 0);
    const { result, seconds } = await hangingPush(DOCKER, ['trustext', 'push', ref], env, 'SIGINT');
    assert.equal(result.code, 130, show(result));
    assert.match(result.stderr, /^cancelled by SIGINT$/m);
    assert.ok(seconds < 30, `cancelled promptly (${seconds}s)`);
  });

  it('stops on SIGTERM when run directly and exits 143', async () => {
    const env = baseEnv(await dockerConfig());
    const ref = `127.0.0.1:${stall.port}/e2e/stalled:2`;
    await docker(['tag', tb.image, ref], env);
    const { result } = await hangingPush(BINARY, ['push', ref], env, 'SIGTERM');
    assert.equal(result.code, 143, show(result));
    assert.match(result.stderr, /^cancelled by SIGTERM$/m);
  });
});
