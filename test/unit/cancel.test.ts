import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { setupCancellation, signalExitCode } from '../../src/cli/cancel.ts';
import { CancelledError } from '../../src/shared/errors.ts';

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('setupCancellation', () => {
  it('aborts with CancelledError on the first SIGINT and forces exit 130 on the third', async () => {
    const exits: number[] = [];
    const c = setupCancellation({}, (code) => exits.push(code));
    try {
      process.kill(process.pid, 'SIGINT');
      await tick();
      assert.equal(c.signal.aborted, true);
      assert.ok(c.signal.reason instanceof CancelledError);
      assert.equal((c.signal.reason as CancelledError).signal, 'SIGINT');
      assert.deepEqual(exits, []);
      process.kill(process.pid, 'SIGINT');
      await tick();
      assert.deepEqual(exits, []);
      process.kill(process.pid, 'SIGINT');
      await tick();
      assert.deepEqual(exits, [130]);
    } finally {
      c.dispose();
    }
  });

  it('aborts with SIGTERM as the reason, exit code 143', async () => {
    const c = setupCancellation({}, () => {});
    try {
      process.kill(process.pid, 'SIGTERM');
      await tick();
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
    const c = setupCancellation({ DOCKER_CLI_PLUGIN_SOCKET: `@${name}` }, () => {});
    try {
      await connected;
      await tick();
      assert.equal(c.signal.aborted, false, 'connecting alone does not cancel');
      closeConn();
      await tick();
      assert.equal(c.signal.aborted, true);
      assert.ok(c.signal.reason instanceof CancelledError);
    } finally {
      c.dispose();
    }
  });

  it('ignores a socket address nobody listens on', async () => {
    const c = setupCancellation({ DOCKER_CLI_PLUGIN_SOCKET: `@nobody_${process.pid}` }, () => {});
    await tick();
    assert.equal(c.signal.aborted, false);
    c.dispose();
  });

  it('removes its signal handlers on dispose', () => {
    const before = process.listenerCount('SIGINT');
    const c = setupCancellation({}, () => {});
    assert.equal(process.listenerCount('SIGINT'), before + 1);
    c.dispose();
    assert.equal(process.listenerCount('SIGINT'), before);
  });
});
