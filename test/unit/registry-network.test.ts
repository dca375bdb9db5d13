/**
 * The registry client's own transport against in-process servers that misbehave the way real networks do:
 * connections reset, 503 and 429 answers (retried with backoff, Retry-After honoured, never for POST, never past
 * the deadline or the caller's abort), and bodies that drip (the overall deadline and the low-speed rule).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { OCI_MANIFEST } from '../../src/manifest/index.ts';
import { RegistryClient, sha256Digest } from '../../src/registry/index.ts';
import { createNodeTransport, DEFAULT_RETRY, type HttpSettings, type RetryPolicy, type TransportResponse } from '../../src/http/index.ts';
import { retryAfterMs, retryDelayMs } from '../../src/http/retry.ts';
import { RegistryError, type RegistryErrorCode } from '../../src/shared/errors.ts';
import { rejectsWithCode } from '../kit/index.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
const servers: (() => void)[] = [];
after(() => {
  for (const close of servers) close();
});

/** An http server on 127.0.0.1; `n` counts the requests it has seen (1 for the first). */
async function serve(handler: Handler): Promise<{ host: string; requests: () => string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    handler(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => [...seen] };
}

const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] }));
const ok = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': OCI_MANIFEST });
  res.end(manifest);
};
const status =
  (code: number, headers: Record<string, string> = {}) =>
  (res: ServerResponse) => {
    res.writeHead(code, headers);
    res.end();
  };
const fast: RetryPolicy = { ...DEFAULT_RETRY, baseDelayMs: 5 };
const client = (http: Partial<HttpSettings> = { retry: fast }) => new RegistryClient({ keychain: async () => undefined, userAgent: 'trustext/test', http });
const repo = (host: string) => ({ domain: host, path: 'a/b' });

