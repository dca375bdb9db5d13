/**
 * The registry client against in-process servers that do what the test bed's real registry never does: oversized
 * and endless bodies, content that does not match the digest asked for, Docker-Content-Digest headers that
 * contradict what we PUT, malformed error bodies, redirects to another origin and redirect loops, Link pagination
 * (distribution 2.8 does not paginate tags), odd upload ranges, stalls to abort, and closed ports.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { OCI_INDEX, OCI_MANIFEST } from '../../src/manifest/index.ts';
import { RegistryClient, sha256Digest, type RegistryClientOptions } from '../../src/registry/index.ts';
import { createNodeTransport, DEFAULT_RETRY, type Keychain, type Transport } from '../../src/http/index.ts';
import type { RegistryErrorCode } from '../../src/shared/errors.ts';
import { rejectsWithCode, waitFor } from '../kit/index.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
type Handler = (req: Received, res: ServerResponse) => void | Promise<void>;

const servers: { close(): void }[] = [];
after(() => {
  for (const s of servers) s.close();
});

/** An in-process HTTP server on 127.0.0.1 (plain http is what the client uses for loopback) that records requests. */
async function serve(
  handler: Handler,
): Promise<{ host: string; origin: string; received: Received[]; closed: () => number; whenClosed: (n: number) => Promise<void> }> {
  const received: Received[] = [];
  let closedResponses = 0;
  const closes = new EventEmitter();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
    received.push(r);
    res.on('close', () => {
      closedResponses++;
      closes.emit('close');
    });
    await handler(r, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const whenClosed = async (n: number) => {
    while (closedResponses < n) await once(closes, 'close');
  };
  return { host, origin: `http://${host}`, received, closed: () => closedResponses, whenClosed };
}

const anonymous: Keychain = async () => undefined;
/** A client with the production transport, retrying as by default but with 5 ms waits so tests stay fast. */
const client = (options: Partial<RegistryClientOptions> = {}) =>
  new RegistryClient({
    keychain: anonymous,
    userAgent: 'trustext/test',
    http: { retry: { ...DEFAULT_RETRY, baseDelayMs: 5 } },
    ...options,
  });
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] }));
const digest = sha256Digest(manifest);

describe('oversized responses', { timeout: 60_000 }, () => {
  it('refuses a manifest whose Content-Length exceeds the limit, without reading it', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(5 << 20) });
      res.write(Buffer.alloc(1024));
    });
    await rejectsWithCode(
      client().getManifest({ domain: s.host, path: 'a/b' }, 'v1'),
      'REGISTRY_INVALID_RESPONSE',
      /the response of 5242880 bytes exceeds the limit of 4194304 bytes/,
    );
  });

  it('stops reading an endless chunked body at the limit and drops the connection', async () => {
    let written = 0;
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      const pump = () => {
        while (!res.destroyed && written < 1 << 30) {
          written += 16384;
          if (!res.write(Buffer.alloc(16384, 0x20))) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    await rejectsWithCode(
      client({ limits: { manifestBytes: 64 << 10 } }).getManifest({ domain: s.host, path: 'a/b' }, 'v1'),
      'REGISTRY_INVALID_RESPONSE',
      /exceeds the limit of 65536 bytes/,
    );
    await waitFor(s.whenClosed(1), 5_000);
    assert.equal(s.closed(), 1, 'the server saw the connection close');
    assert.ok(written < 64 << 20, `the server could write only ${written} bytes`);
  });

  it('bounds blobs by maxBytes', async () => {
    const blob = Buffer.alloc(2000, 1);
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end(blob);
    });
    await rejectsWithCode(client().getBlob({ domain: s.host, path: 'a/b' }, sha256Digest(blob), 1999), 'REGISTRY_INVALID_RESPONSE');
    assert.deepEqual(await client().getBlob({ domain: s.host, path: 'a/b' }, sha256Digest(blob), 2000), blob);
  });
});

