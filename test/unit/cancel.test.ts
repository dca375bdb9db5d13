import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { setupCancellation, signalExitCode } from '../../src/cli/cancel.ts';
import { CancelledError } from '../../src/shared/errors.ts';
import { waitFor } from '../kit/index.ts';

/** Sends `signal` to this process and waits until it is delivered (our listener runs after setupCancellation's). */
async function sendSelf(signal: NodeJS.Signals): Promise<void> {
  const delivered = once(process, signal);
  process.kill(process.pid, signal);
  await delivered;
}
/** A grace period for checks that something does NOT happen: there is no event to wait for. */
const grace = () => new Promise((r) => setTimeout(r, 20));

describe('setupCancellation', () => {
  it('aborts with CancelledError on the first SIGINT and forces exit 130 on the third', async () => {
    const exits: number[] = [];
    const c = setupCancellation(undefined, (code) => exits.push(code));
    try {
      await sendSelf('SIGINT');
      assert.equal(c.signal.aborted, true);
      assert.ok(c.signal.reason instanceof CancelledError);
      assert.equal((c.signal.reason as CancelledError).signal, 'SIGINT');
      assert.deepEqual(exits, []);
      await sendSelf('SIGINT');
      assert.deepEqual(exits, []);
      await sendSelf('SIGINT');
      assert.deepEqual(exits, [130]);
    } finally {
      c.dispose();
    }
  });

  it('aborts with SIGTERM as the reason, exit code 143', async () => {
    const c = setupCancellation(undefined, () => {});
    try {
      await sendSelf('SIGTERM');
      assert.equal((c.signal.reason as CancelledError).signal, 'SIGTERM');
      assert.equal(signalExitCode('SIGTERM'), 143);
    } finally {
      c.dispose();
    }
  });

  it('aborts when the docker CLI closes DOCKER_CLI_PLUGIN_SOCKET (abstract @name → leading NUL)', async () => {
    const name = `docker_cli_trustext_test_${process.pid}`;
    let closeConn: () => void = () => {};
    const connected = new Promise<void>((resolve) => {
      const server = createServer((conn) => {
        closeConn = () => {
          conn.end();
          server.close();
        };
        resolve();
      });
      server.listen(`\0${name}`);
    });
    const c = setupCancellation(`@${name}`, () => {});
    try {
      await connected;
      await grace();
      assert.equal(c.signal.aborted, false, 'connecting alone does not cancel');
      const aborted = once(c.signal, 'abort');
      closeConn();
      await waitFor(aborted, 5_000);
      assert.equal(c.signal.aborted, true);
      assert.ok(c.signal.reason instanceof CancelledError);
    } finally {
      c.dispose();
    }
  });

  it('ignores a socket address nobody listens on', async () => {
    const c = setupCancellation(`@nobody_${process.pid}`, () => {});
    await grace();
    assert.equal(c.signal.aborted, false);
    c.dispose();
  });

  it('removes its signal handlers on dispose', () => {
    const before = process.listenerCount('SIGINT');
    const c = setupCancellation(undefined, () => {});
    assert.equal(process.listenerCount('SIGINT'), before + 1);
    c.dispose();
    assert.equal(process.listenerCount('SIGINT'), before);
  });
});
