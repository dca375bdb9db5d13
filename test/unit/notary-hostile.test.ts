/**
 * The notary client against in-process servers that do what the real notary-server never does: oversized and
 * endless bodies, Content-Length lies in both directions, stalls to abort, huge error bodies; and a TLS server
 * demanding a client certificate, to check docker's `tls/<host:port>/` CA and `*.cert`/`*.key` pairs.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NotaryClient, type NotaryClientOptions } from '../../src/notary/client/index.ts';
import { createNodeTransport, DEFAULT_RETRY, type Transport } from '../../src/http/index.ts';
import { rejectsWithCode, waitFor } from '../kit/index.ts';

const closers: (() => void)[] = [];
const temps: string[] = [];
after(async () => {
  for (const c of closers) c();
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/** The node transport, with https URLs sent as http to the in-process server (the client itself speaks https only). */
function plainTransport(): Transport {
  const inner = createNodeTransport();
  return (req) => inner({ ...req, url: new URL(req.url.href.replace(/^https:/, 'http:')) });
}

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ host: string; closed: () => number; whenClosed: (n: number) => Promise<void> }> {
  let closed = 0;
  const closes = new EventEmitter();
  const server = createServer((req, res) => {
    res.on('close', () => {
      closed++;
      closes.emit('close');
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const whenClosed = async (n: number) => {
    while (closed < n) await once(closes, 'close');
  };
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, closed: () => closed, whenClosed };
}

/** A raw TCP server, for responses node's http server refuses to send (Content-Length lies). */
async function serveRaw(onRequest: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => onRequest(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const GUN = '127.0.0.1:5000/demo/hello';
const client = (host: string, options: Partial<NotaryClientOptions> = {}) =>
  new NotaryClient({ server: new URL(`https://${host}`), userAgent: 'trustext/test', transport: plainTransport(), ...options });

describe('hostile notary servers', { timeout: 60_000 }, () => {
  it('refuses metadata whose Content-Length exceeds the limit, without reading it', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(20 << 20) });
      res.write(Buffer.alloc(1024));
    });
    await rejectsWithCode(client(s.host).getRole(GUN, 'root'), 'TRUST_DATA_INVALID', /the response of 20971520 bytes exceeds the limit of 10485760 bytes/);
  });

  it('stops an endless chunked body at maxBytes and drops the connection', async () => {
    let written = 0;
    const s = await serve((_req, res) => {
      res.writeHead(200);
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
    await rejectsWithCode(client(s.host).getRole(GUN, 'snapshot', { maxBytes: 100_000 }), 'TRUST_DATA_INVALID', /exceeds the limit of 100000 bytes/);
    await waitFor(s.whenClosed(1), 5_000);
    assert.ok(written < 64 << 20, `stopped early (server wrote ${written} bytes)`);
    assert.equal(s.closed(), 1, 'connection dropped');
  });

  it('caps maxBytes at the configured metadata limit and keys at their own limit', async () => {
    const s = await serve((_req, res) => {
      res.end(Buffer.alloc(70_000, 0x20));
    });
    await rejectsWithCode(
      client(s.host, { limits: { metadataBytes: 50_000 } }).getRole(GUN, 'targets', { maxBytes: 1 << 30 }),
      'TRUST_DATA_INVALID',
      /limit of 50000 bytes/,
    );
    await rejectsWithCode(client(s.host).getKey(GUN, 'timestamp'), 'TRUST_DATA_INVALID', /limit of 65536 bytes/);
  });

  it('caps timestamp.json at 1 MiB unless told otherwise, as notary does', async () => {
    const s = await serve((_req, res) => {
      res.end(Buffer.alloc((1 << 20) + 1, 0x20));
    });
    await rejectsWithCode(client(s.host).getRole(GUN, 'timestamp'), 'TRUST_DATA_INVALID', /limit of 1048576 bytes/);
    assert.equal((await client(s.host).getRole(GUN, 'timestamp', { maxBytes: 2 << 20 })).length, (1 << 20) + 1);
  });

  it('reports a body shorter than its Content-Length as a lost connection', async () => {
    const host = await serveRaw((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(100)}`);
      setTimeout(() => socket.destroy(), 20);
    });
    await rejectsWithCode(client(host).getRole(GUN, 'root'), 'NOTARY_UNREACHABLE', /connection lost while reading the response/);
  });

  it('does not take more than the Content-Length, so extra bytes fail the consistent-name checksum', async () => {
    const real = Buffer.from('{"signed":{"_type":"Snapshot"},"signatures":[]}');
    const host = await serveRaw((socket) => {
      socket.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n'), real]));
    });
    const sum = createHash('sha256').update(real).digest('hex');
    await rejectsWithCode(client(host).getRole(GUN, 'snapshot', { consistentName: sum }), 'TRUST_DATA_INVALID', /does not match its checksum/);
  });

  it("aborts a server that never answers, with the signal's reason, promptly", async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const reason = new Error('gave up');
    await assert.rejects(
      client(s.host).getRole(GUN, 'timestamp', { signal: AbortSignal.timeout(150) }),
      (err: unknown) => (err as Error).name === 'TimeoutError',
    );
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(reason), 100);
    await assert.rejects(client(s.host).getRole(GUN, 'timestamp', { signal: ctl.signal }), (err: unknown) => err === reason);
    assert.ok(Date.now() - started < 5_000);
  });

  it('aborts a body that trickles in', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      const timer = setInterval(() => {
        if (!res.destroyed) res.write('x');
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    const reason = new Error('too slow');
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(reason), 200);
    await assert.rejects(client(s.host).getRole(GUN, 'root', { signal: ctl.signal }), (err: unknown) => err === reason);
  });

  it('reads only the first 64 KiB of a huge error body and still maps the status', async () => {
    let written = 0;
    const s = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
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
    await rejectsWithCode(client(s.host).getRole(GUN, 'root'), 'TRUST_DATA_MISSING', /remote trust data does not exist for/);
    assert.ok(written < 64 << 20, `stopped early (server wrote ${written} bytes)`);
  });
});

describe('TLS from <configDir>/tls/<host:port>/', { timeout: 60_000 }, () => {
  let pki: string;
  let host: string;
  let flaky = 0;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });

  before(async () => {
    pki = await mkdtemp(join(tmpdir(), 'trustext-notary-pki-'));
    temps.push(pki);
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    );
    for (const [name, usage] of [
      ['server', 'serverAuth'],
      ['client', 'clientAuth'],
    ] as const) {
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
      await writeFile(join(pki, `${name}.ext`), `subjectAltName=IP:127.0.0.1\nextendedKeyUsage=${usage}\n`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.crt`,
      );
    }
    const { readFile } = await import('node:fs/promises');
    const server = createHttpsServer(
      {
        key: await readFile(join(pki, 'server.key')),
        cert: await readFile(join(pki, 'server.crt')),
        ca: await readFile(join(pki, 'ca.crt')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        // Under /flaky the server is briefly unavailable once; under /down it always is.
        const unavailable = req.url === '/down/_notary_server/health' || (req.url === '/flaky/_notary_server/health' && flaky++ === 0);
        res.writeHead(unavailable ? 503 : 200);
        res.end(req.url?.endsWith('/_notary_server/health') && !unavailable ? '{}' : '');
      },
    );
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  async function config(files: Record<string, string>, dirName = host): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'trustext-notary-config-'));
    temps.push(dir);
    await mkdir(join(dir, 'tls', dirName), { recursive: true });
    for (const [to, from] of Object.entries(files)) await copyFile(join(pki, from), join(dir, 'tls', dirName, to));
    return dir;
  }
  const tlsClient = (configDir: string) => new NotaryClient({ server: new URL(`https://${host}`), configDir, userAgent: 'trustext/test' });

  it('trusts *.crt CAs and presents the *.cert/*.key client certificate', async () => {
    await tlsClient(await config({ 'ca.crt': 'ca.crt', 'client.cert': 'client.crt', 'client.key': 'client.key' })).health();
  });

  it('fails without the client certificate', async () => {
    await rejectsWithCode(tlsClient(await config({ 'ca.crt': 'ca.crt' })).health(), 'NOTARY_UNREACHABLE', /error contacting notary server/);
  });

  it('fails with a clear certificate error without the CA, or with it under the host without the port', async () => {
    await rejectsWithCode(
      tlsClient(await config({ 'client.cert': 'client.crt', 'client.key': 'client.key' })).health(),
      'NOTARY_UNREACHABLE',
      /certificate of 127\.0\.0\.1:\d+ is not trusted/,
    );
    await rejectsWithCode(
      tlsClient(await config({ 'ca.crt': 'ca.crt', 'client.cert': 'client.crt', 'client.key': 'client.key' }, '127.0.0.1')).health(),
      'NOTARY_UNREACHABLE',
      /is not trusted .*tls\/127\.0\.0\.1:\d+$/,
    );
  });

  it('retries a GET the server is briefly unavailable for, over its own https transport, and says when it gave up', async () => {
    const configDir = await config({ 'ca.crt': 'ca.crt', 'client.cert': 'client.crt', 'client.key': 'client.key' });
    const retrying = (path: string) =>
      new NotaryClient({
        server: new URL(`https://${host}${path}`),
        configDir,
        userAgent: 'trustext/test',
        http: { retry: { ...DEFAULT_RETRY, baseDelayMs: 5 } },
      });
    await retrying('/flaky').health();
    assert.equal(flaky, 2, 'one 503, then the 200');
    await rejectsWithCode(retrying('/down').health(), 'NOTARY_FAILED', /: 503 service unavailable \(gave up after 3 attempts\)$/);
  });

  it('reports a client certificate without its key as a configuration error', async () => {
    await rejectsWithCode(tlsClient(await config({ 'ca.crt': 'ca.crt', 'client.cert': 'client.crt' })).health(), 'CONFIG_INVALID', /missing key client\.key/);
  });
});