describe('lying registries', { timeout: 60_000 }, () => {
  const other = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [], evil: true }));

  it('refuses a manifest fetched by digest whose bytes hash to something else', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': digest });
      res.end(other);
    });
    const e = await rejectsWithCode(client().getManifest({ domain: s.host, path: 'a/b' }, digest), 'REGISTRY_INVALID_RESPONSE');
    assert.ok(e.message.includes(`the registry sent content with digest ${sha256Digest(other)}`), e.message);
    assert.ok(e.message.startsWith(`getting manifest ${s.host}/a/b@${digest}: `), e.message);
  });

  it('by tag, returns the digest of the bytes received and ignores Docker-Content-Digest', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': digest });
      res.end(other);
    });
    const got = await client().getManifest({ domain: s.host, path: 'a/b' }, 'v1');
    assert.equal(got.digest, sha256Digest(other));
    assert.notEqual(got.digest, digest);
  });

  it('refuses a blob whose bytes do not match its digest', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end(other);
    });
    await rejectsWithCode(client().getBlob({ domain: s.host, path: 'a/b' }, digest), 'REGISTRY_INVALID_RESPONSE');
  });

  const puts: { name: string; header?: string; code?: RegistryErrorCode }[] = [
    { name: 'a different digest', header: sha256Digest(other), code: 'REGISTRY_INVALID_RESPONSE' },
    { name: 'a malformed digest', header: 'sha256:zzz', code: 'REGISTRY_INVALID_RESPONSE' },
    { name: 'the right digest', header: digest },
    { name: 'no header' },
  ];
  for (const row of puts) {
    it(`PUT manifest answered with ${row.name}${row.code ? ' is a lie' : ' is fine'}`, async () => {
      const s = await serve((_req, res) => {
        res.writeHead(201, row.header ? { 'docker-content-digest': row.header } : {});
        res.end();
      });
      const put = client().putManifest({ domain: s.host, path: 'a/b' }, 'v1', manifest, OCI_MANIFEST);
      if (row.code) await rejectsWithCode(put, row.code, /the registry reports digest/);
      else assert.equal(await put, digest);
      assert.equal(s.received[0]!.headers['content-type'], OCI_MANIFEST);
      assert.deepEqual(s.received[0]!.body, manifest);
    });
  }

  it('refuses a blob upload the registry acknowledges under another digest', async () => {
    const s = await serve((req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(404);
        res.end();
        return;
      }
      if (req.method === 'POST') {
        res.writeHead(202, { location: '/v2/a/b/blobs/uploads/u1?_state=x' });
        res.end();
        return;
      }
      res.writeHead(201, { 'docker-content-digest': sha256Digest(other) });
      res.end();
    });
    await rejectsWithCode(client().uploadBlob({ domain: s.host, path: 'a/b' }, manifest, digest), 'REGISTRY_INVALID_RESPONSE');
    const put = s.received.at(-1)!;
    assert.equal(put.method, 'PUT');
    assert.equal(put.url, `/v2/a/b/blobs/uploads/u1?_state=x&digest=${encodeURIComponent(digest)}`);
  });

  const types: { name: string; contentType?: string; body: Buffer; accept?: string[]; want?: string }[] = [
    { name: 'an unrequested media type is refused', contentType: OCI_INDEX, body: manifest, accept: [OCI_MANIFEST] },
    { name: 'no media type at all is refused', body: Buffer.from('{}') },
    { name: 'application/json falls back to the mediaType field', contentType: 'application/json; charset=utf-8', body: manifest, want: OCI_MANIFEST },
    { name: 'parameters are dropped', contentType: `${OCI_MANIFEST}; charset=utf-8`, body: manifest, want: OCI_MANIFEST },
  ];
  for (const row of types) {
    it(`media types: ${row.name}`, async () => {
      const s = await serve((_req, res) => {
        res.writeHead(200, row.contentType ? { 'content-type': row.contentType } : {});
        res.end(row.body);
      });
      const get = client().getManifest({ domain: s.host, path: 'a/b' }, 'v1', row.accept);
      if (row.want) assert.equal((await get).mediaType, row.want);
      else await rejectsWithCode(get, 'REGISTRY_INVALID_RESPONSE', /unexpected media type/);
    });
  }
});

