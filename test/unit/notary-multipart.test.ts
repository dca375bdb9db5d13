/**
 * The publish body: Go mime/multipart's exact layout (golden), parsed back with an independent parser (undici's
 * FormData, as the server's Go parser would), role names checked, the boundary never inside a file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeMultipart } from '../../src/notary/client/index.ts';
import { throwsWithCode } from '../kit/index.ts';

async function parseBack(contentType: string, body: Buffer) {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  return Promise.all(
    form.getAll('files').map(async (f) => {
      assert.ok(f instanceof File, 'each part is a file');
      return { name: f.name, bytes: Buffer.from(await f.arrayBuffer()) };
    }),
  );
}

describe('encodeMultipart', () => {
  it("lays parts out exactly like Go's multipart.Writer (golden)", () => {
    const { contentType, body } = encodeMultipart(
      [
        { role: 'root', bytes: Buffer.from('{"r":1}') },
        { role: 'targets/releases', bytes: Buffer.from('{"t":2}') },
      ],
      'B0UND',
    );
    assert.equal(contentType, 'multipart/form-data; boundary=B0UND');
    assert.equal(
      body.toString('latin1'),
      '--B0UND\r\nContent-Disposition: form-data; name="files"; filename="root"\r\nContent-Type: application/octet-stream\r\n\r\n{"r":1}' +
        '\r\n--B0UND\r\nContent-Disposition: form-data; name="files"; filename="targets/releases"\r\nContent-Type: application/octet-stream\r\n\r\n{"t":2}' +
        '\r\n--B0UND--\r\n',
    );
  });

  it('round-trips through an independent multipart parser: one `files` part per role, filename = role, exact bytes', async () => {
    const binary = Buffer.from([0, 13, 10, 45, 45, 255, 0x22, 0x0a]); // NUL, CRLF, "--", 0xff, quote, LF
    const files = [
      { role: 'root', bytes: Buffer.from('{"signed":{"_type":"Root"},"signatures":[]}') },
      { role: 'targets', bytes: binary },
      { role: 'targets/releases', bytes: Buffer.from('x\r\n--not-the-boundary\r\n') },
    ];
    const { contentType, body } = encodeMultipart(files);
    assert.match(contentType, /^multipart\/form-data; boundary=[0-9a-f]{60}$/);
    assert.deepEqual(
      await parseBack(contentType, body),
      files.map((f) => ({ name: f.role, bytes: Buffer.from(f.bytes) })),
    );
  });

  it('encodes no files as just the closing boundary (notary then re-signs snapshot and timestamp)', async () => {
    const { contentType, body } = encodeMultipart([], 'B');
    assert.equal(body.toString('latin1'), '--B--\r\n');
    assert.deepEqual(await parseBack(contentType, body), []);
  });

  it('never uses a boundary that occurs in a file', () => {
    assert.throws(() => encodeMultipart([{ role: 'root', bytes: Buffer.from('..xBOUNDx..') }], 'BOUND'), RangeError);
    const { contentType, body } = encodeMultipart([{ role: 'root', bytes: Buffer.alloc(4096, 0x61) }]);
    const boundary = contentType.split('boundary=')[1]!;
    assert.equal(body.toString('latin1').split(`--${boundary}`).length, 3, 'the boundary occurs only as delimiters');
  });

  for (const role of ['', 'root.json', '../root', 'targets/../root', 'targets/', 'Targets', 'targets/a"b', 'targets/a\r\nX-Evil: 1', 'delegation']) {
    it(`refuses the role name ${JSON.stringify(role)}`, () => {
      throwsWithCode(() => encodeMultipart([{ role, bytes: Buffer.from('{}') }]), 'TRUST_DATA_INVALID');
    });
  }
});
