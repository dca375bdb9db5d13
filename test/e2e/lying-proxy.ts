/**
 * An in-process HTTP proxy in front of a real test bed registry, for behaviour no real registry produces:
 * it forwards every request unchanged unless `lie` answers it instead (oversized or tampered responses).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export type Lie = (req: IncomingMessage) => { status: number; headers: Record<string, string>; body: Buffer } | undefined;

/** Starts the proxy on a free loopback port; `host` is what to use as the registry address. */
export async function lyingProxy(upstream: string, lie: Lie): Promise<{ host: string; close: () => Promise<void>; server: Server }> {
  const [upHost, upPort] = upstream.split(':');
  const server = createServer((req, res) => {
    const forged = lie(req);
    if (forged) {
      res.writeHead(forged.status, { ...forged.headers, 'Content-Length': String(forged.body.length) });
      res.end(forged.body);
      return;
    }
    const up = request({ host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } }, (upRes) => {
      const headers = { ...upRes.headers };
      if (typeof headers.location === 'string') headers.location = headers.location.replace(`//${upstream}`, `//${req.headers.host}`);
      res.writeHead(upRes.statusCode ?? 502, headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return { host, server, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}