describe('malformed and hostile error bodies', { timeout: 60_000 }, () => {
  const rows: { name: string; status: number; body: string | Buffer; code: RegistryErrorCode; codes: string[]; message?: RegExp }[] = [
    {
      name: 'html from a proxy',
      status: 502,
      body: '<html><body>Bad Gateway</body></html>',
      code: 'REGISTRY_FAILED',
      codes: [],
      message: /: 502 bad gateway \(gave up after 3 attempts\)$/,
    },
    { name: 'json without errors', status: 404, body: '{"message":"nope"}', code: 'REGISTRY_NOT_FOUND', codes: [] },
    { name: 'errors that are not an array', status: 403, body: '{"errors":{"code":"DENIED"}}', code: 'REGISTRY_UNAUTHORIZED', codes: [] },
    { name: 'truncated json', status: 400, body: '{"errors":[{"code":"NAME_UNKNOWN"', code: 'REGISTRY_FAILED', codes: [] },
    {
      name: 'a not-found code on a 400',
      status: 400,
      body: '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"}]}',
      code: 'REGISTRY_NOT_FOUND',
      codes: ['NAME_UNKNOWN'],
    },
    {
      name: 'multi-line text with a token in it',
      status: 500,
      body: '{"errors":[{"code":"UNKNOWN","message":"failed\\nAuthorization: Bearer abc.def\\r\\nmore"}]}',
      code: 'REGISTRY_FAILED',
      codes: ['UNKNOWN'],
      message: /: 500 internal server error: failed Authorization: Bearer \[redacted\] more \(gave up after 3 attempts\)$/,
    },
    { name: 'a 10 MiB body (only 64 KiB are read)', status: 500, body: Buffer.alloc(10 << 20, 0x41), code: 'REGISTRY_FAILED', codes: [] },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const s = await serve((_req, res) => {
        res.writeHead(row.status, { 'content-type': 'application/json' });
        res.end(row.body);
      });
      const e = await rejectsWithCode(client().getManifest({ domain: s.host, path: 'a/b' }, 'v1'), row.code);
      assert.equal(e.status, row.status);
      assert.deepEqual(e.registryCodes, row.codes);
      assert.ok(e.message.startsWith(`getting manifest ${s.host}/a/b:v1: ${row.status} `), e.message);
      assert.ok(e.message.length < 400, 'short');
      if (row.message) assert.match(e.message, row.message);
    });
  }
});

describe('redirects', { timeout: 60_000 }, () => {
  const blob = Buffer.from('blob bytes');
  const blobDigest = sha256Digest(blob);
  const creds: Keychain = async () => ({ username: 'u', password: 'p4ssw0rd' });
  const basic = `Basic ${Buffer.from('u:p4ssw0rd').toString('base64')}`;

  it('drops Authorization when a blob GET is redirected to another origin, and keeps it on the same origin', async () => {
    const storage = await serve((_req, res) => {
      res.writeHead(200);
      res.end(blob);
    });
    const registry = await serve((req, res) => {
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' });
        res.end();
        return;
      }
      if (req.url.startsWith('/v2/a/b/blobs/')) {
        res.writeHead(307, { location: '/internal/redirected' });
        res.end();
        return;
      }
      res.writeHead(302, { location: `${storage.origin}/bucket/blob?X-Amz-Signature=sig` });
      res.end();
    });
    assert.deepEqual(await client({ keychain: creds }).getBlob({ domain: registry.host, path: 'a/b' }, blobDigest), blob);
    assert.deepEqual(
      registry.received.map((r) => [r.url, r.headers.authorization]),
      [
        [`/v2/a/b/blobs/${blobDigest}`, undefined],
        [`/v2/a/b/blobs/${blobDigest}`, basic],
        ['/internal/redirected', basic],
      ],
    );
    assert.equal(storage.received.length, 1);
    assert.equal(storage.received[0]!.url, '/bucket/blob?X-Amz-Signature=sig');
    assert.equal(storage.received[0]!.headers.authorization, undefined, 'credentials stay with their origin');
    assert.equal(storage.received[0]!.headers['user-agent'], 'trustext/test');
  });

  it('gives up after 10 redirects', async () => {
    const s = await serve((req, res) => {
      res.writeHead(302, { location: `${req.url}x` });
      res.end();
    });
    await rejectsWithCode(client().getBlob({ domain: s.host, path: 'a/b' }, blobDigest), 'REGISTRY_INVALID_RESPONSE', /more than 10 redirects/);
    assert.equal(s.received.length, 11);
  });

  it('refuses to follow a redirect to plain http on a host that is neither loopback nor insecure', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(307, { location: 'http://storage.example.com/blob?sig=1' });
      res.end();
    });
    const hosts: string[] = [];
    const inner = createNodeTransport();
    const transport: Transport = (req) => {
      hosts.push(req.url.origin);
      return inner(req);
    };
    const e = await rejectsWithCode(client({ transport }).getBlob({ domain: s.host, path: 'a/b' }, blobDigest), 'REGISTRY_INVALID_RESPONSE');
    assert.match(e.message, /refusing to send a request to http:\/\/storage\.example\.com\/blob over plain http/);
    assert.doesNotMatch(e.message, /sig=1/);
    assert.deepEqual(hosts, [`https://${s.host}`, s.origin], 'the https probe and the request; nothing to storage');
  });
});

