/**
 * Tests for the engine's progress stream: src/engine/json-stream.ts consumeJsonStream (newline-delimited
 * jsonmessage, moby pkg/jsonmessage) and src/engine/push-result.ts pushResultOf (aux PushResult or the final
 * "TAG: digest: … size: N" line).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { consumeJsonStream, type JsonMessage } from '../../src/engine/json-stream.ts';
import { pushResultOf } from '../../src/engine/push-result.ts';
import type { ProgressEvent } from '../../src/engine/engine.ts';
import { rejectsWithCode, throwsWithCode } from '../kit/index.ts';

/** Runs a stream of chunks through consumeJsonStream and collects what came out. */
async function consume(chunks: (string | Buffer)[]) {
  const events: ProgressEvent[] = [];
  const messages: JsonMessage[] = [];
  await consumeJsonStream(
    Readable.from(chunks),
    (e) => events.push(e),
    (m) => messages.push(m),
  );
  return { events, messages };
}

const push1 = '{"status":"The push refers to repository [docker.io/u/app]"}';
const layer = '{"status":"Pushing","progressDetail":{"current":512,"total":2048},"progress":"[=>   ]","id":"a1b2c3"}';
const done = '{"status":"Pushed","progressDetail":{},"id":"a1b2c3"}';

describe('consumeJsonStream: progress', () => {
  const rows: { name: string; chunks: (string | Buffer)[]; events: ProgressEvent[]; messages?: number }[] = [
    { name: 'no input', chunks: [], events: [], messages: 0 },
    { name: 'status without id', chunks: [`${push1}\n`], events: [{ status: 'The push refers to repository [docker.io/u/app]' }] },
    { name: 'id, status, current and total', chunks: [`${layer}\n`], events: [{ id: 'a1b2c3', status: 'Pushing', current: 512, total: 2048 }] },
    { name: 'empty progressDetail adds nothing', chunks: [`${done}\n`], events: [{ id: 'a1b2c3', status: 'Pushed' }] },
    {
      name: 'current without total',
      chunks: ['{"status":"Extracting","progressDetail":{"current":7},"id":"x"}\n'],
      events: [{ id: 'x', status: 'Extracting', current: 7 }],
    },
    {
      name: 'zero values are kept',
      chunks: ['{"status":"S","progressDetail":{"current":0,"total":0},"id":""}\n'],
      events: [{ id: '', status: 'S', current: 0, total: 0 }],
    },
    { name: 'empty status still reported', chunks: ['{"status":""}\n'], events: [{ status: '' }] },
    {
      name: 'several messages in one chunk',
      chunks: [`${push1}\n${layer}\n${done}\n`],
      events: [
        { status: 'The push refers to repository [docker.io/u/app]' },
        { id: 'a1b2c3', status: 'Pushing', current: 512, total: 2048 },
        { id: 'a1b2c3', status: 'Pushed' },
      ],
    },
    {
      name: 'a message split across chunks',
      chunks: [layer.slice(0, 10), layer.slice(10, 40), `${layer.slice(40)}\n`],
      events: [{ id: 'a1b2c3', status: 'Pushing', current: 512, total: 2048 }],
    },
    {
      name: 'the newline in its own chunk',
      chunks: [push1, '\n', done, '\n'],
      events: [{ status: 'The push refers to repository [docker.io/u/app]' }, { id: 'a1b2c3', status: 'Pushed' }],
    },
    {
      name: 'blank and whitespace-only lines are skipped',
      chunks: [`\n${push1}\n\n  \n\r\n`, `${done}\n\n`],
      events: [{ status: 'The push refers to repository [docker.io/u/app]' }, { id: 'a1b2c3', status: 'Pushed' }],
      messages: 2,
    },
    { name: 'CRLF line endings', chunks: [`${done}\r\n`], events: [{ id: 'a1b2c3', status: 'Pushed' }] },
    {
      name: 'a final line without newline',
      chunks: [`${push1}\n`, done],
      events: [{ status: 'The push refers to repository [docker.io/u/app]' }, { id: 'a1b2c3', status: 'Pushed' }],
    },
    {
      name: 'Buffer chunks splitting a multi-byte character',
      chunks: [Buffer.from('{"status":"caf'), Buffer.from([0xc3]), Buffer.from([0xa9]), Buffer.from('"}\n')],
      events: [{ status: 'café' }],
    },
    { name: 'messages without status are not progress', chunks: ['{"aux":{"Tag":"v1"}}\n', '{"id":"x"}\n'], events: [], messages: 2 },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { events, messages } = await consume(row.chunks);
      assert.deepEqual(events, row.events);
      assert.equal(messages.length, row.messages ?? row.events.length);
    });
  }

  it('every message reaches onMessage, as parsed', async () => {
    const aux = '{"progressDetail":{},"aux":{"Tag":"v1","Digest":"sha256:abc","Size":527}}';
    const { messages } = await consume([`${push1}\n${aux}\n`]);
    assert.deepEqual(messages, [JSON.parse(push1), JSON.parse(aux)]);
  });

  it('onMessage is optional', async () => {
    const events: ProgressEvent[] = [];
    await consumeJsonStream(Readable.from([`${done}\n`]), (e) => events.push(e));
    assert.deepEqual(events, [{ id: 'a1b2c3', status: 'Pushed' }]);
  });

  it('a byte stream (not object mode) works the same', async () => {
    const bytes = Buffer.from(`${push1}\n${layer}`);
    const stream = new Readable({
      read() {
        this.push(bytes.subarray(0, 7));
        this.push(bytes.subarray(7));
        this.push(null);
      },
    });
    const events: ProgressEvent[] = [];
    await consumeJsonStream(stream, (e) => events.push(e));
    assert.deepEqual(events, [{ status: 'The push refers to repository [docker.io/u/app]' }, { id: 'a1b2c3', status: 'Pushing', current: 512, total: 2048 }]);
  });
});