describe('retries', { timeout: 60_000 }, () => {
  it('gets past a reset connection and a 503: three attempts, the third answered', async () => {
    const s = await serve((req, res, n) => (n === 1 ? req.socket.destroy() : n === 2 ? status(503)(res) : ok(res)));
    const got = await client().getManifest(repo(s.host), 'v1');
    assert.equal(got.digest, sha256Digest(manifest));
    assert.deepEqual(s.requests(), Array(3).fill('GET /v2/a/b/manifests/v1'));
  });

  const giveUp: { name: string; handler: Handler; code: RegistryErrorCode; message: RegExp }[] = [
    { name: 'always 503', handler: (_q, res) => status(503)(res), code: 'REGISTRY_FAILED', message: /: 503 service unavailable \(gave up after 3 attempts\)$/ },
    {
      name: 'always 429',
      handler: (_q, res) => status(429, { 'retry-after': '0' })(res),
      code: 'REGISTRY_FAILED',
      message: /: 429 too many requests \(gave up after 3 attempts\)$/,
    },
    {
      name: 'always reset',
      handler: (req) => req.socket.destroy(),
      code: 'REGISTRY_UNREACHABLE',
      message: /: cannot reach 127\.0\.0\.1:\d+: econnreset \(gave up after 3 attempts\)$/,
    },
  ];
  for (const row of giveUp) {
    it(`gives up on ${row.name} after three attempts and says so`, async () => {
      const s = await serve(row.handler);
      await rejectsWithCode(client().getManifest(repo(s.host), 'v1'), row.code, row.message);
      assert.equal(s.requests().length, 3);
    });
  }

  const once: { name: string; handler: Handler; run: (c: RegistryClient, host: string) => Promise<unknown> }[] = [
    { name: 'a 404', handler: (_q, res) => status(404)(res), run: (c, h) => c.getManifest(repo(h), 'v1') },
    { name: 'a 400', handler: (_q, res) => status(400)(res), run: (c, h) => c.getManifest(repo(h), 'v1') },
    {
      name: 'a POST that got a 503 (uploads are not idempotent)',
      handler: (req, res) => (req.method === 'HEAD' ? status(404)(res) : status(503)(res)),
      run: (c, h) => c.uploadBlob(repo(h), manifest, sha256Digest(manifest)),
    },
    {
      name: 'a body that breaks off once it is being read',
      handler: (_q, res) => {
        res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(manifest.length) });
        res.write(manifest.subarray(0, 10));
        setTimeout(() => res.socket?.destroy(), 20);
      },
      run: (c, h) => c.getManifest(repo(h), 'v1'),
    },
  ];
  for (const row of once) {
    it(`tries ${row.name} once`, async () => {
      const s = await serve(row.handler);
      await assert.rejects(row.run(client(), s.host), RegistryError);
      assert.equal(s.requests().filter((r) => !r.startsWith('HEAD')).length, 1, s.requests().join(', '));
    });
  }

  it('honours Retry-After instead of its own backoff (a 60 s base delay is never waited for)', async () => {
    const s = await serve((_q, res, n) => (n === 1 ? status(503, { 'retry-after': '0' })(res) : ok(res)));
    const started = Date.now();
    await client({ retry: { ...DEFAULT_RETRY, baseDelayMs: 60_000 } }).getManifest(repo(s.host), 'v1');
    assert.ok(Date.now() - started < 10_000);
  });

  it('caps a long Retry-After at maxDelayMs', async () => {
    const s = await serve((_q, res, n) => (n === 1 ? status(429, { 'retry-after': '3600' })(res) : ok(res)));
    await client({ retry: { ...DEFAULT_RETRY, maxDelayMs: 10 } }).getManifest(repo(s.host), 'v1');
    assert.equal(s.requests().length, 2);
  });

  it('does not retry past the deadline: a wait that would end after it is not started', async () => {
    const s = await serve((_q, res) => status(503)(res));
    const started = Date.now();
    await rejectsWithCode(
      client({ retry: { ...DEFAULT_RETRY, baseDelayMs: 5_000 }, timeoutMs: 1_000 }).getManifest(repo(s.host), 'v1'),
      'REGISTRY_FAILED',
      /: 503 service unavailable$/,
    );
    assert.equal(s.requests().length, 1);
    assert.ok(Date.now() - started < 5_000);
  });

  it('stops waiting as soon as the caller aborts, with the signal’s reason', async () => {
    const s = await serve((_q, res) => status(503)(res));
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await assert.rejects(
      client({ retry: { ...DEFAULT_RETRY, baseDelayMs: 60_000 } }).getManifest(repo(s.host), 'v1', undefined, { signal: controller.signal }),
      (e) => e === reason,
    );
    assert.ok(Date.now() - started < 5_000, 'not after the (10 s, capped) wait');
    assert.equal(s.requests().length, 1);
  });

  it('retries a token server that is briefly unavailable', async () => {
    let token = 0;
    const s = await serve((req, res) => {
      if (req.url!.startsWith('/token')) {
        if (++token === 1) status(503)(res);
        else {
          res.writeHead(200);
          res.end('{"token":"abcdefgh"}');
        }
        return;
      }
      if (req.headers.authorization !== 'Bearer abcdefgh') {
        status(401, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="s"` })(res);
        return;
      }
      ok(res);
    });
    await client().getManifest(repo(s.host), 'v1');
    assert.equal(token, 2);
  });
});

describe('retry policy', () => {
  it('waits 1 s then 3 s by default, plus up to 10 % jitter, capped at 10 s', () => {
    assert.deepEqual(
      [1, 2].map((a) => retryDelayMs(DEFAULT_RETRY, a, undefined, 0)),
      [1000, 3000],
    );
    assert.deepEqual(
      [1, 2].map((a) => retryDelayMs(DEFAULT_RETRY, a, undefined, 1)),
      [1100, 3300],
    );
    assert.equal(retryDelayMs(DEFAULT_RETRY, 5, undefined, 0), 10_000);
    assert.equal(retryDelayMs(DEFAULT_RETRY, 1, 2500, 1), 2500, 'Retry-After replaces the backoff, without jitter');
    assert.equal(retryDelayMs(DEFAULT_RETRY, 1, 60_000, 0), 10_000);
  });
  const now = Date.parse('2026-03-01T12:00:00Z');
  for (const [value, want] of [
    ['7', 7000],
    ['0', 0],
    [' 12 ', 12_000],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ] as const) {
    it(`Retry-After ${JSON.stringify(value)} → ${want}`, () => assert.equal(retryAfterMs(value, now), want));
  }
});

describe('deadline and minimum rate', { timeout: 60_000 }, () => {
  /** Headers at once, then one byte of the body every `everyMs`; never complete. */
  const drip =
    (everyMs: number): Handler =>
    (_q, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': '1000' });
      const timer = setInterval(() => res.write('{'), everyMs);
      res.on('close', () => clearInterval(timer));
    };

  it('fails a dripping body at the overall deadline, naming host, limit and variable', async () => {
    const s = await serve(drip(100));
    const started = Date.now();
    await rejectsWithCode(
      client({ retry: fast, timeoutMs: 1_000 }).getManifest(repo(s.host), 'v1'),
      'REGISTRY_UNREACHABLE',
      new RegExp(`^getting manifest ${s.host}/a/b:v1: ${s.host} did not answer in full within 1 s \\(TRUSTEXT_HTTP_TIMEOUT\\)$`),
    );
    assert.ok(Date.now() - started < 10_000);
    assert.equal(s.requests().length, 1, 'a deadline is not retried');
  });

  it('fails a body below the minimum rate once a whole window has passed', async () => {
    const s = await serve(drip(200));
    await rejectsWithCode(
      client({ retry: fast, minRate: { bytesPerSecond: 100, windowMs: 1_000 } }).getManifest(repo(s.host), 'v1'),
      'REGISTRY_UNREACHABLE',
      new RegExp(`^getting manifest ${s.host}/a/b:v1: ${s.host} sent \\d bytes in 1 s, below the minimum rate of 100 B/s \\(TRUSTEXT_HTTP_MIN_RATE\\)$`),
    );
  });

  it('fails headers that never finish arriving at the deadline, too', async () => {
    const s = await serve((_q, res) => {
      res.socket!.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => res.socket?.write('X-Drip: 1\r\n'), 100);
      res.socket!.on('close', () => clearInterval(timer));
    });
    await rejectsWithCode(
      client({ retry: fast, timeoutMs: 1_000 }).getManifest(repo(s.host), 'v1'),
      'REGISTRY_UNREACHABLE',
      /did not answer in full within 1 s/,
    );
  });

  /** Reads a whole body. */
  const drain = async (res: TransportResponse) => {
    let n = 0;
    for await (const c of res.body) n += c.byteLength;
    return n;
  };

  it('does not blame the server when our reader is the slow one (a full buffer restarts the window)', async () => {
    const big = Buffer.alloc(4 << 20, 0x61);
    const s = await serve((_q, res) => {
      res.writeHead(200, { 'content-length': String(big.length) });
      res.end(big);
    });
    const transport = createNodeTransport({ minRate: { bytesPerSecond: 100, windowMs: 300 } });
    const res = await transport({ method: 'GET', url: new URL(`http://${s.host}/big`), headers: {} });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the reader is busy elsewhere for three windows
    assert.equal(await drain(res), big.length);
  });

  it('leaves a response that has fully arrived alone when the deadline passes before it is read', async () => {
    const s = await serve((_q, res) => ok(res));
    const transport = createNodeTransport({ timeoutMs: 200 });
    const res = await transport({ method: 'GET', url: new URL(`http://${s.host}/m`), headers: {} });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await drain(res), manifest.length);
  });

  it('lets a slow body through that keeps above the rate', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(manifest.length) });
      let i = 0;
      const timer = setInterval(() => {
        res.write(manifest.subarray(i, i + 20));
        i += 20;
        if (i >= manifest.length) {
          clearInterval(timer);
          res.end();
        }
      }, 50);
    });
    const got = await client({ retry: fast, minRate: { bytesPerSecond: 100, windowMs: 1_000 } }).getManifest(repo(s.host), 'v1');
    assert.equal(got.digest, sha256Digest(manifest));
  });
});