describe('tag pagination', { timeout: 60_000 }, () => {
  const all = ['a', 'b', 'c', 'd', 'e'];
  /** Pages like distribution v3: `n` tags after `last`, and a relative Link to the next page while more remain. */
  const paging: Handler = (req, res) => {
    const url = new URL(req.url, 'http://x');
    const n = Number(url.searchParams.get('n') ?? 100);
    const last = url.searchParams.get('last');
    const from = last ? all.indexOf(last) + 1 : 0;
    const tags = all.slice(from, from + n);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (from + n < all.length) headers.link = `<${url.pathname}?n=${n}&last=${tags.at(-1)}>; rel="next"`;
    res.writeHead(200, headers);
    res.end(JSON.stringify({ name: 'a/b', tags }));
  };

  it('follows Link rel="next" to the end', async () => {
    const s = await serve(paging);
    assert.deepEqual(await client().listTags({ domain: s.host, path: 'a/b' }, { pageSize: 2 }), all);
    assert.deepEqual(
      s.received.map((r) => r.url),
      ['/v2/a/b/tags/list?n=2', '/v2/a/b/tags/list?n=2&last=b', '/v2/a/b/tags/list?n=2&last=d'],
    );
  });

  const bad: { name: string; link: (origin: string) => string; body?: string; message: RegExp }[] = [
    { name: 'a Link back to the same page', link: () => '</v2/a/b/tags/list?n=2>; rel="next"', message: /pagination does not end/ },
    { name: 'a Link to another origin', link: () => '<http://127.0.0.2:9/v2/a/b/tags/list?last=z>; rel="next"', message: /continues on another host/ },
    { name: 'tags that are not strings', link: () => '', body: '{"tags":[1,2]}', message: /non-string tags/ },
    { name: 'a page that is not json', link: () => '', body: 'tags: a, b', message: /not json/ },
  ];
  for (const row of bad) {
    it(`refuses ${row.name}`, async () => {
      const s = await serve((_req, res) => {
        const link = row.link('');
        res.writeHead(200, link ? { link } : {});
        res.end(row.body ?? '{"tags":["a"]}');
      });
      await rejectsWithCode(client().listTags({ domain: s.host, path: 'a/b' }, { pageSize: 2 }), 'REGISTRY_INVALID_RESPONSE', row.message);
    });
  }

  it('treats "tags": null as no tags', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end('{"name":"a/b","tags":null}');
    });
    assert.deepEqual(await client().listTags({ domain: s.host, path: 'a/b' }), []);
  });
});