describe('consumeJsonStream: errors', () => {
  const rows: { name: string; chunks: string[]; message: string | RegExp; before: number }[] = [
    { name: 'errorDetail and error', chunks: [`${push1}\n`, '{"errorDetail":{"message":"m"},"error":"m"}\n', `${done}\n`], message: 'm', before: 1 },
    { name: 'errorDetail.message wins over error', chunks: ['{"errorDetail":{"message":"detailed"},"error":"short"}\n'], message: 'detailed', before: 0 },
    {
      name: 'error alone',
      chunks: ['{"error":"denied: requested access to the resource is denied"}\n'],
      message: 'denied: requested access to the resource is denied',
      before: 0,
    },
    { name: 'errorDetail alone', chunks: ['{"errorDetail":{"message":"unauthorized"}}\n'], message: 'unauthorized', before: 0 },
    { name: 'error in a final line without newline', chunks: [`${push1}\n{"error":"late"}`], message: 'late', before: 1 },
    { name: 'error split across chunks', chunks: ['{"errorDetail":{"mess', 'age":"split"},"error":"split"}\n'], message: 'split', before: 0 },
    { name: 'invalid JSON', chunks: [`${push1}\n`, '{"status":\n'], message: 'engine sent an unreadable progress message', before: 1 },
    { name: 'invalid JSON in the final line', chunks: ['not json'], message: 'engine sent an unreadable progress message', before: 0 },
    {
      name: 'a line over 1 MiB without newline',
      chunks: ['{"status":"', 'x'.repeat(1024 * 1024)],
      message: 'engine sent a progress message over 1048576 bytes',
      before: 0,
    },
    {
      name: 'a line over 1 MiB in bytes but not in characters',
      chunks: ['{"status":"', '\u{1F600}'.repeat(300_000)],
      message: 'engine sent a progress message over 1048576 bytes',
      before: 0,
    },
    {
      name: 'a complete line over 1 MiB in one chunk',
      chunks: [`{"status":"${'x'.repeat(1024 * 1024)}"}\n`],
      message: 'engine sent a progress message over 1048576 bytes',
      before: 0,
    },
  ];
  for (const row of rows) {
    it(`${row.name} → ENGINE_FAILED`, async () => {
      const events: ProgressEvent[] = [];
      await rejectsWithCode(
        consumeJsonStream(Readable.from(row.chunks), (e) => events.push(e)),
        'ENGINE_FAILED',
        row.message,
      );
      assert.equal(events.length, row.before, 'progress before the failure is delivered, nothing after');
    });
  }

  it('invalid JSON keeps the parse error as cause', async () => {
    const err = await rejectsWithCode(
      consumeJsonStream(Readable.from(['{oops}\n']), () => {}),
      'ENGINE_FAILED',
    );
    assert.ok(err.cause instanceof SyntaxError);
  });

  it('a long line that does end with a newline within 1 MiB is fine', async () => {
    const status = 'y'.repeat(1024 * 1024 - 20);
    const { events } = await consume([`{"status":"${status.slice(0, 1000)}`, `${status.slice(1000)}"}\n`]);
    assert.deepEqual(events, [{ status }]);
  });
});

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

