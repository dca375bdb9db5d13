/**
 * An in-process HTTP(S) proxy in front of a real test bed service, for behaviour no real server produces: it
 * forwards every request unchanged unless `lie` answers it instead (oversized, tampered or stale responses) or
 * says 'reset' (the connection is dropped without an answer). With `tls`, it serves HTTPS with the given
 * certificate and reaches an HTTPS upstream trusting `tls.ca`.
 */
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';

type Forged = { status: number; headers: Record<string, string>; body: Buffer } | 'reset' | undefined;
/** Answers a request instead of the upstream, drops it ('reset'), or forwards it (undefined) — possibly after doing something first. */
export type Lie = (req: IncomingMessage) => Forged | Promise<Forged>;

/** Starts the proxy on a free loopback port; `host` is what to use as the service address. */
export async function lyingProxy(
  upstream: string,
  lie: Lie,
  tls?: { key: Buffer; cert: Buffer; ca: Buffer },
): Promise<{ host: string; close: () => Promise<void>; server: Server }> {
  const [upHost, upPort] = upstream.split(':');
  const handler = async (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    const forged = await lie(req);
    if (forged === 'reset') {
      req.socket.destroy();
      return;
    }
    if (forged) {
      res.writeHead(forged.status, { ...forged.headers, 'Content-Length': String(forged.body.length) });
      res.end(forged.body);
      return;
    }
    const options = {
      host: upHost,
      port: Number(upPort),
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream },
      ...(tls && { ca: tls.ca }),
    };
    const up = (tls ? httpsRequest : httpRequest)(options, (upRes) => {
      const headers = { ...upRes.headers };
      if (typeof headers.location === 'string') headers.location = headers.location.replace(`//${upstream}`, `//${req.headers.host}`);
      res.writeHead(upRes.statusCode ?? 502, headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    host,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