describe('chunked uploads', { timeout: 60_000 }, () => {
  const blob = Buffer.alloc(10_000, 7);
  const blobDigest = sha256Digest(blob);

  function uploader(range: (end: number) => string, extra: Record<string, string> = {}): Handler {
    let stored = 0;
    return (req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(404);
        res.end();
        return;
      }
      if (req.method === 'POST') {
        res.writeHead(202, { location: '/v2/a/b/blobs/uploads/u1', ...extra });
        res.end();
        return;
      }
      if (req.method === 'PATCH') {
        stored += req.body.length;
        res.writeHead(202, { location: `/v2/a/b/blobs/uploads/u1?part=${stored}`, range: range(stored - 1) });
        res.end();
        return;
      }
      res.writeHead(201, { 'docker-content-digest': blobDigest });
      res.end();
    };
  }

  it('honours OCI-Chunk-Min-Length and follows each new Location', async () => {
    const s = await serve(uploader((end) => `0-${end}`, { 'oci-chunk-min-length': '6000' }));
    await client({ upload: { chunkThresholdBytes: 100, chunkBytes: 4096 } }).uploadBlob({ domain: s.host, path: 'a/b' }, blob, blobDigest);
    assert.deepEqual(
      s.received.map((r) => `${r.method} ${r.url} ${r.headers['content-range'] ?? ''}`),
      [
        `HEAD /v2/a/b/blobs/${blobDigest} `,
        'POST /v2/a/b/blobs/uploads/ ',
        'PATCH /v2/a/b/blobs/uploads/u1 0-5999',
        'PATCH /v2/a/b/blobs/uploads/u1?part=6000 6000-9999',
        `PUT /v2/a/b/blobs/uploads/u1?part=10000&digest=${encodeURIComponent(blobDigest)} `,
      ],
    );
    assert.equal(s.received.at(-1)!.body.length, 0);
    assert.deepEqual(Buffer.concat(s.received.filter((r) => r.method === 'PATCH').map((r) => r.body)), blob);
  });

  it('refuses a registry that says it holds a different range', async () => {
    const s = await serve(uploader((end) => `0-${end - 1}`));
    await rejectsWithCode(
      client({ upload: { chunkThresholdBytes: 100, chunkBytes: 4096 } }).uploadBlob({ domain: s.host, path: 'a/b' }, blob, blobDigest),
      'REGISTRY_INVALID_RESPONSE',
      /holds "0-4094" after a chunk ending at 4095/,
    );
  });

  it('refuses a 202 without a Location', async () => {
    const s = await serve((req, res) => {
      res.writeHead(req.method === 'HEAD' ? 404 : 202);
      res.end();
    });
    await rejectsWithCode(client().uploadBlob({ domain: s.host, path: 'a/b' }, blob, blobDigest), 'REGISTRY_INVALID_RESPONSE', /did not say where to upload/);
  });
});

describe('aborting and unreachable registries', { timeout: 60_000 }, () => {
  it('rejects with the signal’s reason when the registry never answers', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const reason = new Error('stop now');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    await assert.rejects(client().getManifest({ domain: s.host, path: 'a/b' }, 'v1', undefined, { signal: controller.signal }), (err) => err === reason);
    assert.ok(Date.now() - started < 5000);
    await waitFor(s.whenClosed(1), 5_000);
    assert.equal(s.closed(), 1, 'the connection was closed');
  });

  it('rejects with the signal’s reason in the middle of a body', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      res.write('{"schemaVersion":');
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      client().getBlob({ domain: s.host, path: 'a/b' }, digest, undefined, { signal: controller.signal }),
      (err) => err === controller.signal.reason && (err as Error).name === 'AbortError',
    );
  });

  it('sends nothing when the signal is already aborted', async () => {
    const s = await serve((_req, res) => {
      res.end();
    });
    const reason = new Error('already');
    await assert.rejects(client().listTags({ domain: s.host, path: 'a/b' }, { signal: AbortSignal.abort(reason) }), (err) => err === reason);
    assert.equal(s.received.length, 0);
  });

  it('gives up on a registry that accepts the connection and then says nothing, as REGISTRY_UNREACHABLE', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const transport = createNodeTransport({ idleTimeoutMs: 200 });
    const started = Date.now();
    await rejectsWithCode(
      client({ transport }).getManifest({ domain: s.host, path: 'a/b' }, 'v1'),
      'REGISTRY_UNREACHABLE',
      `getting manifest ${s.host}/a/b:v1: cannot reach ${s.host}: etimedout`,
    );
    assert.ok(Date.now() - started < 5000);
  });

  it('gives up on a body that stops half way', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      res.write('{"schemaVersion":');
    });
    const transport = createNodeTransport({ idleTimeoutMs: 200 });
    await rejectsWithCode(
      client({ transport }).getManifest({ domain: s.host, path: 'a/b' }, 'v1'),
      'REGISTRY_UNREACHABLE',
      /connection lost while reading the response/,
    );
  });

  it('reports a closed port as REGISTRY_UNREACHABLE', async () => {
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(s.address() as AddressInfo).port}`;
    await new Promise((resolve) => s.close(resolve));
    const e = await rejectsWithCode(client().getManifest({ domain: host, path: 'a/b' }, 'v1'), 'REGISTRY_UNREACHABLE');
    assert.equal(e.message, `getting manifest ${host}/a/b:v1: cannot reach ${host}: econnrefused (gave up after 3 attempts)`);
    assert.equal((e.cause as NodeJS.ErrnoException).code, 'ECONNREFUSED');
  });
});