describe('pushResultOf', () => {
  const rows: { name: string; tag: string; messages: JsonMessage[]; expected: { tag: string; digest: string; size: number } }[] = [
    {
      name: 'aux PushResult',
      tag: 'v1',
      messages: [{ status: 'Pushed', id: 'x' }, { aux: { Tag: 'v1', Digest: D1, Size: 527 } }],
      expected: { tag: 'v1', digest: D1, size: 527 },
    },
    {
      name: 'aux wins over the status line',
      tag: 'latest',
      messages: [{ status: `latest: digest: ${D2} size: 999` }, { aux: { Tag: 'latest', Digest: D1, Size: 527 } }],
      expected: { tag: 'latest', digest: D1, size: 527 },
    },
    {
      name: 'status line fallback',
      tag: 'latest',
      messages: [{ status: 'Pushed', id: 'x' }, { status: `latest: digest: ${D1} size: 527` }],
      expected: { tag: 'latest', digest: D1, size: 527 },
    },
    {
      name: 'aux for a different tag is ignored, status line used',
      tag: 'latest',
      messages: [{ aux: { Tag: 'other', Digest: D2, Size: 1 } }, { status: `latest: digest: ${D1} size: 527` }],
      expected: { tag: 'latest', digest: D1, size: 527 },
    },
    {
      name: 'the matching aux among several',
      tag: 'v2',
      messages: [{ aux: { Tag: 'v1', Digest: D2, Size: 1 } }, { aux: { Tag: 'v2', Digest: D1, Size: 2 } }],
      expected: { tag: 'v2', digest: D1, size: 2 },
    },
    {
      name: 'status line for a different tag is ignored',
      tag: 'v2',
      messages: [{ status: `v1: digest: ${D2} size: 1` }, { status: `v2: digest: ${D1} size: 3` }],
      expected: { tag: 'v2', digest: D1, size: 3 },
    },
    {
      name: 'aux with a non-numeric Size falls back to the status line',
      tag: 'latest',
      messages: [{ aux: { Tag: 'latest', Digest: D2, Size: '527' } }, { status: `latest: digest: ${D1} size: 527` }],
      expected: { tag: 'latest', digest: D1, size: 527 },
    },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(pushResultOf(row.tag, row.messages), row.expected));
  }

  const failing: { name: string; tag: string; messages: JsonMessage[] }[] = [
    { name: 'no messages', tag: 'latest', messages: [] },
    {
      name: 'only progress',
      tag: 'latest',
      messages: [
        { status: 'Pushed', id: 'x' },
        { status: 'Preparing', id: 'y' },
      ],
    },
    {
      name: 'aux and status for another tag only',
      tag: 'latest',
      messages: [{ aux: { Tag: 'v1', Digest: D1, Size: 1 } }, { status: `v1: digest: ${D1} size: 1` }],
    },
    { name: 'aux without a digest', tag: 'latest', messages: [{ aux: { Tag: 'latest', Size: 1 } }] },
    { name: 'status line with a short digest', tag: 'latest', messages: [{ status: 'latest: digest: sha256:abc size: 527' }] },
    { name: 'status line with an uppercase digest', tag: 'latest', messages: [{ status: `latest: digest: sha256:${'A'.repeat(64)} size: 527` }] },
    { name: 'status line with trailing text', tag: 'latest', messages: [{ status: `latest: digest: ${D1} size: 527 extra` }] },
  ];
  for (const row of failing) {
    it(`${row.name} → ENGINE_FAILED`, () => {
      throwsWithCode(() => pushResultOf(row.tag, row.messages), 'ENGINE_FAILED', `the engine did not report the digest it pushed for tag ${row.tag}`);
    });
  }
});
